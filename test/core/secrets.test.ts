import { describe, expect, it } from 'bun:test';
import {
  createSecretBox,
  decodeMasterKey,
  encodeMasterKey,
  generateMasterKey,
  openSecret,
  sealSecret,
  SecretOpenError,
} from '../../core/secrets';

describe('sealSecret / openSecret', () => {
  const key = generateMasterKey();

  it('round-trips text, unicode included', () => {
    const text = '{"client_secret":"s3cr€t-ü-🔑"}';
    expect(openSecret(key, sealSecret(key, text))).toBe(text);
    expect(openSecret(key, sealSecret(key, ''))).toBe('');
  });

  it('writes a versioned value that never contains the plaintext', () => {
    const sealed = sealSecret(key, 'plain-secret-value');
    expect(sealed).toMatch(/^cws-gcm1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(sealed).not.toContain('plain-secret-value');
    expect(sealed).not.toContain(Buffer.from('plain-secret-value').toString('base64url'));
  });

  it('uses a fresh IV for every message', () => {
    const values = new Set(Array.from({ length: 20 }, () => sealSecret(key, 'same')));
    expect(values.size).toBe(20);
    const ivs = new Set([...values].map((value) => value.split('.')[1]));
    expect(ivs.size).toBe(20);
  });

  it('refuses another key, an altered part and foreign formats', () => {
    const sealed = sealSecret(key, 'secret');
    expect(() => openSecret(generateMasterKey(), sealed)).toThrow(SecretOpenError);
    const [prefix, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() =>
      openSecret(key, [prefix, iv, flipped.toString('base64url'), tag].join('.')),
    ).toThrow(SecretOpenError);
    expect(() => openSecret(key, [prefix, iv, body, 'AAAA'].join('.'))).toThrow(SecretOpenError);
    expect(() => openSecret(key, `cws-gcm9.${iv}.${body}.${tag}`)).toThrow(SecretOpenError);
    expect(() => openSecret(key, 'plain text')).toThrow(SecretOpenError);
  });

  it('refuses a key that is not 32 bytes as a wiring bug', () => {
    expect(() => sealSecret(new Uint8Array(16), 'x')).toThrow(RangeError);
  });
});

describe('createSecretBox', () => {
  it('seals and opens with its own copy of the key', () => {
    const key = generateMasterKey();
    const box = createSecretBox(key);
    const sealed = box.seal('value');
    key.fill(0);
    expect(box.open(sealed)).toBe('value');
  });
});

describe('decodeMasterKey', () => {
  const key = generateMasterKey();

  it('reads hex, base64 and base64url forms of 32 bytes', () => {
    const hex = Buffer.from(key).toString('hex');
    expect(decodeMasterKey(hex)).toEqual(key);
    expect(decodeMasterKey(hex.toUpperCase())).toEqual(key);
    expect(decodeMasterKey(`${encodeMasterKey(key)}\n`)).toEqual(key);
    expect(decodeMasterKey(Buffer.from(key).toString('base64url'))).toEqual(key);
  });

  it.each([
    ['too short', Buffer.alloc(16).toString('base64')],
    ['too long', Buffer.alloc(48).toString('hex')],
    ['not base64', 'this is not a key!'],
    ['empty', ''],
  ])('refuses a key that is %s', (_why, text) => {
    expect(decodeMasterKey(text)).toBeUndefined();
  });
});
