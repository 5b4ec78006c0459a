import { afterEach, describe, expect, it } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTestApp, TEST_TOKEN, type TestApp } from '../support/app';

const TOOL_NAMES = [
  'run_scan',
  'get_scan',
  'get_settings',
  'update_general_settings',
  'list_findings',
  'list_reports',
  'get_report',
  'get_k8s_governance',
  'get_k8s_action_plan',
];
const apps: TestApp[] = [];
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(): Promise<TestApp> {
  // A fixed clock: documents with a generated_at compare equal between the tool and the route.
  const test = await createTestApp({ clock: () => new Date('2026-12-01T09:00:00Z') });
  apps.push(test);
  return test;
}

async function pollTool(test: TestApp, scanId: string): Promise<any> {
  for (let tries = 0; tries < 1000; tries += 1) {
    const { body } = await test.callJson('GET', `/v1/mcp/tools/get-scan/${scanId}`);
    if (['completed', 'failed', 'canceled'].includes(body.result.status)) return body;
    await Bun.sleep(10);
  }
  throw new Error(`scan ${scanId} did not finish`);
}

describe('GET /v1/mcp/capabilities', () => {
  it('lists every tool with a JSON input schema and its REST route', async () => {
    const test = await start();
    const { status, body } = await test.callJson('GET', '/v1/mcp/capabilities');
    expect(status).toBe(200);
    expect(body.tools.map((tool: { name: string }) => tool.name)).toEqual(TOOL_NAMES);
    expect(body.protocol).toMatchObject({ endpoint: '/mcp', stdio_command: 'cws mcp' });
    const runScan = body.tools[0];
    expect(runScan).toMatchObject({ method: 'POST', path: '/v1/mcp/tools/run-scan' });
    expect(runScan.input_schema.type).toBe('object');
    expect(runScan.input_schema.properties.demo_mode).toEqual({ type: 'boolean' });
    expect(runScan.input_schema.additionalProperties).toBe(false);
    expect(body.tools[1]).toMatchObject({ method: 'GET', path: '/v1/mcp/tools/get-scan/{id}' });
    expect(body.tools[1].input_schema.required).toEqual(['scan_id']);
    for (const tool of body.tools) expect(tool.input_schema.type).toBe('object');
  });

  it('documents the tool routes and /mcp in the OpenAPI document', async () => {
    const test = await start();
    const { body } = await test.callJson('GET', '/v1/openapi.json');
    expect(body.paths['/v1/mcp/tools/run-scan'].post).toBeDefined();
    expect(body.paths['/v1/mcp/tools/get-scan/{id}'].get).toBeDefined();
    expect(
      body.paths['/v1/mcp/tools/list-findings'].get.parameters.map((p: any) => p.name),
    ).toContain('min_monthly_cost');
    expect(body.paths['/mcp'].post).toBeDefined();
    expect(body.paths['/v1/schedules/{id}/run-now'].post).toBeDefined();
    expect(body.paths['/v1/webhooks/{id}/deliveries'].get).toBeDefined();
  });
});

describe('REST MCP tools', () => {
  it('runs a demo scan with run_scan and follows it with get_scan', async () => {
    const test = await start();
    const run = await test.callJson('POST', '/v1/mcp/tools/run-scan', { demo_mode: true });
    expect(run.status).toBe(200);
    expect(run.body.tool).toBe('run_scan');
    expect(run.body.result).toMatchObject({ status: 'queued' });
    expect(run.body.result.scan_id).toMatch(/^scan_/);
    const final = await pollTool(test, run.body.result.scan_id);
    expect(final.tool).toBe('get_scan');
    // The same scan GET /v1/scans/{id} shows.
    const direct = await test.callJson('GET', `/v1/scans/${run.body.result.scan_id}`);
    expect(final.result).toEqual(direct.body);
    expect(final.result.status).toBe('completed');
    expect(final.result.demo_mode).toBe(true);

    const findings = await test.callJson('GET', '/v1/mcp/tools/list-findings?limit=2');
    expect(findings.body.tool).toBe('list_findings');
    expect(findings.body.result.items).toHaveLength(2);
    expect(findings.body.result.page).toMatchObject({ limit: 2, has_more: true });
    const next = await test.callJson(
      'GET',
      `/v1/mcp/tools/list-findings?limit=2&cursor=${findings.body.result.page.next_cursor}`,
    );
    expect(next.body.result.items[0].id).not.toBe(findings.body.result.items[0].id);
  });

  it("passes the route's refusals through with their status and code", async () => {
    const test = await start();
    const missing = await test.callJson('GET', '/v1/mcp/tools/get-scan/scan_nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: { code: 'resource.not_found', message: 'no scan scan_nope' },
      request_id: 'test-request',
    });
    const invalid = await test.callJson('POST', '/v1/mcp/tools/run-scan', { demo_mode: 'yes' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toBe('demo_mode');
    const nothing = await test.callJson('POST', '/v1/mcp/tools/run-scan', {});
    expect(nothing.status).toBe(422);
    expect(nothing.body.error.code).toBe('scan.no_active_checks');
    const provider = await test.callJson('GET', '/v1/mcp/tools/list-findings?provider=gcp');
    expect(provider.status).toBe(400);
    const limit = await test.callJson('GET', '/v1/mcp/tools/list-findings?limit=0');
    expect(limit.body.error.details[0].path).toBe('limit');
  });

  it('reads and changes settings', async () => {
    const test = await start();
    const settings = await test.callJson('GET', '/v1/mcp/tools/get-settings');
    expect(settings.body.tool).toBe('get_settings');
    expect(settings.body.result.general.currency).toBe('USD');
    expect(settings.body.result.scan_policy.stopped_instance_days).toBe(30);
    expect(settings.body.result.quota.monthly_scan_limit).toBeNull();
    const changed = await test.callJson('POST', '/v1/mcp/tools/update-general-settings', {
      currency: 'EUR',
    });
    expect(changed.body).toMatchObject({
      tool: 'update_general_settings',
      result: { currency: 'EUR' },
    });
    expect((await test.callJson('GET', '/v1/settings/general')).body.currency).toBe('EUR');
    const empty = await test.callJson('POST', '/v1/mcp/tools/update-general-settings', {});
    expect(empty.status).toBe(400);
  });

  it('answers the report and Kubernetes tools exactly as their routes do', async () => {
    const test = await start();
    const reports = await test.callJson('GET', '/v1/mcp/tools/list-reports');
    const reportsDirect = await test.callJson('GET', '/v1/reports?envelope=true');
    expect(reports.status).toBe(reportsDirect.status);
    if (reports.status === 200) expect(reports.body.result).toEqual(reportsDirect.body);
    const report = await test.callJson('GET', '/v1/mcp/tools/get-report/rep_nope');
    expect(report.status).toBe(404);
    for (const [tool, route] of [
      ['get-k8s-governance', 'k8s-governance'],
      ['get-k8s-action-plan', 'k8s-action-plan'],
    ]) {
      const viaTool = await test.callJson('GET', `/v1/mcp/tools/${tool}?window_days=7`);
      const direct = await test.callJson('GET', `/v1/reports/${route}?window_days=7`);
      expect(viaTool.status).toBe(direct.status);
      if (direct.status === 200) expect(viaTool.body.result).toEqual(direct.body);
      else expect(viaTool.body.error.code).toBe(direct.body.error.code);
    }
    const badWindow = await test.callJson('GET', '/v1/mcp/tools/get-k8s-governance?window_days=0');
    expect(badWindow.status).toBe(400);
  });
});

describe('POST /mcp (Model Context Protocol over streamable HTTP)', () => {
  async function connect(test: TestApp): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL('https://127.0.0.1/mcp'), {
      fetch: (url, init) => {
        const request = new Request(url, init);
        request.headers.set('authorization', `Bearer ${TEST_TOKEN}`);
        return test.app.handle(request, { requestId: 'mcp-test', clientAddress: '127.0.0.1' });
      },
    });
    const client = new Client({ name: 'cws-test', version: '1.0.0' });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  it('lists the tools and runs a demo scan to completion with the SDK client', async () => {
    const test = await start();
    const client = await connect(test);
    expect(client.getServerVersion()).toMatchObject({ name: 'cws', version: 'test' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    expect(tools[0]!.inputSchema.properties).toHaveProperty('selected_accounts');

    const run = await client.callTool({ name: 'run_scan', arguments: { demo_mode: true } });
    expect(run.isError).toBeFalsy();
    const { scan_id } = run.structuredContent as { scan_id: string };
    expect(scan_id).toMatch(/^scan_/);
    let status = '';
    for (let tries = 0; tries < 1000 && !['completed', 'failed'].includes(status); tries += 1) {
      const scan = await client.callTool({ name: 'get_scan', arguments: { scan_id } });
      status = (scan.structuredContent as { status: string }).status;
      const text = (scan.content as Array<{ text: string }>)[0]!.text;
      expect(JSON.parse(text)).toEqual(scan.structuredContent);
      if (status !== 'completed') await Bun.sleep(10);
    }
    expect(status).toBe('completed');
    const findings = await client.callTool({ name: 'list_findings', arguments: { limit: 3 } });
    expect((findings.structuredContent as { items: unknown[] }).items).toHaveLength(3);
  });

  it('reports refusals as tool errors an agent can read', async () => {
    const test = await start();
    const client = await connect(test);
    const missing = await client.callTool({ name: 'get_scan', arguments: { scan_id: 'scan_x' } });
    expect(missing.isError).toBe(true);
    expect(JSON.parse((missing.content as Array<{ text: string }>)[0]!.text)).toMatchObject({
      code: 'resource.not_found',
    });
    const invalid = await client.callTool({ name: 'run_scan', arguments: { regions: 'all' } });
    expect(invalid.isError).toBe(true);
    expect((invalid.content as Array<{ text: string }>)[0]!.text).toContain(
      'request.validation_failed',
    );
    await expect(client.callTool({ name: 'delete_everything', arguments: {} })).rejects.toThrow(
      /unknown tool/,
    );
  });

  it('needs the bearer token and offers no GET stream', async () => {
    const test = await start();
    const anonymous = await test.callJson(
      'POST',
      '/mcp',
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { authorization: '' },
    );
    expect(anonymous.status).toBe(401);
    const stream = await test.call('GET', '/mcp', undefined, { accept: 'text/event-stream' });
    expect(stream.status).toBe(405);
    expect(stream.headers.get('allow')).toBe('POST');
  });
});
