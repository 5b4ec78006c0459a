import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away certificate authority and a loopback server certificate it signed, as PEM. */
export interface LoopbackTls {
  /** The CA certificate the client trusts. */
  ca: string;
  /** The server's certificate. */
  cert: string;
  /** The server's private key; it lives only in memory for the test's lifetime. */
  key: string;
}

/**
 * Creates a fresh CA and a `127.0.0.1`/`localhost` server certificate with the openssl CLI. The
 * files sit in a private temporary folder only while openssl runs.
 */
export function createLoopbackTls(): LoopbackTls {
  const dir = mkdtempSync(join(tmpdir(), 'cws-tls-'));
  try {
    const path = (name: string) => join(dir, name);
    writeFileSync(
      path('server.ext'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ].join('\n'),
    );
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path('ca.key')]);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      path('ca.key'),
      '-sha256',
      '-days',
      '1',
      '-subj',
      '/CN=CWS test CA',
      '-out',
      path('ca.pem'),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path('server.ec')]);
    openssl(['pkcs8', '-topk8', '-nocrypt', '-in', path('server.ec'), '-out', path('server.key')]);
    openssl([
      'req',
      '-new',
      '-key',
      path('server.key'),
      '-subj',
      '/CN=127.0.0.1',
      '-out',
      path('server.csr'),
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-set_serial',
      `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}`,
      '-days',
      '1',
      '-sha256',
      '-extfile',
      path('server.ext'),
      '-out',
      path('server.pem'),
    ]);
    return {
      ca: readFileSync(path('ca.pem'), 'utf8'),
      cert: readFileSync(path('server.pem'), 'utf8'),
      key: readFileSync(path('server.key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(args: string[]): void {
  const run = Bun.spawnSync(['openssl', ...args], { stdout: 'pipe', stderr: 'pipe' });
  if (run.exitCode !== 0) {
    throw new Error(`openssl ${args[0]} failed: ${run.stderr.toString().trim()}`);
  }
}
