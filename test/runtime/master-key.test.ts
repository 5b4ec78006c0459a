import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKey } from '../../core/secrets';
import { ConfigError } from '../../runtime/config';
import { loadMasterKey, parseConfiguredMasterKey } from '../../runtime/master-key';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cws-master-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadMasterKey', () => {
  it('creates a 0600 key file on first use and reads the same key afterwards', () => {
    const path = join(dir, 'master.key');
    const key = loadMasterKey(undefined, path);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')).toEqual(Buffer.from(key));
    expect(loadMasterKey(undefined, path)).toEqual(key);
  });

  it('prefers CWS_MASTER_KEY and then writes no file', () => {
    const path = join(dir, 'master.key');
    const key = generateMasterKey();
    expect(loadMasterKey(Buffer.from(key).toString('hex'), path)).toEqual(key);
    expect(() => statSync(path)).toThrow();
  });

  it('stops the start on a damaged key file instead of replacing it', () => {
    const path = join(dir, 'master.key');
    writeFileSync(path, 'damaged');
    expect(() => loadMasterKey(undefined, path)).toThrow(ConfigError);
    expect(readFileSync(path, 'utf8')).toBe('damaged');
  });
});

describe('parseConfiguredMasterKey', () => {
  it('refuses a value that is not 32 bytes with a message naming the variable', () => {
    expect(() => parseConfiguredMasterKey('short')).toThrow(/CWS_MASTER_KEY/);
  });
});
