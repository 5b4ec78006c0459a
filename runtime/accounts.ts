import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { ScanAccount } from '../core/model';
import { awsSharedFilePaths, parseAwsProfiles } from '../core/providers/aws/profiles';

/** The last parse per pair of files, with the versions of the files it was made from. */
const parsed = new Map<string, { versions: string; accounts: ScanAccount[] }>();

/**
 * The operator's AWS profiles from the shared config and credentials files, checked on every call
 * so that a profile added while the server runs shows up at once. The files are parsed again only
 * when one of them changed (size, inode or modification time): a burst of scheduled runs lists
 * the accounts hundreds of times a second. Only the profile names and settings are kept; keys
 * stay with the SDK's own credential chain.
 */
export function listAwsProfileAccounts(env: NodeJS.ProcessEnv = process.env): ScanAccount[] {
  const { configPath, credentialsPath } = awsSharedFilePaths(env, homedir());
  const paths = `${configPath}\n${credentialsPath}`;
  const versions = `${fileVersion(configPath)}\n${fileVersion(credentialsPath)}`;
  let entry = parsed.get(paths);
  if (entry?.versions !== versions) {
    entry = {
      versions,
      accounts: parseAwsProfiles(readIfPresent(configPath), readIfPresent(credentialsPath)),
    };
    parsed.set(paths, entry);
  }
  // Copies: callers own what they are given.
  return entry.accounts.map((account) => ({
    ...account,
    regions: [...account.regions],
    connection: { ...account.connection },
  }));
}

function fileVersion(path: string): string {
  try {
    const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
    return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}` : 'absent';
  } catch {
    // Unreadable: parsed as absent, and looked at again next time.
    return `unreadable:${Math.random()}`;
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
