import { describe, expect, it } from 'bun:test';
import { classifyAwsError } from '../../../core/providers/aws/errors';

/** An error shaped like the ones @aws-sdk/client-ec2 throws for an EC2 error document. */
function serviceError(code: string, message: string, status: number) {
  return Object.assign(new Error(message), { name: code, $metadata: { httpStatusCode: status } });
}

describe('classifyAwsError', () => {
  const cases: [string, number, string][] = [
    ['UnauthorizedOperation', 403, 'permission'],
    ['OptInRequired', 401, 'permission'],
    ['AuthFailure', 401, 'auth'],
    ['RequestLimitExceeded', 503, 'throttled'],
    ['InvalidParameterValue', 400, 'invalid'],
    ['SomethingNew', 403, 'permission'],
    ['InternalError', 500, 'internal'],
  ];
  for (const [code, status, category] of cases) {
    it(`files ${code} (HTTP ${status}) under ${category}, keeping the code`, () => {
      expect(classifyAwsError(serviceError(code, 'message', status), false)).toEqual({
        code,
        message: 'message',
        category: category as never,
      });
    });
  }

  it('reports a refused connection as a network failure', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(classifyAwsError(error, false)).toMatchObject({
      code: 'ECONNREFUSED',
      category: 'network',
    });
  });

  it('reports the call timeout whatever error the abort surfaced as', () => {
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(classifyAwsError(abort, true)).toMatchObject({
      code: 'TimeoutError',
      category: 'timeout',
    });
  });

  it('blanks key ids and tokens a message may echo, and keeps it short', () => {
    const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD'.repeat(3);
    const error = serviceError(
      'SignatureDoesNotMatch',
      `Credential=AKIAIOSFODNN7EXAMPLE/20261201 token ${token} ${'x '.repeat(400)}`,
      403,
    );
    const reason = classifyAwsError(error, false);
    expect(reason.category).toBe('auth');
    expect(reason.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(reason.message).not.toContain('IQoJb3JpZ2lu');
    expect(reason.message.length).toBeLessThanOrEqual(300);
  });
});
