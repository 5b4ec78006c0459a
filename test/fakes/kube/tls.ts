import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away certificate authority and a loopback server certificate it signed, as PEM. */
export interface LoopbackTls {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * Generates a CA and a server certificate for 127.0.0.1/localhost with the openssl CLI at test
 * time, so no private key is ever committed. kubectl (Go) verifies the chain, so the leaf carries
 * SANs and the serverAuth usage.
 */
export async function createLoopbackTls(): Promise<LoopbackTls> {
  const dir = await mkdtemp(join(tmpdir(), 'cws-kube-tls-'));
  try {
    const path = (name: string) => join(dir, name);
    await writeFile(
      path('leaf.ext'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ].join('\n'),
    );
    const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    await openssl([
      'req',
      '-x509',
      ...curve,
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=cws-test-kube-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await openssl([
      'req',
      ...curve,
      '-keyout',
      path('leaf.key'),
      '-out',
      path('leaf.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ]);
    await openssl([
      'x509',
      '-req',
      '-in',
      path('leaf.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      path('leaf.ext'),
      '-out',
      path('leaf.pem'),
    ]);
    return {
      caCertPem: await readFile(path('ca.pem'), 'utf8'),
      certPem: await readFile(path('leaf.pem'), 'utf8'),
      keyPem: await readFile(path('leaf.key'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openssl(args: string[]): Promise<void> {
  const child = Bun.spawn(['openssl', ...args], { stdout: 'ignore', stderr: 'pipe' });
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  if (code !== 0) throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`);
}
