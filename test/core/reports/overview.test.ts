import { describe, expect, it } from 'bun:test';
import type { Finding } from '../../../core/model';
import { buildOverview, type OverviewScan } from '../../../core/reports/overview';
import { SAMPLE_FINDINGS } from '../../fixtures/reports/sample';

const NOW = new Date('2026-12-03T12:00:00.000Z');
const [EBS, NAT, VM, EIP, PV] = SAMPLE_FINDINGS as [Finding, Finding, Finding, Finding, Finding];

function scan(
  id: string,
  finishedAt: string | null,
  findings: Finding[],
  extra: Partial<OverviewScan> = {},
): OverviewScan {
  return { id, status: 'completed', finished_at: finishedAt, accounts: [], findings, ...extra };
}

describe('buildOverview', () => {
  it('has one trend point per day of the window, oldest first, today included', () => {
    const overview = buildOverview([], 7, NOW);
    expect(overview.daily_trend.map((p) => p.date)).toEqual([
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
    ]);
    expect(overview.from).toBe('2026-11-27T00:00:00.000Z');
    expect(overview.daily_trend.every((p) => p.scan_id === null && p.findings === null)).toBe(true);
    expect(overview.totals.findings).toBe(0);
  });

  it("takes each day's latest completed scan for the trend", () => {
    const overview = buildOverview(
      [
        scan('late', '2026-12-02T18:00:00Z', [EBS]),
        scan('early', '2026-12-02T06:00:00Z', [EBS, NAT, VM]),
        scan('failed', '2026-12-02T20:00:00Z', [], { status: 'failed' }),
        scan('empty', '2026-12-01T10:00:00Z', []),
      ],
      3,
      NOW,
    );
    expect(overview.daily_trend).toEqual([
      { date: '2026-12-01', scan_id: 'empty', findings: 0, estimated_monthly_savings: 0 },
      { date: '2026-12-02', scan_id: 'late', findings: 1, estimated_monthly_savings: 81.92 },
      { date: '2026-12-03', scan_id: null, findings: null, estimated_monthly_savings: null },
    ]);
    expect(overview.totals.scans_completed).toBe(3);
    expect(overview.totals.last_scan_id).toBe('late');
  });

  it('ignores scans outside the window, running scans and future ones', () => {
    const overview = buildOverview(
      [
        scan('old', '2026-11-01T00:00:00Z', [VM]),
        scan('running', null, [VM], { status: 'running' }),
        scan('future', '2026-12-04T00:00:00Z', [VM]),
      ],
      30,
      NOW,
    );
    expect(overview.totals.findings).toBe(0);
    expect(overview.totals.scans_completed).toBe(0);
  });

  it("builds the current state from each account's latest scan", () => {
    const overview = buildOverview(
      [
        scan('full', '2026-12-01T08:00:00Z', [EBS, NAT, VM, EIP, PV], {
          accounts: ['profile_prod', 'acc_azure_finance', 'acc_ali_cn', 'kube_prod-cluster'],
        }),
        // Later partial scan of one account: the NAT gateway is gone, the others stay as they were.
        scan('prod-only', '2026-12-02T08:00:00Z', [EBS], { accounts: ['profile_prod'] }),
      ],
      7,
      NOW,
    );
    expect(overview.totals.findings).toBe(4);
    expect(overview.totals.estimated_monthly_savings).toBe(381.89);
    expect(overview.totals.accounts).toBe(4);
    expect(overview.by_provider.map((g) => [g.key, g.findings])).toEqual([
      ['azure', 1],
      ['aws', 1],
      ['kubernetes', 1],
      ['alibaba', 1],
    ]);
    expect(
      overview.by_account.find((g) => g.key === 'profile_prod')?.estimated_monthly_savings,
    ).toBe(81.92);
    expect(overview.by_rule.map((g) => g.key)).not.toContain('aws.nat.unused');
  });

  it('shows money in the asked currency', () => {
    const overview = buildOverview([scan('s', '2026-12-03T01:00:00Z', [EBS, VM])], 1, NOW, {
      currency: 'EUR',
    });
    expect(overview.currency).toBe('EUR');
    expect(overview.totals.estimated_monthly_savings).toBe(333.26);
    expect(overview.daily_trend).toEqual([
      { date: '2026-12-03', scan_id: 's', findings: 2, estimated_monthly_savings: 333.26 },
    ]);
  });

  it('treats a window below one day as one day', () => {
    expect(buildOverview([], 0, NOW).daily_trend).toHaveLength(1);
  });
});
