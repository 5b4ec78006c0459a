import { describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../core/events';
import type { ScanNotifier } from '../../core/notify/scan-notifier';
import type { ScanRecord } from '../../core/scan/types';
import type { Logger } from '../../runtime/logger';
import { wireNotifications } from '../../runtime/notifications';
import { createTestApp } from '../support/app';

function recordingLogger(lines: string[]): Logger {
  const write = (message: string, fields = {}) =>
    void lines.push(JSON.stringify({ message, ...fields }));
  return { info: write, warn: write, error: write };
}

describe('wireNotifications', () => {
  it('runs a delivery per terminal scan event and logs one that throws, without the publisher noticing', async () => {
    const bus = new EventBus();
    const lines: string[] = [];
    const seen: string[] = [];
    let release = () => {};
    const notifier: ScanNotifier = {
      async scanFinished(scanId) {
        seen.push(scanId);
        if (scanId === 'scan_slow') await new Promise<void>((resolve) => (release = resolve));
        if (scanId === 'scan_broken') throw new Error('boom');
      },
      async settleInterrupted() {},
    };
    const wiring = wireNotifications(bus, notifier, recordingLogger(lines));
    expect(() => bus.publish('scan.failed', { scan_id: 'scan_broken', error: 'x' })).not.toThrow();
    bus.publish('scan.completed', { scan_id: 'scan_slow' });
    bus.publish('scan.canceled', { scan_id: 'scan_gone' });
    bus.publish('scan.started', { scan_id: 'scan_ignored' });
    // Each delivery starts on a later turn of the event loop, not inside publish().
    expect(seen).toEqual([]);
    await Bun.sleep(5);
    expect(seen).toEqual(['scan_broken', 'scan_slow', 'scan_gone']);

    let idle = false;
    const waiting = wiring.whenIdle().then(() => (idle = true));
    await Bun.sleep(10);
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      message: 'scan notification failed unexpectedly',
      scan_id: 'scan_broken',
      cause: 'boom',
    });

    wiring.detach();
    bus.publish('scan.completed', { scan_id: 'scan_after' });
    expect(seen).not.toContain('scan_after');
  });
});

describe('restart', () => {
  it('settles report e-mails left pending by a previous run instead of sending them again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cws-notify-restart-'));
    try {
      const databasePath = join(dir, 'cws.sqlite');
      const first = await createTestApp({ databasePath, reportsDir: join(dir, 'reports') });
      const base: Omit<ScanRecord, 'id' | 'status' | 'created_at'> = {
        trigger_source: 'api',
        request: { report_emails: ['finops@example.com'] },
        selected_accounts: [],
        started_at: null,
        finished_at: null,
        resources_scanned: 0,
        resources_found: 0,
        estimated_monthly_savings_usd: 0,
        carbon_kg_monthly: 0,
        accounts: [],
        inventory: null,
        includes_kubernetes: false,
        error: null,
        report_email_status: { status: 'pending', recipients: ['finops@example.com'] },
        counted_toward_quota: false,
      };
      const records = first.app.services.scanRecords;
      await records.create({
        ...base,
        id: 'scan_done',
        status: 'completed',
        created_at: '2026-11-30T00:00:00.000Z',
      });
      await records.create({
        ...base,
        id: 'scan_cut',
        status: 'running',
        created_at: '2026-11-30T00:00:01.000Z',
      });
      await first.app.store.close();

      const second = await createTestApp({ databasePath, reportsDir: join(dir, 'reports') });
      try {
        await second.app.recover();
        const done = (await second.callJson('GET', '/v1/scans/scan_done')).body;
        expect(done.report_email_status).toEqual({
          status: 'failed',
          reason: 'the server stopped before the e-mail was sent',
          recipients: ['finops@example.com'],
        });
        const cut = (await second.callJson('GET', '/v1/scans/scan_cut')).body;
        expect(cut.status).toBe('failed');
        expect(cut.report_email_status).toMatchObject({
          status: 'skipped',
          reason: 'the scan failed; no report was sent',
        });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
