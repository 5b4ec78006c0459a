import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PassThrough } from 'node:stream';

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cws-mcp-stdio-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cws mcp', () => {
  it('serves the tools over stdio with the SDK client and keeps logs on stderr', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(import.meta.dir, '../../runtime/main.ts'), 'mcp', '--data-dir', dataDir],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dataDir,
        AWS_CONFIG_FILE: join(dataDir, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'no-aws-credentials'),
        CWS_LOG_FORMAT: 'json',
      },
      stderr: 'pipe',
    });
    const logs: string[] = [];
    (transport.stderr as PassThrough).on('data', (chunk) => logs.push(String(chunk)));
    const client = new Client({ name: 'cws-stdio-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('run_scan');

      const run = await client.callTool({ name: 'run_scan', arguments: { demo_mode: true } });
      const { scan_id } = run.structuredContent as { scan_id: string };
      let status = 'queued';
      for (let tries = 0; tries < 500 && !['completed', 'failed'].includes(status); tries += 1) {
        const scan = await client.callTool({ name: 'get_scan', arguments: { scan_id } });
        status = (scan.structuredContent as { status: string }).status;
        if (status !== 'completed') await Bun.sleep(20);
      }
      expect(status).toBe('completed');
    } finally {
      await client.close();
    }
    // The child wrote its log lines to stderr as JSON, and released the data directory.
    const lines = logs.join('').split('\n').filter(Boolean);
    expect(lines.some((line) => JSON.parse(line).msg === 'mcp over stdio ready')).toBe(true);
    for (let tries = 0; tries < 200 && existsSync(join(dataDir, 'cws.lock')); tries += 1) {
      await Bun.sleep(10);
    }
    expect(existsSync(join(dataDir, 'cws.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, 'cws.lock'))).toBe(false);
  }, 30_000);
});
