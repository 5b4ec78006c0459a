import { estimateCarbonKg } from '../carbon/carbon';
import { newId } from '../ids';
import type { FindingDraft, Provider } from '../model';
import { convertFromUsd } from '../pricing/currency';
import { quoteUsage, roundMoney, type PriceTable } from '../pricing/price';
import { resourceKey, type StoredFinding } from './types';

/** What pricing a scan's drafts needs besides the drafts. */
export interface PricingContext {
  scanId: string;
  now: Date;
  currency: string;
  currencyRates: Record<string, number>;
  priceTables: Partial<Record<Provider, PriceTable>>;
  /** Handled fingerprints by resource key. */
  handled: Map<string, string>;
  /** Earliest sighting by resource key. */
  firstSeen: Map<string, string>;
}

/**
 * Adds ids, money, carbon and history to a scan's drafts (ARCHITECTURE.md step 4). A RIGHTSIZE
 * draft saves the difference between its usage now and after the change.
 */
export function priceDrafts(drafts: FindingDraft[], context: PricingContext): StoredFinding[] {
  const nowIso = context.now.toISOString();
  return drafts.map((draft) => {
    const { usage, usage_after, fingerprint, ...visible } = draft;
    const table = context.priceTables[draft.provider];
    const before = table
      ? quoteUsage(table, draft.region, usage)
      : { monthly_usd: 0, price_source: 'unpriced' };
    const after =
      table && usage_after ? quoteUsage(table, draft.region, usage_after) : { monthly_usd: 0 };
    const usd = roundMoney(Math.max(0, before.monthly_usd - after.monthly_usd));
    const carbon =
      estimateCarbonKg(draft.provider, draft.region, usage) -
      (usage_after ? estimateCarbonKg(draft.provider, draft.region, usage_after) : 0);
    const key = resourceKey(draft);
    return {
      ...visible,
      id: newId('fnd', context.now.getTime()),
      scan_id: context.scanId,
      estimated_monthly_cost: convertFromUsd(usd, context.currency, context.currencyRates),
      estimated_monthly_cost_usd: usd,
      currency: context.currency,
      price_source: before.price_source,
      carbon_kg_monthly: Math.max(0, Math.round(carbon * 1000) / 1000),
      first_seen_at: context.firstSeen.get(key) ?? nowIso,
      handled: context.handled.get(key) === fingerprint,
      fingerprint,
    };
  });
}
