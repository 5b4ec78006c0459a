import { HOURS_PER_MONTH, type Provider, type Usage } from '../model';

/**
 * A dated price table for one provider, in USD. Storage and snapshot SKUs are per GiB-month;
 * compute and hourly SKUs are per hour. Every table names where its numbers come from.
 */
export interface PriceTable {
  provider: Provider;
  priced_at: string;
  source_url: string;
  /** Region whose prices stand in for a region the table does not list. */
  fallback_region: string;
  regions: Record<string, Record<string, number>>;
  /**
   * SKU prefix → per-unit price used when a SKU is missing everywhere (an unknown volume type, say),
   * so the finding still carries money, marked `fallback:`.
   */
  sku_fallbacks: Record<string, number>;
}

/** The monthly USD cost of some usage and which prices it came from. */
export interface Quote {
  monthly_usd: number;
  /** `table:<region>`, `fallback:<region>` or `unit-default` (RULES.md "Prices"). */
  price_source: string;
}

/** Prices every usage item of a finding in one region; the weakest source wins the label. */
export function quoteUsage(table: PriceTable, region: string, usage: Usage[]): Quote {
  let total = 0;
  let source = `table:${region}`;
  for (const item of usage) {
    const { unitPrice, exact, unitDefault } = lookUp(table, region, item.sku);
    total += unitPrice * billedUnits(item);
    if (unitDefault) source = 'unit-default';
    else if (!exact && source !== 'unit-default') source = `fallback:${region}`;
  }
  return {
    monthly_usd: roundMoney(total),
    price_source: usage.length ? source : `table:${region}`,
  };
}

/** The units one usage item is billed for in a month. */
export function billedUnits(item: Usage): number {
  switch (item.kind) {
    case 'storage':
    case 'snapshot':
      return item.gib;
    case 'compute':
    case 'hourly':
      return item.hours;
  }
}

/** Rounds to cents the way invoices do. */
export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Monthly cost of an hourly rate. */
export function monthlyFromHourly(hourly: number): number {
  return hourly * HOURS_PER_MONTH;
}

function lookUp(
  table: PriceTable,
  region: string,
  sku: string,
): { unitPrice: number; exact: boolean; unitDefault: boolean } {
  const inRegion = table.regions[region]?.[sku];
  if (inRegion !== undefined) return { unitPrice: inRegion, exact: true, unitDefault: false };
  const inFallback = table.regions[table.fallback_region]?.[sku];
  if (inFallback !== undefined) return { unitPrice: inFallback, exact: false, unitDefault: false };
  const prefix = Object.keys(table.sku_fallbacks)
    .filter((candidate) => sku.startsWith(candidate))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix !== undefined) {
    return {
      unitPrice: table.sku_fallbacks[prefix] as number,
      exact: false,
      unitDefault: prefix.startsWith('unit:'),
    };
  }
  return { unitPrice: 0, exact: false, unitDefault: false };
}
