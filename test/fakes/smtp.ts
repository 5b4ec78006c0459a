import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the fake accepted: the envelope and the raw RFC 5322 text. */
export interface CapturedMail {
  from: string;
  to: string[];
  /** The user it authenticated as, if it did. */
  user: string | null;
  raw: string;
}

/** How the fake behaves. */
export interface SmtpFakeOptions {
  /** Require AUTH with these credentials; without it, AUTH is not offered at all. */
  auth?: { user: string; password: string };
  /** Recipients answered with 550 at RCPT TO. */
  rejectRecipients?: string[];
}

/** A real SMTP server (the smtp-server package) on 127.0.0.1 and an ephemeral port. */
export interface SmtpFake {
  host: string;
  port: number;
  mails: CapturedMail[];
  close(): Promise<void>;
}

/** Starts the fake; plain SMTP (no STARTTLS), so the client needs `secure: false`. */
export async function startSmtpFake(options: SmtpFakeOptions = {}): Promise<SmtpFake> {
  const mails: CapturedMail[] = [];
  const rejected = new Set((options.rejectRecipients ?? []).map((r) => r.toLowerCase()));
  const server = new SMTPServer({
    secure: false,
    logger: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.password) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : null,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port: address.port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A MIME entity: its headers (names lower-cased, encoded words decoded) and decoded body. */
export interface MimePart {
  headers: Record<string, string>;
  contentType: string;
  filename: string | null;
  body: Uint8Array;
  parts: MimePart[];
}

/**
 * Parses what the fake captured far enough for tests: headers, multipart nesting, base64 and
 * quoted-printable bodies (mailparser is not a dependency of this project).
 */
export function parseMail(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(
        line.slice(colon + 1).trim(),
      );
    }
  }
  const contentType = (headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  const filename =
    parameter(headers['content-disposition'] ?? '', 'filename') ??
    parameter(headers['content-type'] ?? '', 'name');
  const boundary = parameter(headers['content-type'] ?? '', 'boundary');
  if (contentType.startsWith('multipart/') && boundary) {
    // The CRLF before a delimiter line belongs to the delimiter (RFC 2046 5.1.1).
    const sections = body.split(`--${boundary}`).slice(1);
    const parts = sections
      .filter((section) => !section.startsWith('--'))
      .map((section) => parseMail(section.replace(/^\r\n/, '').replace(/\r\n$/, '')));
    return { headers, contentType, filename, body: new Uint8Array(), parts };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  return { headers, contentType, filename, body: decodeBody(body, encoding), parts: [] };
}

/** Every leaf part of a parsed message, depth first. */
export function leafParts(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leafParts) : [part];
}

function parameter(header: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\*?=("([^"]*)"|[^;\\s]+)`, 'i').exec(header);
  if (!match) return null;
  const value = match[2] ?? match[1] ?? '';
  return value.startsWith("utf-8''") ? decodeURIComponent(value.slice(7)) : value;
}

function decodeBody(body: string, encoding: string): Uint8Array {
  if (encoding === 'base64')
    return Uint8Array.from(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
  if (encoding === 'quoted-printable') {
    const soft = body.replace(/=\r\n/g, '');
    const bytes: number[] = [];
    for (let index = 0; index < soft.length; index += 1) {
      const char = soft[index] as string;
      const hex = soft.slice(index + 1, index + 3);
      if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        index += 2;
      } else {
        bytes.push(...Buffer.from(char, 'utf8'));
      }
    }
    return Uint8Array.from(bytes);
  }
  return Uint8Array.from(Buffer.from(body, 'utf8'));
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_, _charset: string, kind: string, text: string) =>
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_m: string, hex: string) =>
                  String.fromCharCode(parseInt(hex, 16)),
                ),
              'latin1',
            ).toString('utf8'),
    );
}
