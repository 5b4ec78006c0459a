import { describe, expect, it } from 'bun:test';
import { awsSharedFilePaths, parseAwsProfiles } from '../../../core/providers/aws/profiles';

const CONFIG = `
# shared config
[default]
region = us-east-1

[profile prod]
region = eu-west-1
role_arn = arn:aws:iam::111122223333:role/Scanner
source_profile = default

[profile sso-dev]
sso_session = corp
sso_account_id = 444455556666
sso_role_name = ReadOnly
region = ap-south-1 ; inline comment

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile local]
region = us-west-2
endpoint_url = http://127.0.0.1:4566

[profile routed]
services = local-ec2

[services local-ec2]
ec2 =
  endpoint_url = http://127.0.0.1:9999
s3 =
  endpoint_url = http://127.0.0.1:9000

[not-a-profile]
region = eu-north-1
`;

const CREDENTIALS = `[default]\r
aws_access_key_id = AKIAEXAMPLEDEFAULT\r
aws_secret_access_key = secretDefaultKeyMaterial\r
\r
[ci]\r
aws_access_key_id = AKIAEXAMPLECI\r
aws_secret_access_key = secretCiKeyMaterial\r
aws_session_token = sessionTokenMaterial\r
`;

describe('parseAwsProfiles', () => {
  const accounts = parseAwsProfiles(CONFIG, CREDENTIALS);

  it('lists every profile of either file once, sorted by name', () => {
    expect(accounts.map((a) => a.name)).toEqual([
      'ci',
      'default',
      'local',
      'prod',
      'routed',
      'sso-dev',
    ]);
  });

  it('builds scan accounts with profile_<name> ids and no fixed regions', () => {
    const prod = accounts.find((a) => a.name === 'prod');
    expect(prod).toEqual({
      id: 'profile_prod',
      provider: 'aws',
      name: 'prod',
      source: 'aws_profile',
      regions: [],
      connection: { profile: 'prod', region: 'eu-west-1' },
    });
  });

  it('keeps region and endpoint_url, and strips inline comments', () => {
    const byName = Object.fromEntries(accounts.map((a) => [a.name, a.connection]));
    expect(byName.local).toEqual({
      profile: 'local',
      region: 'us-west-2',
      endpoint_url: 'http://127.0.0.1:4566',
    });
    expect(byName['sso-dev']).toEqual({ profile: 'sso-dev', region: 'ap-south-1' });
    expect(byName.default).toEqual({ profile: 'default', region: 'us-east-1' });
    expect(byName.ci).toEqual({ profile: 'ci' });
  });

  it('follows a services section to the ec2 endpoint', () => {
    const routed = accounts.find((a) => a.name === 'routed');
    expect(routed?.connection).toEqual({
      profile: 'routed',
      endpoint_url: 'http://127.0.0.1:9999',
    });
  });

  it('never copies key material into an account', () => {
    const serialized = JSON.stringify(accounts);
    for (const secret of ['AKIAEXAMPLE', 'secret', 'sessionToken', 'role_arn', 'sso_start_url']) {
      expect(serialized).not.toContain(secret);
    }
  });

  it('treats only "profile x" and "default" config sections as profiles', () => {
    const names = accounts.map((a) => a.name);
    expect(names).not.toContain('not-a-profile');
    expect(names).not.toContain('corp');
    expect(names).not.toContain('local-ec2');
  });

  it('reads either file alone, and nothing from neither', () => {
    expect(parseAwsProfiles(undefined, CREDENTIALS).map((a) => a.id)).toEqual([
      'profile_ci',
      'profile_default',
    ]);
    expect(parseAwsProfiles('[profile solo]\nregion = sa-east-1\n', undefined)).toHaveLength(1);
    expect(parseAwsProfiles(undefined, undefined)).toEqual([]);
  });

  it('skips sections without settings and names the SDK cannot select', () => {
    const text = '[profile empty]\n\n[profile has space]\nregion = us-east-1\n';
    expect(parseAwsProfiles(text, '[ok]\naws_access_key_id = A\n').map((a) => a.name)).toEqual([
      'ok',
    ]);
  });
});

describe('awsSharedFilePaths', () => {
  it('defaults to ~/.aws/config and ~/.aws/credentials', () => {
    expect(awsSharedFilePaths({}, '/home/op/')).toEqual({
      configPath: '/home/op/.aws/config',
      credentialsPath: '/home/op/.aws/credentials',
    });
  });

  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', () => {
    const env = { AWS_CONFIG_FILE: '/etc/aws/config', AWS_SHARED_CREDENTIALS_FILE: '/run/creds' };
    expect(awsSharedFilePaths(env, '/home/op')).toEqual({
      configPath: '/etc/aws/config',
      credentialsPath: '/run/creds',
    });
  });
});
