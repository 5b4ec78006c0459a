import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Shared AWS config and credentials files in a temporary folder, naming local fake endpoints. */
export interface AwsProfileFiles {
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Points process.env at these files (the SDK reads them from there) until `restore`. */
  activate(): void;
  restore(): void;
}

/** Writes one profile per entry with static fixture keys and the given endpoint. */
export function writeAwsProfiles(
  profiles: Record<string, { endpoint: string; region?: string }>,
): AwsProfileFiles {
  const dir = mkdtempSync(join(tmpdir(), 'cws-aws-profiles-'));
  const config = Object.entries(profiles)
    .map(
      ([name, p]) =>
        `[profile ${name}]\nregion = ${p.region ?? 'us-east-1'}\nendpoint_url = ${p.endpoint}\n`,
    )
    .join('\n');
  const credentials = Object.keys(profiles)
    .map(
      (name) =>
        `[${name}]\naws_access_key_id = AKIAFIXTURE${name.toUpperCase().replace(/\W/g, '').slice(0, 9).padEnd(9, 'X')}\naws_secret_access_key = fixtureSecretNotReal\n`,
    )
    .join('\n');
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  const env = {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const saved: Record<string, string | undefined> = {};
  return {
    env,
    dir,
    activate() {
      for (const [key, value] of Object.entries(env)) {
        if (key === 'HOME') continue;
        saved[key] = process.env[key];
        process.env[key] = value;
      }
    },
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
