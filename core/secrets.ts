import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Bytes in a master key: AES-256. */
export const MASTER_KEY_BYTES = 32;

/**
 * Prefix of every sealed value: the format and its version. A later format gets a new prefix, so
 * values sealed today stay readable.
 */
const SEALED_PREFIX = 'cws-gcm1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and opens secret text with one master key; what services hand to the code that stores secrets. */
export interface SecretBox {
  seal(plaintext: string): string;
  /** Throws SecretOpenError when the value was sealed with another key or was altered. */
  open(sealed: string): string;
}

/** A sealed value that cannot be opened: another key sealed it, or it was altered or truncated. */
export class SecretOpenError extends Error {
  override name = 'SecretOpenError';
}

/**
 * Encrypts text with AES-256-GCM under a fresh random 96-bit IV. The result is
 * `cws-gcm1.<iv>.<ciphertext>.<tag>` (base64url parts): it carries everything `openSecret` needs
 * except the key, and the tag makes any change to it detectable.
 */
export function sealSecret(key: Uint8Array, plaintext: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [SEALED_PREFIX, iv, ciphertext, tag]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Decrypts a value from `sealSecret`; throws SecretOpenError when it cannot be authenticated. */
export function openSecret(key: Uint8Array, sealed: string): string {
  assertKey(key);
  const [prefix, iv, ciphertext, tag, ...rest] = sealed.split('.');
  if (
    prefix !== SEALED_PREFIX ||
    iv === undefined ||
    ciphertext === undefined ||
    !tag ||
    rest.length
  ) {
    throw new SecretOpenError('not a sealed value of a known format');
  }
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new SecretOpenError('sealed value is truncated');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ivBytes);
    decipher.setAuthTag(tagBytes);
    const plain = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    throw new SecretOpenError('sealed value does not match the master key (other key, or altered)');
  }
}

/** A SecretBox over one key. */
export function createSecretBox(key: Uint8Array): SecretBox {
  assertKey(key);
  const own = Uint8Array.from(key);
  return {
    seal: (plaintext) => sealSecret(own, plaintext),
    open: (sealed) => openSecret(own, sealed),
  };
}

/** A fresh random master key (in-memory apps, and the key file's first use). */
export function generateMasterKey(): Uint8Array {
  return new Uint8Array(randomBytes(MASTER_KEY_BYTES));
}

/**
 * Reads a master key written as 64 hex digits or as base64 / base64url of 32 bytes; undefined
 * when the text is neither.
 */
export function decodeMasterKey(text: string): Uint8Array | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return new Uint8Array(Buffer.from(value, 'hex'));
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === MASTER_KEY_BYTES ? new Uint8Array(bytes) : undefined;
}

/** The text form of a key, as the key file stores it. */
export function encodeMasterKey(key: Uint8Array): string {
  assertKey(key);
  return Buffer.from(key).toString('base64');
}

function assertKey(key: Uint8Array): void {
  // A wrong-sized key is a wiring bug, never a user input (decodeMasterKey checks those).
  if (key.length !== MASTER_KEY_BYTES) {
    throw new RangeError(`master key must be ${MASTER_KEY_BYTES} bytes, got ${key.length}`);
  }
}
