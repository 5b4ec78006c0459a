import { CwsError } from './errors.js';

/** One HTTP exchange as the client needs it: method, absolute URL, headers, optional bytes. */
export interface RawRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array;
  signal: AbortSignal;
}

/** The whole answer, read into memory (CWS answers and reports are small). */
export interface RawResponse {
  status: number;
  header(name: string): string | undefined;
  body: Uint8Array;
}

/** Sends requests over kept-alive connections until closed. */
export interface Transport {
  /** Sends one request; rejects only when no answer arrived. */
  send(request: RawRequest): Promise<RawResponse>;
  /** Drops idle connections. */
  close(): void;
}

/** How the server's certificate is checked. */
export interface TlsOptions {
  /** PEM text of an extra trusted CA (the server's self-signed certificate). */
  caCert?: string | Uint8Array;
  /** Path of a PEM file with an extra trusted CA; `CWS_CA_FILE` when neither option is given. */
  caFile?: string;
  /** Skip certificate verification entirely. */
  insecure?: boolean;
}

/**
 * Picks the transport for the running platform. Node's built-in fetch takes no CA option, so Node
 * and Bun (which both implement `node:https`) go through `node:https`; other platforms use fetch
 * and rely on the platform's own trust store.
 */
export async function createTransport(tls: TlsOptions): Promise<Transport> {
  if (typeof process !== 'undefined' && typeof process.versions?.node === 'string') {
    return createNodeTransport(tls);
  }
  if (tls.caCert !== undefined || tls.caFile !== undefined || tls.insecure) {
    throw new CwsError({
      status: 0,
      code: 'client.tls_error',
      message:
        'caCert, caFile and insecure need Node or Bun; ' +
        'elsewhere trust the certificate in the platform store',
    });
  }
  return { send: fetchSend, close: () => undefined };
}

async function createNodeTransport(tls: TlsOptions): Promise<Transport> {
  const [http, https, nodeTls] = await Promise.all([
    import('node:http'),
    import('node:https'),
    import('node:tls'),
  ]);
  const extra = await extraCertificates(tls);
  // An explicit `ca` list replaces Node's default store, so the system roots go in with it.
  const ca = extra.length > 0 ? [...nodeTls.rootCertificates, ...extra] : undefined;
  const agents = {
    'https:': new https.Agent({ keepAlive: true, ca, rejectUnauthorized: !tls.insecure }),
    'http:': new http.Agent({ keepAlive: true }),
  };

  const send = (request: RawRequest) =>
    new Promise<RawResponse>((resolve, reject) => {
      const isHttp = request.url.protocol === 'http:';
      const open = isHttp ? http.request : https.request;
      const outgoing = open(
        request.url,
        {
          method: request.method,
          headers: request.headers,
          agent: isHttp ? agents['http:'] : agents['https:'],
          signal: request.signal,
        },
        (incoming) => {
          const chunks: Uint8Array[] = [];
          incoming.on('data', (chunk: Uint8Array) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('close', () => {
            if (!incoming.complete) reject(new Error('connection closed before the answer ended'));
          });
          incoming.on('end', () => {
            resolve({
              status: incoming.statusCode ?? 0,
              header: (name) => firstHeader(incoming.headers[name.toLowerCase()]),
              body: concatBytes(chunks),
            });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  const close = () => {
    agents['https:'].destroy();
    agents['http:'].destroy();
  };
  return { send, close };
}

/** The caller's CA (option, else `CWS_CA_FILE`) plus `NODE_EXTRA_CA_CERTS`, as PEM texts. */
async function extraCertificates(tls: TlsOptions): Promise<string[]> {
  const pems: string[] = [];
  if (tls.caCert !== undefined) {
    pems.push(typeof tls.caCert === 'string' ? tls.caCert : new TextDecoder().decode(tls.caCert));
  }
  const files = [
    tls.caCert === undefined ? (tls.caFile ?? nonEmpty(process.env.CWS_CA_FILE)) : undefined,
    // Node adds this file to its default store only; an explicit list must carry it too.
    nonEmpty(process.env.NODE_EXTRA_CA_CERTS),
  ];
  const { readFile } = await import('node:fs/promises');
  for (const file of files) {
    if (file === undefined) continue;
    try {
      pems.push(await readFile(file, 'utf8'));
    } catch (cause) {
      throw new CwsError({
        status: 0,
        code: 'client.tls_error',
        message: `cannot read the CA file ${file}`,
        cause,
      });
    }
  }
  return pems;
}

async function fetchSend(request: RawRequest): Promise<RawResponse> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
  });
  const body = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    body,
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
