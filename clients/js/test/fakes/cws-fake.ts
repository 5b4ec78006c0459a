import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TlsPair } from './tls-pair.ts';

/** One request as the fake saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A running fake CWS server. */
export interface CwsFake {
  baseUrl: string;
  token: string;
  requests: SeenRequest[];
  stop(): Promise<void>;
}

/** Bytes of the fake report: not valid UTF-8, so any text decoding would corrupt them. */
export const REPORT_BYTES = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x80, 0x0a]);

const TOKEN = 'cws_fake_token';
const ACCOUNTS = ['profile_a', 'profile_b', 'profile_c', 'azure_1', 'alibaba_1'];

/**
 * Starts an HTTPS fake of the CWS API on 127.0.0.1, port 0, answering in the contract's shapes:
 * bearer auth, legacy arrays or `{items, page}` envelopes with base64url keyset cursors, the error
 * body, a scan that completes on the third poll, and a binary report download.
 */
export async function startCwsFake(tls: TlsPair, findingCount = 7): Promise<CwsFake> {
  const requests: SeenRequest[] = [];
  const findings = Array.from({ length: findingCount }, (_, i) => makeFinding(i));
  const polls = new Map<string, number>();
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://fake');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      route(seen, res, { findings, polls });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}`,
    token: TOKEN,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface FakeState {
  findings: ReturnType<typeof makeFinding>[];
  polls: Map<string, number>;
}

function route(req: SeenRequest, res: ServerResponse, state: FakeState): void {
  const requestId = String(
    req.headers['x-request-id'] ?? `req_${Math.random().toString(16).slice(2)}`,
  );
  res.setHeader('X-Request-Id', requestId);
  const key = `${req.method} ${req.path}`;
  if (key === 'GET /status') return json(res, 200, statusBody());
  const auth = req.headers.authorization;
  if (!auth) return fail(res, 401, 'auth.missing_token', 'Bearer token missing', requestId);
  if (auth !== `Bearer ${TOKEN}`) {
    return fail(res, 401, 'auth.invalid_token', 'Bearer token not accepted', requestId);
  }

  const scanMatch = /^\/v1\/scans\/([^/]+)$/.exec(req.path);
  if (key === 'GET /v1/openapi.json') return json(res, 200, openApiBody());
  if (key === 'GET /v1/meta/compatibility') return json(res, 200, compatibilityBody());
  if (key === 'GET /v1/findings') return list(req, res, state.findings, requestId);
  if (key === 'GET /v1/accounts') return list(req, res, accounts(), requestId, 2);
  if (key === 'GET /v1/findings/missing' || key === 'GET /v1/scans/missing') {
    return fail(res, 404, 'resource.not_found', 'No such resource', requestId);
  }
  if (key === 'PATCH /v1/settings/general' && req.body.trim() === '{}') {
    return fail(res, 400, 'request.validation_failed', 'Body has no field to change', requestId, [
      { path: '', message: 'at least one field is required' },
    ]);
  }
  if (key === 'POST /v1/scans') {
    return json(res, 202, { scan_id: 'scan_1', status: 'queued', message: 'Scan queued' });
  }
  if (req.method === 'GET' && scanMatch?.[1]) return json(res, 200, pollScan(scanMatch[1], state));
  if (key === 'POST /v1/scans/scan_done/cancel') {
    return fail(res, 409, 'scan.not_cancelable', 'Scan already finished', requestId);
  }
  if (key === 'GET /v1/reports/rep_1/download') {
    res.writeHead(200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': 'attachment; filename="report.pdf"',
    });
    return void res.end(REPORT_BYTES);
  }
  if (key === 'GET /v1/slow') {
    setTimeout(() => json(res, 200, {}), 1500);
    return;
  }
  if (key === 'GET /v1/not-json') {
    res.writeHead(502, { 'Content-Type': 'text/html' });
    return void res.end('<html>bad gateway</html>');
  }
  // Everything else answers an empty success, so route-mapping tests can inspect the request.
  if (req.method === 'DELETE') return void res.writeHead(204).end();
  if (req.query.get('envelope') === 'true') return list(req, res, [], requestId);
  return json(res, 200, { ok: true });
}

/** Legacy array unless `envelope=true` or a cursor is given; keyset on the item's index. */
function list(
  req: SeenRequest,
  res: ServerResponse,
  items: unknown[],
  requestId: string,
  maxLimit = 250,
): void {
  const limit = Number(req.query.get('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
    return fail(res, 400, 'request.validation_failed', 'limit must be 1-250', requestId, [
      { path: 'limit', message: 'must be an integer between 1 and 250' },
    ]);
  }
  const cursor = req.query.get('cursor');
  let start = 0;
  if (cursor !== null) {
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!/^after:\d+$/.test(decoded)) {
      return fail(res, 400, 'request.validation_failed', 'cursor is not valid', requestId, [
        { path: 'cursor', message: 'unknown cursor' },
      ]);
    }
    start = Number(decoded.slice('after:'.length));
  }
  const size = Math.min(limit, maxLimit);
  const slice = items.slice(start, start + size);
  if (req.query.get('envelope') !== 'true' && cursor === null) return json(res, 200, slice);
  const hasMore = start + size < items.length;
  const next = hasMore ? Buffer.from(`after:${start + size}`).toString('base64url') : null;
  json(res, 200, { items: slice, page: { limit: size, next_cursor: next, has_more: hasMore } });
}

function pollScan(id: string, state: FakeState) {
  const count = (state.polls.get(id) ?? 0) + 1;
  state.polls.set(id, count);
  const status = count >= 3 ? 'completed' : count === 2 ? 'running' : 'queued';
  return {
    scan_id: id,
    id,
    status: id === 'scan_done' ? 'completed' : status,
    trigger_source: 'api',
    created_at: '2026-12-01T10:00:00Z',
    started_at: null,
    finished_at: null,
    selected_accounts: [],
    resources_scanned: 0,
    resources_found: 0,
    estimated_monthly_savings: 0,
    currency: 'USD',
    carbon_kg_monthly: 0,
    accounts: [],
    error: null,
    report_email_status: null,
    counted_toward_quota: true,
  };
}

function makeFinding(i: number) {
  return {
    id: `fnd_${String(i).padStart(3, '0')}`,
    scan_id: 'scan_1',
    rule_id: 'aws.ebs.unattached',
    provider: 'aws',
    account_id: 'profile_a',
    region: 'us-east-1',
    resource_type: 'ebs_volume',
    resource_id: `vol-${i}`,
    resource_name: `data-${i}`,
    title: 'Unattached EBS volume',
    details: 'Volume is available and attached to nothing.',
    evidence: { State: 'available', Size: 100 },
    action_type: 'DELETE',
    recommendation: 'Snapshot, then delete the volume.',
    estimated_monthly_cost: 8,
    estimated_monthly_cost_usd: 8,
    currency: 'USD',
    price_source: 'table:us-east-1',
    carbon_kg_monthly: 0.4,
    confidence: 'high',
    first_seen_at: '2026-12-01T10:00:00Z',
    handled: false,
  };
}

function accounts() {
  return ACCOUNTS.map((id) => ({ id, provider: 'aws', name: id, source: 'aws_profile' }));
}

function statusBody() {
  return {
    status: 'running',
    version: '0.0.0-fake',
    api_version: 'v1',
    base_url: 'https://127.0.0.1',
    tls_enabled: true,
    self_signed_tls: true,
    uptime_seconds: 1,
  };
}

function openApiBody() {
  return {
    openapi: '3.1.0',
    info: { title: 'CWS Local API', version: 'v1' },
    paths: { '/v1/findings': { get: { operationId: 'listFindings' } } },
  };
}

function compatibilityBody() {
  return {
    versioning: { stability: 'additive', minimum_notice_days: 90, deprecated_routes: [] },
    pagination: {
      legacy_array_default: true,
      envelope_param: 'envelope',
      cursor_param: 'cursor',
      cursor_field: 'page.next_cursor',
      max_limit: 250,
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function fail(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
  details: { path: string; message: string }[] = [],
): void {
  json(res, status, { error: { code, message, details }, request_id: requestId });
}
