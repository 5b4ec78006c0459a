import type { ScanAccount } from '../../model';

/** Where an AWS profile's settings live; keys never appear here, the SDK resolves them itself. */
export interface AwsProfileConnection {
  profile: string;
  region?: string;
  endpoint_url?: string;
}

/**
 * The accounts named by the AWS shared config and credentials files: one per profile present in
 * either file, sorted by name. Only the profile name, region and endpoint are kept; credentials
 * (static keys, SSO, assume-role, credential_process) are resolved later by the SDK's own chain
 * from the profile name, so key material never enters `connection`.
 */
export function parseAwsProfiles(
  configText: string | undefined,
  credentialsText: string | undefined,
): ScanAccount[] {
  const config = parseIni(configText ?? '');
  const credentials = parseIni(credentialsText ?? '');
  const settings = new Map<string, Record<string, string>>();

  // The credentials file names a section after its profile; the config file prefixes every
  // profile but `default` with "profile " and keeps other section kinds (sso-session, services).
  // Like the SDK, a section without a single setting names no usable profile.
  for (const [section, body] of credentials.sections) {
    if (!PROFILE_NAME.test(section) || Object.keys(body.values).length === 0) continue;
    settings.set(section, { ...body.values });
  }
  for (const [section, body] of config.sections) {
    const name = configProfileName(section);
    if (name === undefined || Object.keys(body.values).length === 0) continue;
    settings.set(name, { ...settings.get(name), ...body.values });
  }

  return [...settings.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, values]) => toAccount(name, values, config));
}

/** The shared file paths the AWS CLI and SDKs read, honouring their environment overrides. */
export function awsSharedFilePaths(
  env: Record<string, string | undefined>,
  homeDir: string,
): { configPath: string; credentialsPath: string } {
  const home = homeDir.replace(/\/+$/, '');
  return {
    configPath: env.AWS_CONFIG_FILE || `${home}/.aws/config`,
    credentialsPath: env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`,
  };
}

function toAccount(name: string, values: Record<string, string>, config: IniFile): ScanAccount {
  const connection: AwsProfileConnection = { profile: name };
  if (values.region) connection.region = values.region;
  const endpoint = values.endpoint_url || servicesEndpoint(values.services, config);
  if (endpoint) connection.endpoint_url = endpoint;
  return {
    id: `profile_${name}`,
    provider: 'aws',
    name,
    source: 'aws_profile',
    regions: [],
    connection: { ...connection },
  };
}

/** `services = name` points at a `[services name]` section whose `ec2` block may set the URL. */
function servicesEndpoint(servicesName: string | undefined, config: IniFile): string | undefined {
  if (!servicesName) return undefined;
  const section = config.sections.get(`services ${servicesName}`);
  return section?.nested.ec2?.endpoint_url || undefined;
}

/** The characters the SDK accepts in a profile name; others cannot be selected by it. */
const PROFILE_NAME = /^[\w\-@+.%:/]+$/;

function configProfileName(section: string): string | undefined {
  if (section === 'default') return 'default';
  const match = /^profile\s(["']?)([\w\-@+.%:/]+)\1$/.exec(section);
  return match ? match[2] : undefined;
}

interface IniSection {
  values: Record<string, string>;
  /** `key =` followed by indented `sub = value` lines, as in `[services]` sections. */
  nested: Record<string, Record<string, string>>;
}

interface IniFile {
  sections: Map<string, IniSection>;
}

/** A small INI reader with the AWS files' rules: `#`/`;` comments, indented sub-properties. */
function parseIni(text: string): IniFile {
  const sections = new Map<string, IniSection>();
  let current: IniSection | undefined;
  let nestedKey: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = stripComment(rawLine);
    if (line.trim() === '') continue;
    const header = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (header) {
      const name = (header[1] as string).trim();
      current = sections.get(name) ?? { values: {}, nested: {} };
      sections.set(name, current);
      nestedKey = undefined;
      continue;
    }
    if (!current) continue;
    const pair = /^(\s*)([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!pair) continue;
    const [, indent, key, value] = pair as unknown as [string, string, string, string];
    if (indent.length > 0 && nestedKey !== undefined) {
      const block = (current.nested[nestedKey] ??= {});
      block[key.trim()] = value.trim();
      continue;
    }
    nestedKey = value.trim() === '' ? key.trim() : undefined;
    current.values[key.trim()] = value.trim();
  }
  return { sections };
}

function stripComment(line: string): string {
  if (/^\s*[#;]/.test(line)) return '';
  // An inline comment needs whitespace before its marker, so URLs with `#` survive.
  return line.replace(/\s+[#;].*$/, '');
}
