import { describe, expect, it } from 'bun:test';
import { buildJsonReport } from '../../../core/reports/json';
import { FINDING_FIELDS } from '../../../core/reports/summary';
import { sampleSource } from '../../fixtures/reports/sample';

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
    expect(withEsg.esg.carbon_by_provider[0]).toEqual({
      provider: 'azure',
      findings: 1,
      carbon_kg_monthly: 18.77,
    });
    const without = JSON.parse(buildJsonReport(sampleSource({ include_esg: false })));
    expect('esg' in without).toBe(false);
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
