import { describe, expect, it } from 'bun:test';
import {
  isSupportedProvider,
  maskCredentials,
  maskSecret,
  parseCredentials,
} from '../../../core/accounts/credentials';

const AZURE = {
  tenant_id: 'AZ_TENANT_ID',
  client_id: 'AZ_CLIENT_ID',
  client_secret: 'AZ_CLIENT_SECRET',
  subscription_id: 'AZ_SUBSCRIPTION_ID',
};

describe('isSupportedProvider', () => {
  it.each([
    ['azure', true],
    ['alibaba', true],
    ['aws', false],
    ['gcp', false],
    ['toString', false],
  ])('answers %s → %p', (provider, expected) => {
    expect(isSupportedProvider(provider)).toBe(expected);
  });
});

describe('parseCredentials', () => {
  it('accepts Azure credentials sent as a JSON string, as the playbooks do', () => {
    expect(parseCredentials('azure', JSON.stringify(AZURE))).toEqual({ ok: true, value: AZURE });
  });

  it('accepts Alibaba credentials sent as an object', () => {
    const outcome = parseCredentials('alibaba', {
      access_key_id: 'ALI_ACCESS_KEY_ID',
      access_key_secret: 'ALI_ACCESS_KEY_SECRET',
    });
    expect(outcome).toEqual({
      ok: true,
      value: { access_key_id: 'ALI_ACCESS_KEY_ID', access_key_secret: 'ALI_ACCESS_KEY_SECRET' },
    });
  });

  it('names every missing required field and no value', () => {
    const outcome = parseCredentials('azure', { tenant_id: 'AZ_TENANT_ID', client_secret: '  ' });
    expect(outcome).toEqual({
      ok: false,
      reason: {
        code: 'credentials.missing_fields',
        message: 'azure credentials need client_id, client_secret, subscription_id',
        category: 'invalid',
      },
    });
  });

  it('names the single missing Alibaba field', () => {
    const outcome = parseCredentials('alibaba', '{"access_key_id":"ALI_ACCESS_KEY_ID"}');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.reason.message).toBe('alibaba credentials need access_key_secret');
  });

  it.each([
    ['not json', '{"tenant_id":'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"text"'],
    ['null', 'null'],
  ])('rejects %s as invalid JSON', (_label, input) => {
    const outcome = parseCredentials('azure', input);
    expect(outcome).toMatchObject({ ok: false, reason: { code: 'credentials.invalid_json' } });
  });

  it('keeps the optional Azure endpoints and drops unknown fields', () => {
    const outcome = parseCredentials('azure', {
      ...AZURE,
      authority_host: 'https://login.microsoftonline.us',
      resource_manager_endpoint: 'https://management.usgovcloudapi.net',
      note: 'ignored',
    });
    expect(outcome).toEqual({
      ok: true,
      value: {
        ...AZURE,
        authority_host: 'https://login.microsoftonline.us',
        resource_manager_endpoint: 'https://management.usgovcloudapi.net',
      },
    });
  });

  it('rejects an endpoint that is not a URL, naming the field', () => {
    const outcome = parseCredentials('azure', { ...AZURE, authority_host: 'login.example' });
    expect(outcome).toMatchObject({
      ok: false,
      reason: {
        code: 'credentials.invalid_fields',
        message: 'authority_host must be an http(s) URL',
      },
    });
  });

  it('rejects a required field that is not a string', () => {
    const outcome = parseCredentials('azure', { ...AZURE, client_id: 42 });
    expect(outcome).toMatchObject({ ok: false, reason: { category: 'invalid' } });
  });

  it.each([
    ['a comma-separated string', 'cn-hangzhou, cn-shanghai,,cn-hangzhou'],
    ['an array', ['cn-hangzhou', 'cn-shanghai']],
  ])('reads Alibaba regions from %s', (_label, regions) => {
    const outcome = parseCredentials('alibaba', {
      access_key_id: 'id',
      access_key_secret: 'secret',
      regions,
    });
    expect(outcome).toMatchObject({ ok: true, value: { regions: ['cn-hangzhou', 'cn-shanghai'] } });
  });

  it('rejects region ids that are not region ids', () => {
    const outcome = parseCredentials('alibaba', {
      access_key_id: 'id',
      access_key_secret: 'secret',
      regions: ['cn-hangzhou', 'Not A Region'],
    });
    expect(outcome).toMatchObject({ ok: false, reason: { code: 'credentials.invalid_fields' } });
  });

  it('accepts an Alibaba endpoint pattern with placeholders', () => {
    const outcome = parseCredentials('alibaba', {
      access_key_id: 'id',
      access_key_secret: 'secret',
      endpoint: 'https://{service}.{region}.aliyuncs.com',
    });
    expect(outcome).toMatchObject({
      ok: true,
      value: { endpoint: 'https://{service}.{region}.aliyuncs.com' },
    });
  });
});

describe('maskCredentials', () => {
  it('shows identifiers and only the last four characters of the secret', () => {
    expect(maskCredentials('azure', AZURE)).toEqual({
      tenant_id: 'AZ_TENANT_ID',
      client_id: 'AZ_CLIENT_ID',
      client_secret: '****CRET',
      subscription_id: 'AZ_SUBSCRIPTION_ID',
    });
  });

  it('masks the Alibaba secret and keeps the key id and regions', () => {
    expect(
      maskCredentials('alibaba', {
        access_key_id: 'LTAI5tExample',
        access_key_secret: 'abcdefghijklmnopqrstuvwxyz',
        regions: ['cn-hangzhou'],
      }),
    ).toEqual({
      access_key_id: 'LTAI5tExample',
      access_key_secret: '****wxyz',
      regions: ['cn-hangzhou'],
    });
  });

  it('drops fields the provider does not define', () => {
    expect(maskCredentials('azure', { ...AZURE, password: 'hunter22' })).not.toHaveProperty(
      'password',
    );
  });
});

describe('maskSecret', () => {
  it.each([
    ['my-secret', '****cret'],
    ['abcde', '****bcde'],
    ['abcd', '****'],
    ['', '****'],
  ])('masks %p as %p', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});
