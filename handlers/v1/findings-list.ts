import * as v from 'valibot';
import { CwsError } from '../../core/errors';
import { ACTION_TYPES, PROVIDERS } from '../../core/model';
import { presentFinding } from '../../core/scan/present';
import type { Handler, Services } from '../context';
import { listResponse, readPage, validate } from '../http';

/** One finding (CONTRACT.md "Scans and findings"). */
export const FindingSchema = v.object({
  id: v.string(),
  scan_id: v.string(),
  rule_id: v.string(),
  provider: v.picklist(PROVIDERS),
  account_id: v.string(),
  region: v.string(),
  resource_type: v.string(),
  resource_id: v.string(),
  resource_name: v.string(),
  title: v.string(),
  details: v.string(),
  evidence: v.record(v.string(), v.unknown()),
  action_type: v.picklist(ACTION_TYPES),
  recommendation: v.string(),
  fix_command: v.optional(v.string()),
  estimated_monthly_cost: v.number(),
  estimated_monthly_cost_usd: v.number(),
  currency: v.string(),
  price_source: v.string(),
  carbon_kg_monthly: v.number(),
  confidence: v.picklist(['high', 'medium', 'low']),
  first_seen_at: v.string(),
  handled: v.boolean(),
});

/** Filters of GET /v1/findings; money filters are in USD. */
export const FindingListQuery = v.object({
  scan_id: v.optional(v.string()),
  provider: v.optional(v.picklist(PROVIDERS, `must be one of ${PROVIDERS.join(', ')}`)),
  account_id: v.optional(v.string()),
  resource_type: v.optional(v.string()),
  rule: v.optional(v.string()),
  min_monthly_cost: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+(\.\d+)?$/, 'must be a non-negative number'),
      v.transform(Number),
    ),
  ),
});

/** Lists findings of the latest completed scan (or `scan_id`), costliest first. */
export const listFindings: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const filter = validate(FindingListQuery, pick(query, Object.keys(FindingListQuery.entries)));

  if (filter.scan_id && !services.scanRecords.get(filter.scan_id)) {
    throw new CwsError('resource.not_found', `no scan ${filter.scan_id}`);
  }
  const scanId = filter.scan_id ?? services.scanRecords.latestCompleted()?.id;
  return respondWithFindings(services, { ...filter, scan_id: scanId }, page, envelope);
};

/** Answers a findings page; with no completed scan there are no findings yet. */
export function respondWithFindings(
  services: Services,
  filter: v.InferOutput<typeof FindingListQuery>,
  page: ReturnType<typeof readPage>['page'],
  envelope: boolean,
): Response {
  if (!filter.scan_id) return listResponse({ items: [] }, page.limit, envelope);
  const { min_monthly_cost, ...rest } = filter;
  const result = services.findings.list({ ...rest, min_monthly_cost_usd: min_monthly_cost }, page);
  const money = services.settings.read('general');
  return listResponse(
    { ...result, items: result.items.map((f) => presentFinding(f, money)) },
    page.limit,
    envelope,
  );
}

/** The named query parameters that are present. */
export function pick(query: URLSearchParams, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = query.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}
