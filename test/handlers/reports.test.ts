import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeScanner, volumeDraft, type FakeScanner } from '../fakes/scanner';
import { createTestApp, waitForScan, type TestApp } from '../support/app';
import { writeAwsProfiles, type AwsProfileFiles } from '../support/aws-profile';

let profiles: AwsProfileFiles;
let scanner: FakeScanner;
let reportsDir: string;
let test: TestApp;

beforeAll(() => {
  // The fake scanner never calls AWS; the profile only makes `profile_abc123` an account.
  profiles = writeAwsProfiles({ abc123: { endpoint: 'http://127.0.0.1:9' } });
});
afterAll(() => profiles.restore());
beforeEach(async () => {
  scanner = createFakeScanner();
  scanner.setDrafts([volumeDraft(1, 1024), volumeDraft(2, 50), volumeDraft(3, 200)]);
  reportsDir = mkdtempSync(join(tmpdir(), 'cws-reports-test-'));
  test = await createTestApp({ env: profiles.env, scanners: { aws: scanner }, reportsDir });
});
afterEach(async () => {
  await test.close();
  rmSync(reportsDir, { recursive: true, force: true });
});

async function completedScan(): Promise<any> {
  const started = await test.callJson('POST', '/v1/scans', {});
  expect(started.status).toBe(202);
  const scan = await waitForScan(test, started.body.scan_id);
  expect(scan.status).toBe('completed');
  return scan;
}

async function generate(body: unknown) {
  return test.callJson('POST', '/v1/reports/generate', body);
}

describe('POST /v1/reports/generate', () => {
  it('answers 404 report.source_not_found when no scan has completed', async () => {
    const { status, body } = await generate({ format: 'pdf', include_esg: true });
    expect(status).toBe(404);
    expect(body.error.code).toBe('report.source_not_found');
  });

  it.each([
    ['pdf', 'application/pdf'],
    ['csv', 'text/csv; charset=utf-8'],
    ['json', 'application/json; charset=utf-8'],
    ['html', 'text/html; charset=utf-8'],
  ])(
    'builds a %s report of the latest completed scan and serves its bytes',
    async (format, type) => {
      const scan = await completedScan();
      const { status, body, headers } = await generate({ format, include_esg: true });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        format,
        content_type: type,
        scan_id: scan.id,
        include_esg: true,
        download_url: `/v1/reports/${body.report_id}/download`,
      });
      expect(body.id).toBe(body.report_id);
      expect(body.filename).toMatch(
        new RegExp(`^cws-report-${scan.id}-\\d{8}-\\d{6}\\.${format}$`),
      );
      expect(headers.get('location')).toBe(`/v1/reports/${body.report_id}`);

      const download = await test.call('GET', `/v1/reports/${body.report_id}/download`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe(type);
      expect(download.headers.get('content-disposition')).toBe(
        `attachment; filename="${body.filename}"`,
      );
      const bytes = new Uint8Array(await download.arrayBuffer());
      expect(bytes.byteLength).toBe(body.size_bytes);
      expect(readdirSync(reportsDir)).toEqual([`${body.report_id}.${format}`]);
      const text = new TextDecoder().decode(bytes);
      if (format === 'pdf') expect(text.startsWith('%PDF-')).toBe(true);
      if (format === 'csv') {
        const [header, ...rows] = text
          .replace(/^\uFEFF/, '')
          .trimEnd()
          .split('\r\n');
        expect(header?.startsWith('id,scan_id,rule_id,provider,account_id')).toBe(true);
        expect(rows).toHaveLength(3);
        expect(text).toContain('"data, ""quoted"" 1"');
      }
      if (format === 'json') expect(JSON.parse(text).findings).toHaveLength(3);
      if (format === 'html') expect(text).toContain('Zürich-数据-2');
    },
  );

  it('writes findings with exactly the fields of the findings API into the JSON report', async () => {
    await completedScan();
    const { body } = await generate({ format: 'json' });
    const report = await (await test.call('GET', `/v1/reports/${body.id}/download`)).json();
    const findings = (await test.callJson('GET', '/v1/findings')).body;
    expect(Object.keys(report.findings[0]).sort()).toEqual(Object.keys(findings[0]).sort());
    expect(report.esg).toBeUndefined();
  });

  it('shows money in the configured currency', async () => {
    await completedScan();
    await test.callJson('PATCH', '/v1/settings/general', { currency: 'EUR' });
    const { body } = await generate({ format: 'json', include_esg: true });
    const report = await (await test.call('GET', `/v1/reports/${body.id}/download`)).json();
    expect(report.currency).toBe('EUR');
    expect(report.findings[0].currency).toBe('EUR');
    expect(report.esg.method).toContain('Cloud Carbon Footprint');
  });

  it('reports on the scan named by scan_id, defaulting to the latest completed one', async () => {
    const first = await completedScan();
    scanner.setDrafts([volumeDraft(9, 10)]);
    const second = await completedScan();
    expect((await generate({ format: 'csv' })).body.scan_id).toBe(second.id);
    expect((await generate({ format: 'csv', scan_id: first.id })).body.scan_id).toBe(first.id);
  });

  it('refuses scans that did not complete and scans that do not exist', async () => {
    await completedScan();
    scanner.failWith({ code: 'AuthFailure', message: 'denied' });
    const started = await test.callJson('POST', '/v1/scans', {});
    const failed = await waitForScan(test, started.body.scan_id);
    expect(failed.status).toBe('failed');
    const refused = await generate({ format: 'pdf', scan_id: failed.id });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('report.source_not_found');
    const unknown = await generate({ format: 'pdf', scan_id: 'scan_nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('resource.not_found');
  });

  it.each([
    [{ format: 'docx' }, 'format'],
    [{}, 'format'],
    [{ format: 'pdf', include_esg: 'yes' }, 'include_esg'],
    [{ format: 'pdf', colour: 'blue' }, 'colour'],
  ])('refuses %j with a detail naming the field', async (payload, field) => {
    const { status, body } = await generate(payload);
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('publishes report.generated once the report is stored', async () => {
    await completedScan();
    const seen: unknown[] = [];
    test.app.services.bus.subscribe('report.generated', (event) => void seen.push(event));
    const { body } = await generate({ format: 'html' });
    expect(seen).toEqual([{ report_id: body.id, scan_id: body.scan_id, format: 'html' }]);
  });
});

describe('GET /v1/reports', () => {
  it('lists reports newest first, as an array or an envelope with a cursor', async () => {
    await completedScan();
    const ids: string[] = [];
    for (const format of ['pdf', 'csv', 'json']) ids.push((await generate({ format })).body.id);
    // Reports made within one millisecond tie on created_at; the order is then by id.
    const list = (await test.callJson('GET', '/v1/reports')).body as {
      id: string;
      created_at: string;
    }[];
    expect(list.map((r) => r.id).sort()).toEqual([...ids].sort());
    const times = list.map((r) => r.created_at);
    expect(times).toEqual([...times].sort().reverse());

    const first = await test.callJson('GET', '/v1/reports?limit=2&envelope=true');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.page.has_more).toBe(true);
    const rest = await test.callJson('GET', `/v1/reports?cursor=${first.body.page.next_cursor}`);
    expect(rest.body.page.has_more).toBe(false);
    expect([...first.body.items, ...rest.body.items].map((r: { id: string }) => r.id)).toEqual(
      list.map((r) => r.id),
    );

    const csv = await test.callJson('GET', '/v1/reports?format=csv');
    expect(csv.body.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    expect((await test.callJson('GET', '/v1/reports?format=doc')).status).toBe(400);
  });

  it('returns one report and 404 for an unknown id', async () => {
    await completedScan();
    const { body } = await generate({ format: 'pdf', include_esg: true });
    expect((await test.callJson('GET', `/v1/reports/${body.id}`)).body).toEqual(body);
    const missing = await test.callJson('GET', '/v1/reports/rpt_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('resource.not_found');
    expect((await test.callJson('GET', '/v1/reports/rpt_nope/download')).status).toBe(404);
  });
});

describe('DELETE /v1/reports/{id}', () => {
  it('removes the row and the file', async () => {
    await completedScan();
    const { body } = await generate({ format: 'pdf' });
    const file = join(reportsDir, `${body.id}.pdf`);
    expect(existsSync(file)).toBe(true);
    expect((await test.call('DELETE', `/v1/reports/${body.id}`)).status).toBe(204);
    expect(existsSync(file)).toBe(false);
    expect((await test.callJson('GET', `/v1/reports/${body.id}`)).status).toBe(404);
    expect((await test.callJson('DELETE', `/v1/reports/${body.id}`)).status).toBe(404);
  });

  it('answers 404 for a download whose file vanished from the disk', async () => {
    await completedScan();
    const { body } = await generate({ format: 'csv' });
    rmSync(join(reportsDir, `${body.id}.csv`));
    const download = await test.callJson('GET', `/v1/reports/${body.id}/download`);
    expect(download.status).toBe(404);
    expect(download.body.error.message).toContain('missing');
  });
});

describe('GET /v1/reports/overview', () => {
  it('sums the latest scan by provider, account and rule with a 30-day trend by default', async () => {
    const scan = await completedScan();
    const { status, body } = await test.callJson('GET', '/v1/reports/overview');
    expect(status).toBe(200);
    expect(body.window_days).toBe(30);
    expect(body.daily_trend).toHaveLength(30);
    expect(body.daily_trend.at(-1)).toMatchObject({ scan_id: scan.id, findings: 3 });
    expect(body.totals).toMatchObject({ findings: 3, scans_completed: 1, last_scan_id: scan.id });
    expect(body.totals.estimated_monthly_savings).toBeCloseTo(scan.estimated_monthly_savings, 2);
    expect(body.by_provider.map((g: { key: string }) => g.key)).toEqual(['aws']);
    expect(body.by_account.map((g: { key: string }) => g.key)).toEqual(['profile_abc123']);
    expect(body.by_rule.map((g: { key: string }) => g.key)).toEqual(['aws.ebs.unattached']);
  });

  it('takes window_days from 1 to 365', async () => {
    expect(
      (await test.callJson('GET', '/v1/reports/overview?window_days=1')).body.window_days,
    ).toBe(1);
    const year = await test.callJson('GET', '/v1/reports/overview?window_days=365');
    expect(year.body.daily_trend).toHaveLength(365);
    expect(year.body.totals.findings).toBe(0);
  });

  it.each(['0', '366', 'abc', '7.5', '-1'])('refuses window_days=%s', async (value) => {
    const { status, body } = await test.callJson(
      'GET',
      `/v1/reports/overview?window_days=${value}`,
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
    expect(body.error.details[0].path).toBe('window_days');
  });
});
