import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../handlers/mcp/server';
import { createApp } from './app';
import type { Config } from './config';
import { prepareDataDir } from './data-dir';
import { createLogger } from './logger';
import { loadMasterKey } from './master-key';
import { loadToken } from './token';

/**
 * `cws mcp`: the MCP tools over stdin/stdout for desktop agents. It opens the same data directory
 * and app as `cws serve`, without the HTTPS listener and without the scheduler (schedules belong
 * to the server). stdout carries protocol messages only: every log line goes to stderr. Ends
 * when the client closes stdin or on SIGINT/SIGTERM.
 */
export async function serveMcpOverStdio(
  config: Config,
  options: { version: string; holdDataDir: (path: string) => { release(): void } },
): Promise<number> {
  const logger = createLogger(config.logFormat, (line) => process.stderr.write(line));
  const paths = prepareDataDir(config.dataDir);
  const lock = options.holdDataDir(paths.lock);
  // Tools call the REST routes in-process with the API token; it is created on first use and
  // never printed here (stdout belongs to the protocol).
  const { token } = loadToken(paths.token, config.tokenOverride);
  const app = await createApp({
    config,
    logger,
    databasePath: paths.database,
    kubectlCacheDir: paths.kubectlCache,
    reportsDir: paths.reports,
    masterKey: loadMasterKey(config.masterKey, paths.masterKey),
    token: () => token,
    info: { version: options.version, base_url: '', self_signed_tls: false },
  });
  try {
    await app.recover();
    const server = createMcpServer(app.services);
    await server.connect(new StdioServerTransport());
    logger.info('mcp over stdio ready', { data_dir: config.dataDir, version: options.version });
    await new Promise<void>((resolve) => {
      server.onclose = () => resolve();
      process.stdin.once('end', () => resolve());
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await server.close();
    return 0;
  } finally {
    await app.close();
    lock.release();
    logger.info('mcp over stdio stopped');
  }
}
