import { describe, expect, it } from 'bun:test';
import type { Finding } from '../../../core/model';
import { convertFromUsd } from '../../../core/pricing/currency';
import { PROVIDER_CHECKS } from '../../../core/providers/catalogue';
import {
  collapseGroups,
  describeCurrency,
  formatMoney,
  formatTimestamp,
  isEstimatedPrice,
  localizeFinding,
  OTHER_GROUP_KEY,
  prepareReport,
  providerLabel,
  roundCurrency,
  ruleLabel,
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
    expect(summary.by_rule.find((g) => g.key === 'aws.nat.unused')?.label).toBe(
      'Unused NAT gateways (AWS)',
    );
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
    expect(summary.estimated_monthly_savings).toBe(207.37);
  });

  it('totals by converting the USD sum, so the total agrees with the scan total to the cent', () => {
    // Each line rounds 0.05 USD × 0.92 = 0.046 up to 0.05 EUR; the sum of 0.15 USD is 0.14 EUR.
    const findings = bulkFindings(3).map((finding) => ({
      ...finding,
      estimated_monthly_cost: 0.05,
      estimated_monthly_cost_usd: 0.05,
    }));
    const { summary, findings: lines } = prepareReport(sampleSource({ findings, currency: 'EUR' }));
    expect(lines.map((line) => line.estimated_monthly_cost)).toEqual([0.05, 0.05, 0.05]);
    expect(summary.estimated_monthly_savings).toBe(convertFromUsd(0.15, 'EUR'));
    expect(summary.estimated_monthly_savings).toBe(0.14);
    expect(summary.estimated_annual_savings).toBe(1.68);
  });

  it('converts the USD sum with the operator rates for whole-unit currencies too', () => {
    const findings = bulkFindings(40);
    const usd = roundCurrency(
      findings.reduce((sum, finding) => sum + finding.estimated_monthly_cost_usd, 0),
      'USD',
    );
    const rates = { JPY: 149.37 };
    const { summary } = prepareReport(
      sampleSource({ findings, currency: 'JPY', currency_rates: rates }),
    );
    expect(summary.estimated_monthly_savings).toBe(convertFromUsd(usd, 'JPY', rates));
    expect(summary.estimated_monthly_savings_usd).toBe(usd);
  });
});

describe('ruleLabel', () => {
  it('names every rule of every provider in words, with the provider', () => {
    for (const [provider, rules] of Object.entries(PROVIDER_CHECKS)) {
      for (const rule of rules) {
        const label = ruleLabel(rule);
        expect(label).not.toContain(rule);
        expect(label).toMatch(/^[A-Za-z][^.]* \([A-Za-z ]+\)$/);
        expect(label).toEndWith(`(${providerLabel(provider)})`);
      }
    }
    expect(ruleLabel('aws.ebs.unattached')).toBe('Unattached EBS volumes (AWS)');
  });

  it('keeps the id of a rule it does not know', () => {
    expect(ruleLabel('aws.something.new')).toBe('aws.something.new');
  });
});

describe('isEstimatedPrice', () => {
  it('is true for fallback and per-unit default prices only', () => {
    expect(isEstimatedPrice({ price_source: 'fallback:ap-east-2' })).toBe(true);
    expect(isEstimatedPrice({ price_source: 'unit-default' })).toBe(true);
    expect(isEstimatedPrice({ price_source: 'table:us-east-1' })).toBe(false);
    expect(isEstimatedPrice({ price_source: 'unpriced' })).toBe(false);
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
