import { describe, expect, it } from 'bun:test';
import { classifyAlibabaError } from '../../../core/providers/alibaba/rpc';

/** An error as the HTTP layer under pop-core leaves it: the request glued onto the cause. */
function transportError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('classifyAlibabaError', () => {
  it('puts the failed request in brackets after the socket error instead of gluing it on', () => {
    const reason = classifyAlibabaError(
      transportError(
        'connect ECONNREFUSED 127.0.0.1:9POST http://127.0.0.1:9/ failed.',
        'ECONNREFUSED',
      ),
    );
    expect(reason).toEqual({
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9 (POST http://127.0.0.1:9/)',
      category: 'network',
    });
  });

  it('drops the signed query string of a GET request', () => {
    const reason = classifyAlibabaError(
      transportError(
        'getaddrinfo ENOTFOUND ecs.example.invalidGET ' +
          'https://ecs.example.invalid/?AccessKeyId=LTAI5tKey&Signature=abc%3D failed.',
        'ENOTFOUND',
      ),
    );
    expect(reason.message).toBe(
      'getaddrinfo ENOTFOUND ecs.example.invalid (GET https://ecs.example.invalid/)',
    );
  });

  it('keeps the query string out of a connect timeout too', () => {
    const error = transportError(
      'ConnectTimeout: Connect https://ecs.example.invalid/?Signature=x failed.',
    );
    error.name = 'RequestTimeoutError';
    expect(classifyAlibabaError(error)).toEqual({
      code: 'timeout',
      message: 'ConnectTimeout: Connect https://ecs.example.invalid/ failed.',
      category: 'timeout',
    });
  });

  it('leaves an API error message as the API wrote it', () => {
    const error = Object.assign(new Error('Specified signature is not matched, URL: http://x/'), {
      data: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched.' },
    });
    expect(classifyAlibabaError(error)).toEqual({
      code: 'SignatureDoesNotMatch',
      message: 'Specified signature is not matched.',
      category: 'auth',
    });
  });
});
