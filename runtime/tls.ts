import { existsSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { ConfigError } from './config';
import { writeSecretFile } from './data-dir';

/** The PEM pair the server listens with and whether it is our own self-signed one. */
export interface TlsPair {
  cert: string;
  key: string;
  selfSigned: boolean;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * The operator's pair when CWS_TLS_CERT/CWS_TLS_KEY name one; otherwise the self-signed pair in the
 * data directory, generated on first start and reused after.
 */
export async function loadTlsPair(options: {
  certPath?: string;
  keyPath?: string;
  ownCertPath: string;
  ownKeyPath: string;
  extraSans: string[];
}): Promise<TlsPair> {
  if (options.certPath || options.keyPath) {
    if (!options.certPath || !options.keyPath)
      throw new ConfigError('CWS_TLS_CERT and CWS_TLS_KEY go together');
    return { cert: readPem(options.certPath), key: readPem(options.keyPath), selfSigned: false };
  }
  if (existsSync(options.ownCertPath) && existsSync(options.ownKeyPath)) {
    return {
      cert: readPem(options.ownCertPath),
      key: readPem(options.ownKeyPath),
      selfSigned: true,
    };
  }
  const pair = await generateSelfSigned(subjectAltNames(options.extraSans));
  writeSecretFile(options.ownKeyPath, pair.key);
  writeSecretFile(options.ownCertPath, pair.cert);
  return { ...pair, selfSigned: true };
}

/** localhost, loopback addresses, the host name, every non-loopback IPv4, and the extra names. */
export function subjectAltNames(extra: string[]): string[] {
  const ipv4 = Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry!.address);
  return [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...ipv4, ...extra])];
}

/** An ECDSA P-256 self-signed certificate valid for ten years for the given names. */
export async function generateSelfSigned(names: string[]): Promise<{ cert: string; key: string }> {
  // Loaded only when a certificate is made (first start): most starts reuse the stored pair.
  // @peculiar/x509 resolves its algorithm providers through decorators that need the polyfill.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(crypto);
  const keys = (await crypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: 'CN=cws local API',
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map(toGeneralName)),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: certificate.toString('pem'), key: toPem(pkcs8, 'PRIVATE KEY') };
}

function toGeneralName(name: string): { type: 'ip' | 'dns'; value: string } {
  const isIp = /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');
  return { type: isIp ? 'ip' : 'dns', value: name };
}

function toPem(der: ArrayBuffer, label: string): string {
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read TLS file ${path}: ${(error as Error).message}`);
  }
}
