import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { ScanAccount } from '../core/model';
import { awsSharedFilePaths, parseAwsProfiles } from '../core/providers/aws/profiles';

/**
 * Reads the operator's AWS profiles from the shared config and credentials files on every call, so a
 * profile added while the server runs shows up at once. Only the profile names and settings are
 * kept; keys stay with the SDK's own credential chain.
 */
export function listAwsProfileAccounts(env: NodeJS.ProcessEnv = process.env): ScanAccount[] {
  const { configPath, credentialsPath } = awsSharedFilePaths(env, homedir());
  return parseAwsProfiles(readIfPresent(configPath), readIfPresent(credentialsPath));
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
