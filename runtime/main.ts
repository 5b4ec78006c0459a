import packageJson from '../package.json' with { type: 'json' };
import { buildOpenApiDocument } from '../handlers/openapi';
import { ROUTES } from '../handlers/routes';
import { DatabaseFileError } from '../storage/database';
import { createApp, type App } from './app';
import { parseCommandLine, UsageError, type CommandLine, type CommandSpec } from './cli';
import { acquireDataDirLock } from './lock';
import { runScanCommand, SCAN_FORMATS, type ScanFormat } from './scan-command';
import { ConfigError, loadConfig, type Config } from './config';
import { prepareDataDir } from './data-dir';
import { createLogger, type Logger } from './logger';
import { startServer } from './server';
import { loadTlsPair } from './tls';
import { loadMasterKey } from './master-key';
import { serveMcpOverStdio } from './mcp-stdio';
import { loadToken, rotateToken } from './token';

const VERSION: string = packageJson.version;

const COMMON_VALUES = ['data-dir'];
const COMMANDS: Record<string, CommandSpec> = {
  serve: {
    summary: 'Serve the HTTPS API (the default command)',
    usage: 'cws serve [--host H] [--port N] [--data-dir DIR] [--demo]',
    values: ['host', 'port', ...COMMON_VALUES],
    switches: ['demo'],
  },
  token: {
    summary: 'Print the API token (--rotate replaces it)',
    usage: 'cws token [--rotate] [--data-dir DIR]',
    values: COMMON_VALUES,
    switches: ['rotate'],
  },
  scan: {
    summary: 'Run one scan in-process and print its findings',
    usage:
      'cws scan [--demo] [--account ID]... [--region R]... [--format table|json|csv] [--data-dir DIR]',
    values: ['account', 'region', 'format', ...COMMON_VALUES],
    switches: ['demo'],
    repeatable: ['account', 'region'],
  },
  mcp: {
    summary: 'Serve the MCP tools over stdio (for desktop agents)',
    usage: 'cws mcp [--data-dir DIR]',
    values: COMMON_VALUES,
    switches: [],
  },
  version: { summary: 'Print the version', usage: 'cws version', values: [], switches: [] },
  openapi: {
    summary: 'Print the OpenAPI document',
    usage: 'cws openapi',
    values: [],
    switches: [],
  },
  help: { summary: 'Show this help', usage: 'cws help', values: [], switches: [] },
};

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const line = parseCommandLine(argv, COMMANDS, 'serve');
    if (line.flags.help) return printHelp(line.command);
    switch (line.command) {
      case 'version':
        console.log(`cws ${VERSION}`);
        return 0;
      case 'openapi':
        console.log(JSON.stringify(buildOpenApiDocument(ROUTES, VERSION), null, 2));
        return 0;
      case 'help':
        return printHelp();
      case 'token':
        return printToken(loadConfig(line.flags), line.flags.rotate === true);
      case 'scan':
        return await scanOnce(loadConfig(line.flags), line);
      case 'mcp':
        return await serveMcpOverStdio(loadConfig(line.flags), { version: VERSION, holdDataDir });
      default:
        return await serve(loadConfig(line.flags));
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`cws: ${error.message}`);
      return 2;
    }
    if (error instanceof StartupError) {
      console.error(`cws: ${error.message}`);
      return 1;
    }
    if (error instanceof DatabaseFileError) {
      console.error(
        `cws: ${error.message}\nThe file was left untouched. Move it aside (or restore a backup) and start again.`,
      );
      return 1;
    }
    throw error;
  }
}

function printHelp(command?: string): number {
  if (command && command !== 'help') {
    const spec = COMMANDS[command] as CommandSpec;
    console.log(`${spec.summary}\n\nusage: ${spec.usage}`);
    return 0;
  }
  const lines = Object.entries(COMMANDS).map(
    ([name, spec]) => `  ${name.padEnd(9)} ${spec.summary}`,
  );
  console.log(
    `cws ${VERSION}: finds and prices cloud waste\n\nusage: cws <command> [flags]\n\n${lines.join('\n')}\n\nRun "cws <command> --help" for a command's flags.`,
  );
  return 0;
}

function printToken(config: Config, rotate: boolean): number {
  const paths = prepareDataDir(config.dataDir);
  if (rotate) {
    console.log(rotateToken(paths.token));
    if (config.tokenOverride)
      console.error('cws: note: CWS_TOKEN is set and overrides the stored token');
    return 0;
  }
  console.log(loadToken(paths.token, config.tokenOverride).token);
  return 0;
}

async function scanOnce(config: Config, line: CommandLine): Promise<number> {
  const format = (line.flags.format ?? 'table') as ScanFormat;
  if (!SCAN_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${SCAN_FORMATS.join(', ')}`);
  const paths = prepareDataDir(config.dataDir);
  const lock = holdDataDir(paths.lock);
  const app = await createApp({
    config,
    logger: createLogger(config.logFormat, (text) => process.stderr.write(text)),
    databasePath: paths.database,
    kubectlCacheDir: paths.kubectlCache,
    reportsDir: paths.reports,
    masterKey: loadMasterKey(config.masterKey, paths.masterKey),
    token: () => '',
    info: { version: VERSION, base_url: '', self_signed_tls: false },
  });
  try {
    await app.recover();
    return await runScanCommand(
      app,
      {
        ...(line.flags.demo ? { demo_mode: true } : {}),
        ...(line.lists.account?.length ? { selected_accounts: line.lists.account } : {}),
        ...(line.lists.region?.length ? { regions: line.lists.region } : {}),
      },
      format,
    );
  } finally {
    await app.close();
    lock.release();
  }
}

/** A condition of the machine, not of the command line, that stops a command: exit code 1. */
class StartupError extends Error {
  override name = 'StartupError';
}

/** Takes the data directory for this process, or explains who holds it. */
function holdDataDir(path: string): { release(): void } {
  const lock = acquireDataDirLock(path);
  if ('heldBy' in lock) {
    throw new StartupError(
      `the data directory is in use by process ${lock.heldBy} (a running server?); use its API, or stop it first`,
    );
  }
  return lock;
}

/** Starts listening, turning a taken or forbidden address into a plain message. */
function listen<T>(start: () => T, config: Config): T {
  try {
    return start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || /in use/i.test(String((error as Error).message))) {
      throw new StartupError(
        `cannot listen on ${config.host}:${config.port}: the port is in use (choose another with --port)`,
      );
    }
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new StartupError(
        `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
      );
    }
    throw error;
  }
}

async function serve(config: Config): Promise<number> {
  const logger = createLogger(config.logFormat);
  const paths = prepareDataDir(config.dataDir);
  const lock = holdDataDir(paths.lock);
  const tls = await loadTlsPair({
    certPath: config.tlsCert,
    keyPath: config.tlsKey,
    ownCertPath: paths.tlsCert,
    ownKeyPath: paths.tlsKey,
    extraSans: config.tlsSans,
  });
  // The token is read at each check so `cws token --rotate` takes effect without a restart.
  let { token, created } = loadToken(paths.token, config.tokenOverride);
  if (created) {
    process.stderr.write(`\nAPI token (shown once; \`cws token\` prints it again):\n${token}\n\n`);
  }
  const app = await createApp({
    config,
    logger,
    databasePath: paths.database,
    kubectlCacheDir: paths.kubectlCache,
    reportsDir: paths.reports,
    masterKey: loadMasterKey(config.masterKey, paths.masterKey),
    token: () => token,
    info: { version: VERSION, base_url: '', self_signed_tls: tls.selfSigned },
  });
  const server = listen(
    () => startServer(app, { host: config.host, port: config.port, tls, logger }),
    config,
  );
  app.services.app.base_url = server.url;
  app.store.prepareReplica();
  await app.recover();
  await app.scheduler.start();
  const reload = setInterval(() => {
    if (!config.tokenOverride) token = loadToken(paths.token).token;
  }, 2000);
  logger.info('listening', {
    url: server.url,
    data_dir: config.dataDir,
    demo: config.demo,
    version: VERSION,
  });
  if (config.demo) await startDemoScan(app, logger);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info('shutting down', { signal });
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  clearInterval(reload);
  await server.stop();
  await app.close();
  lock.release();
  logger.info('stopped');
  logger.flush();
  return 0;
}

/**
 * The README's `cws serve --demo`: a fresh database gets one demo scan at start, so findings and
 * reports answer at once. A failure is logged and the server keeps serving.
 */
async function startDemoScan(app: App, logger: Logger): Promise<void> {
  try {
    const scanId = await app.startDemo();
    if (scanId) logger.info('demo scan started', { scan_id: scanId });
  } catch (error) {
    logger.error('demo scan could not start', { cause: String((error as Error)?.stack ?? error) });
  }
}

if (import.meta.main) {
  // SDK deprecation notices (url.parse in @alicloud/pop-core) are for their maintainers; printed
  // here they would break the JSON log stream operators parse.
  process.noDeprecation = true;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      const code = (error as NodeJS.ErrnoException)?.code;
      const message = error instanceof Error ? error.message : String(error);
      // File-system refusals are the operator's to fix: say which path and why, without a trace.
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') {
        console.error(`cws: ${message}`);
      } else {
        console.error(`cws: unexpected error: ${error instanceof Error ? error.stack : message}`);
      }
      process.exit(1);
    },
  );
}
