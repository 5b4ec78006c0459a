import { describe, expect, it } from 'bun:test';
import type { Finding } from '../../../core/model';
import {
  collapseGroups,
  describeCurrency,
  formatMoney,
  formatTimestamp,
  localizeFinding,
  OTHER_GROUP_KEY,
  prepareReport,
  roundCurrency,
} from '../../../core/reports/summary';
import { bulkFindings, SAMPLE_FINDINGS, sampleSource } from '../../fixtures/reports/sample';

describe('prepareReport', () => {
  it('totals money, carbon and findings and counts the handled ones', () => {
    const { summary } = prepareReport(sampleSource());
    expect(summary.findings).toBe(5);
    expect(summary.handled).toBe(1);
    expect(summary.estimated_monthly_savings).toBe(414.74);
    expect(summary.estimated_monthly_savings_usd).toBe(414.74);
    expect(summary.estimated_annual_savings).toBe(4976.88);
    expect(summary.carbon_kg_monthly).toBe(21.737);
    expect(summary.resources_scanned).toBe(1842);
    expect(summary.accounts).toBe(4);
  });

  it('groups by provider, account, rule and action, biggest saving first', () => {
    const { summary } = prepareReport(sampleSource());
    expect(summary.by_provider).toEqual([
      {
        key: 'azure',
        label: 'Azure',
        findings: 1,
        estimated_monthly_savings: 280.32,
        carbon_kg_monthly: 18.77,
      },
      {
        key: 'aws',
        label: 'AWS',
        findings: 2,
        estimated_monthly_savings: 114.77,
        carbon_kg_monthly: 2.481,
      },
      {
        key: 'kubernetes',
        label: 'Kubernetes',
        findings: 1,
        estimated_monthly_savings: 16,
        carbon_kg_monthly: 0.486,
      },
      {
        key: 'alibaba',
        label: 'Alibaba Cloud',
        findings: 1,
        estimated_monthly_savings: 3.65,
        carbon_kg_monthly: 0,
      },
    ]);
    expect(summary.by_account[0]?.key).toBe('acc_azure_finance');
    expect(summary.by_account.find((g) => g.key === 'profile_prod')?.findings).toBe(2);
    expect(summary.by_rule.map((g) => g.key)).toContain('aws.nat.unused');
    expect(summary.by_action.map((g) => [g.label, g.findings])).toEqual([
      ['Stop', 1],
      ['Delete', 4],
    ]);
    expect(summary.carbon_by_provider.map((c) => c.provider)).toEqual([
      'azure',
      'aws',
      'kubernetes',
      'alibaba',
    ]);
  });

  it('sorts findings by cost, equal costs by id, and lists the top ten', () => {
    const findings = bulkFindings(40);
    const { findings: sorted, summary } = prepareReport(sampleSource({ findings }));
    for (let i = 1; i < sorted.length; i += 1) {
      const a = sorted[i - 1] as Finding;
      const b = sorted[i] as Finding;
      expect(
        a.estimated_monthly_cost > b.estimated_monthly_cost ||
          (a.estimated_monthly_cost === b.estimated_monthly_cost && a.id < b.id),
      ).toBe(true);
    }
    expect(summary.top_findings.map((f) => f.id)).toEqual(sorted.slice(0, 10).map((f) => f.id));
  });

  it('widens the account count to the scan scope', () => {
    const { summary } = prepareReport(
      sampleSource({
        findings: SAMPLE_FINDINGS.slice(0, 1),
        scan: { ...sampleSource().scan, selected_accounts: ['a', 'b', 'profile_prod'] },
      }),
    );
    expect(summary.accounts).toBe(3);
  });

  it('converts findings stored in another currency from their USD figure', () => {
    const { summary } = prepareReport(sampleSource({ currency: 'EUR' }));
    expect(summary.estimated_monthly_savings).toBe(381.56);
    expect(summary.estimated_monthly_savings_usd).toBe(414.74);
  });

  it('honours the operator rate overrides', () => {
    const { summary } = prepareReport(
      sampleSource({ currency: 'EUR', currency_rates: { EUR: 0.5 } }),
    );
    expect(summary.estimated_monthly_savings).toBe(207.38);
  });
});

describe('localizeFinding', () => {
  it('keeps a finding already in the currency as it is', () => {
    const finding = {
      ...(SAMPLE_FINDINGS[0] as Finding),
      currency: 'EUR',
      estimated_monthly_cost: 70,
    };
    expect(localizeFinding(finding, 'EUR')).toBe(finding);
  });

  it('rounds yen to whole units', () => {
    expect(localizeFinding(SAMPLE_FINDINGS[0] as Finding, 'JPY').estimated_monthly_cost).toBe(
      12386,
    );
  });
});

describe('collapseGroups', () => {
  it('sums the tail into one group and leaves short lists alone', () => {
    const { summary } = prepareReport(sampleSource());
    expect(collapseGroups(summary.by_provider, 4, 'providers', 'USD')).toBe(summary.by_provider);
    const collapsed = collapseGroups(summary.by_provider, 2, 'providers', 'USD');
    expect(collapsed).toHaveLength(3);
    expect(collapsed[2]).toEqual({
      key: OTHER_GROUP_KEY,
      label: '2 other providers',
      findings: 2,
      estimated_monthly_savings: 19.65,
      carbon_kg_monthly: 0.486,
    });
  });
});

describe('formatting', () => {
  it('formats money with the currency symbol and minor unit', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'EUR')).toBe('€1,234.50');
    expect(formatMoney(1234.5, 'JPY')).toBe('¥1,235');
    expect(roundCurrency(10.005, 'KRW')).toBe(10);
  });

  it('formats times in UTC and dashes absent ones', () => {
    expect(formatTimestamp('2026-12-03T08:04:31.000Z')).toBe('2026-12-03 08:04 UTC');
    expect(formatTimestamp(null)).toBe('-');
  });

  it('names the exchange rates used', () => {
    expect(describeCurrency(sampleSource())).toBe('Amounts in US dollars (USD).');
    expect(describeCurrency(sampleSource({ currency: 'GBP' }))).toContain('ECB reference rates');
    expect(
      describeCurrency(sampleSource({ currency: 'GBP', currency_rates: { GBP: 0.8 } })),
    ).toContain('operator-set');
  });
});
