import { describe, expect, it } from 'bun:test';
import {
  createSmtpSettingsStore,
  isSenderAddress,
  redactSecret,
} from '../../../core/notify/smtp-settings';
import type { SettingsRepository } from '../../../core/repositories';
import { createSecretBox, generateMasterKey } from '../../../core/secrets';

/** The document half of a settings repository, in memory. */
function memorySettings(): SettingsRepository & { documents: Map<string, unknown> } {
  const documents = new Map<string, unknown>();
  return {
    documents,
    read: () => {
      throw new Error('not used');
    },
    write: async () => {},
    readDocument: <T>(key: string) => documents.get(key) as T | undefined,
    writeDocument: async (key, value) => void documents.set(key, structuredClone(value)),
  };
}

const box = createSecretBox(generateMasterKey());
const NOW = new Date('2026-12-03T10:00:00Z');

describe('createSmtpSettingsStore', () => {
  it('resolves nothing until both host and sender are set', async () => {
    const store = createSmtpSettingsStore(memorySettings());
    expect(store.resolve()).toMatchObject({ ok: false, reason: { code: 'smtp.not_configured' } });
    await store.update({ host: 'smtp.example.com' }, NOW);
    expect(store.resolve().ok).toBe(false);
    expect(store.view().configured).toBe(false);
    await store.update({ from: 'cws@example.com' }, NOW);
    expect(store.resolve()).toEqual({
      ok: true,
      value: { host: 'smtp.example.com', port: 587, secure: false, from: 'cws@example.com' },
    });
  });

  it('seals the password with the box and opens it only for delivery', async () => {
    const settings = memorySettings();
    const store = createSmtpSettingsStore(settings, box);
    const view = await store.update(
      { host: 'smtp.example.com', from: 'cws@example.com', user: 'u', password: 'hunter22' },
      NOW,
    );
    expect(JSON.stringify(view)).not.toContain('hunter22');
    expect(view.has_password).toBe(true);
    expect(JSON.stringify(settings.documents.get('smtp'))).not.toContain('hunter22');
    expect(passwordOf(store.resolve())).toBe('hunter22');
    await store.update({ password: '' }, NOW);
    expect(store.view().has_password).toBe(false);
    expect(passwordOf(store.resolve())).toBeUndefined();
  });

  it('fails password_unreadable when another master key sealed the password', async () => {
    const settings = memorySettings();
    await createSmtpSettingsStore(settings, box).update(
      { host: 'smtp.example.com', from: 'cws@example.com', password: 'hunter22' },
      NOW,
    );
    const other = createSmtpSettingsStore(settings, createSecretBox(generateMasterKey()));
    expect(other.view().has_password).toBe(true);
    expect(other.resolve()).toMatchObject({
      ok: false,
      reason: { code: 'smtp.password_unreadable' },
    });
  });

  it('keeps the password as given when there is no box, and still never shows it', async () => {
    const store = createSmtpSettingsStore(memorySettings());
    const view = await store.update(
      { host: 'h.example.com', from: 'a@example.com', password: 'pw-123456' },
      NOW,
    );
    expect(JSON.stringify(view)).not.toContain('pw-123456');
    expect(passwordOf(store.resolve())).toBe('pw-123456');
  });
});

function passwordOf(resolved: ReturnType<ReturnType<typeof createSmtpSettingsStore>['resolve']>) {
  return resolved.ok ? resolved.value.password : 'not resolved';
}

describe('isSenderAddress', () => {
  it.each([
    ['reports@example.com', true],
    ['CWS Reports <reports@example.com>', true],
    ['<reports@example.com>', true],
    ['reports', false],
    ['Name <not an address>', false],
    ['a@example.com\r\nBcc: x@example.com', false],
  ])('%j → %p', (value, expected) => {
    expect(isSenderAddress(value)).toBe(expected);
  });
});

describe('redactSecret', () => {
  it('replaces every occurrence and leaves text alone without a secret', () => {
    expect(redactSecret('a pw b pw', 'pw')).toBe('a **** b ****');
    expect(redactSecret('a pw', undefined)).toBe('a pw');
  });
});
