import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'bun:test';
import { listAwsProfileAccounts } from '../../runtime/accounts';
import { writeAwsProfiles } from '../support/aws-profile';

describe('listAwsProfileAccounts', () => {
  it('shows a profile added to the files while the server runs', () => {
    const files = writeAwsProfiles({ first: { endpoint: 'http://127.0.0.1:9' } });
    try {
      expect(listAwsProfileAccounts(files.env).map((a) => a.id)).toEqual(['profile_first']);
      appendFileSync(join(files.dir, 'config'), '\n[profile second]\nregion = eu-west-1\n');
      expect(listAwsProfileAccounts(files.env).map((a) => a.id)).toEqual([
        'profile_first',
        'profile_second',
      ]);
      rmSync(join(files.dir, 'config'));
      rmSync(join(files.dir, 'credentials'));
      expect(listAwsProfileAccounts(files.env)).toEqual([]);
    } finally {
      files.restore();
    }
  });

  it('hands every caller its own copies of the accounts it keeps between calls', () => {
    const files = writeAwsProfiles({
      only: { endpoint: 'http://127.0.0.1:9', region: 'us-west-2' },
    });
    try {
      const [first] = listAwsProfileAccounts(files.env);
      (first?.connection as Record<string, unknown>).region = 'changed';
      first?.regions.push('changed');
      const [second] = listAwsProfileAccounts(files.env);
      expect(second?.connection).toEqual({
        profile: 'only',
        region: 'us-west-2',
        endpoint_url: 'http://127.0.0.1:9',
      });
      expect(second?.regions).toEqual([]);
    } finally {
      files.restore();
    }
  });
});
