import { describe, expect, it } from 'bun:test';
import { convertFromUsd } from '../../../core/pricing/currency';
import { roundMoney } from '../../../core/pricing/price';
import { buildJsonReport } from '../../../core/reports/json';
import { FINDING_FIELDS } from '../../../core/reports/summary';
import { bulkFindings, sampleSource } from '../../fixtures/reports/sample';

describe('buildJsonReport', () => {
  it('holds generated_at, the scan, the summary and the findings', () => {
    const report = JSON.parse(buildJsonReport(sampleSource()));
    expect(report.generated_at).toBe('2026-12-03T09:00:00.000Z');
    expect(report.scan.id).toBe('scan_20261203_a1');
    expect(report.summary.findings).toBe(5);
    expect(report.summary.estimated_monthly_savings).toBe(414.74);
    expect(report.summary.resources_scanned).toBe(1842);
    expect(report.summary.top_finding_ids[0]).toBe('fnd_0003');
    expect(report.summary.by_provider.map((g: { key: string }) => g.key)).toEqual([
      'azure',
      'aws',
      'kubernetes',
      'alibaba',
    ]);
  });

  it('gives every finding exactly the findings API fields, in order, costliest first', () => {
    const report = JSON.parse(buildJsonReport(sampleSource()));
    for (const finding of report.findings)
      expect(Object.keys(finding)).toEqual([...FINDING_FIELDS]);
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual([
      'fnd_0003',
      'fnd_0001',
      'fnd_0002',
      'fnd_0005',
      'fnd_0004',
    ]);
    expect(report.findings[2].fix_command).toBeNull();
    expect(report.findings[1].resource_name).toBe('backup-volume-Zürich-数据');
  });

  it('adds the ESG block only when asked', () => {
    const withEsg = JSON.parse(buildJsonReport(sampleSource({ include_esg: true })));
    expect(withEsg.esg.carbon_kg_monthly).toBe(21.737);
    expect(withEsg.esg.coefficients.dated).toBe('2026-11-30');
    expect(withEsg.esg.method).toContain('Cloud Carbon Footprint');
    expect(withEsg.esg.method).toContain(
      'an Azure VM stopped but not deallocated, an Alibaba Cloud instance stopped in ' +
        'KeepCharging mode) draw no compute power: they count embodied emissions only.',
    );
    expect(withEsg.esg.carbon_by_provider[0]).toEqual({
      provider: 'azure',
      findings: 1,
      carbon_kg_monthly: 18.77,
    });
    const without = JSON.parse(buildJsonReport(sampleSource({ include_esg: false })));
    expect('esg' in without).toBe(false);
  });

  it('gives a summary total that converts the USD sum, as the scan total does', () => {
    const findings = bulkFindings(25);
    const usd = roundMoney(findings.reduce((sum, f) => sum + f.estimated_monthly_cost_usd, 0));
    for (const currency of ['EUR', 'GBP', 'JPY', 'KRW']) {
      const report = JSON.parse(buildJsonReport(sampleSource({ findings, currency })));
      expect(report.summary.estimated_monthly_savings).toBe(convertFromUsd(usd, currency));
      expect(report.summary.estimated_monthly_savings_usd).toBe(usd);
      // Lines keep their own rounding.
      expect(report.findings[0].estimated_monthly_cost).toBe(
        convertFromUsd(report.findings[0].estimated_monthly_cost_usd, currency),
      );
    }
  });

  it('restates money in the report currency and keeps the USD figure', () => {
    const report = JSON.parse(buildJsonReport(sampleSource({ currency: 'JPY' })));
    expect(report.currency).toBe('JPY');
    expect(report.findings[0].estimated_monthly_cost).toBe(42384);
    expect(report.findings[0].estimated_monthly_cost_usd).toBe(280.32);
    expect(report.findings[0].currency).toBe('JPY');
    expect(Number.isInteger(report.summary.estimated_monthly_savings)).toBe(true);
  });
});
