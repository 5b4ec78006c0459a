import { CARBON_COEFFICIENTS } from '../carbon/coefficients';
import type { ActionType, Finding, Provider } from '../model';
import { ACTION_TYPES, PROVIDERS } from '../model';
import { CURRENCY_RATES, convertFromUsd } from '../pricing/currency';

/** The scan a report describes: the fields of GET /v1/scans/{id} that reports show. */
export interface ReportScan {
  id: string;
  status: string;
  created_at: string;
  finished_at: string | null;
  trigger_source: string;
  selected_accounts: string[];
  resources_scanned: number;
  estimated_monthly_savings: number;
  currency: string;
  carbon_kg_monthly: number;
}

/** Where the carbon coefficients came from, printed under every ESG section. */
export interface CarbonCoefficientsRef {
  dated: string;
  source_url: string;
}

/** Everything a report builder reads; the caller loads it from storage, builders never do. */
export interface ReportSource {
  scan: ReportScan;
  findings: Finding[];
  /** ISO 4217 code every amount of the report is shown in (settings.general.currency). */
  currency: string;
  generated_at: Date;
  include_esg: boolean;
  coefficients: CarbonCoefficientsRef;
  /** Operator overrides of the embedded rate table; findings in another currency convert with them. */
  currency_rates?: Record<string, number>;
}

/** The findings API's field names, in its order: the CSV header and the JSON report's keys. */
export const FINDING_FIELDS = [
  'id',
  'scan_id',
  'rule_id',
  'provider',
  'account_id',
  'region',
  'resource_type',
  'resource_id',
  'resource_name',
  'title',
  'details',
  'evidence',
  'action_type',
  'recommendation',
  'fix_command',
  'estimated_monthly_cost',
  'estimated_monthly_cost_usd',
  'currency',
  'price_source',
  'carbon_kg_monthly',
  'confidence',
  'first_seen_at',
  'handled',
] as const satisfies readonly (keyof Finding)[];

/** The coefficient reference of the embedded Cloud Carbon Footprint table. */
export const REPORT_COEFFICIENTS: CarbonCoefficientsRef = {
  dated: CARBON_COEFFICIENTS.dated,
  source_url: CARBON_COEFFICIENTS.source_url,
};

/** Findings and money of one slice (a provider, an account, a rule or an action type). */
export interface SummaryGroup {
  key: string;
  label: string;
  findings: number;
  estimated_monthly_savings: number;
  carbon_kg_monthly: number;
}

/** Totals and slices of a set of findings, all money in `currency`. */
export interface FindingsSummary {
  currency: string;
  findings: number;
  /** Findings an operator marked handled; they still count in the totals while the resource lives. */
  handled: number;
  estimated_monthly_savings: number;
  estimated_monthly_savings_usd: number;
  estimated_annual_savings: number;
  carbon_kg_monthly: number;
  /** Accounts that have at least one finding (a report widens it to the scan's scope). */
  accounts: number;
  by_provider: SummaryGroup[];
  by_account: SummaryGroup[];
  by_rule: SummaryGroup[];
  by_action: SummaryGroup[];
  carbon_by_provider: { provider: Provider; findings: number; carbon_kg_monthly: number }[];
  top_findings: Finding[];
}

/** What every report format shows: the findings summary plus the scan's own counts. */
export interface ReportSummary extends FindingsSummary {
  resources_scanned: number;
}

/** A report's summary plus its findings in the report currency, costliest first. */
export interface PreparedReport {
  summary: ReportSummary;
  findings: Finding[];
}

/** How many findings the summaries list as "top findings". */
export const TOP_FINDINGS = 10;

/** Converts the findings to the report currency, sorts them by cost and aggregates them once. */
export function prepareReport(source: ReportSource): PreparedReport {
  const findings = sortByCost(
    source.findings.map((finding) =>
      localizeFinding(finding, source.currency, source.currency_rates),
    ),
  );
  const scope = new Set([
    ...source.scan.selected_accounts,
    ...findings.map((finding) => finding.account_id),
  ]);
  const summary: ReportSummary = {
    ...summarizeFindings(findings, source.currency, source.currency_rates),
    accounts: scope.size,
    resources_scanned: source.scan.resources_scanned,
  };
  return { summary, findings };
}

/**
 * Restates a finding's monthly cost in `currency`. A finding stored in that currency keeps its
 * figure; any other converts from its USD figure, the one number that never changes meaning.
 */
export function localizeFinding(
  finding: Finding,
  currency: string,
  rates: Record<string, number> = {},
): Finding {
  if (finding.currency === currency) return finding;
  return {
    ...finding,
    currency,
    estimated_monthly_cost: convertFromUsd(finding.estimated_monthly_cost_usd, currency, rates),
  };
}

/**
 * True when a finding's money is an estimate rather than its region's list price: the price table
 * had no exact rate, so another region's price (`fallback:`) or a per-unit default stood in.
 */
export function isEstimatedPrice(finding: Pick<Finding, 'price_source'>): boolean {
  return finding.price_source.startsWith('fallback:') || finding.price_source === 'unit-default';
}

/** Costliest first; equal costs by id so every format lists findings in the same order. */
export function sortByCost(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      b.estimated_monthly_cost - a.estimated_monthly_cost ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * Aggregates findings already expressed in `currency` (see localizeFinding). The total converts
 * the USD sum, as the scan's own total does, so the two agree to the cent; the slices add up the
 * findings' rounded amounts, as their lines show them.
 */
export function summarizeFindings(
  findings: Finding[],
  currency: string,
  rates: Record<string, number> = {},
): FindingsSummary {
  let usd = 0;
  let carbon = 0;
  let handled = 0;
  for (const finding of findings) {
    usd += finding.estimated_monthly_cost_usd;
    carbon += finding.carbon_kg_monthly;
    if (finding.handled) handled += 1;
  }
  const byProvider = groupFindings(findings, currency, (f) => f.provider, providerLabel);
  const totalUsd = roundCurrency(usd, 'USD');
  const total = convertFromUsd(totalUsd, currency, rates);
  return {
    currency,
    findings: findings.length,
    handled,
    estimated_monthly_savings: total,
    estimated_monthly_savings_usd: totalUsd,
    estimated_annual_savings: roundCurrency(total * 12, currency),
    carbon_kg_monthly: roundKg(carbon),
    accounts: new Set(findings.map((finding) => finding.account_id)).size,
    by_provider: byProvider,
    by_account: groupFindings(findings, currency, (f) => f.account_id),
    by_rule: groupFindings(findings, currency, (f) => f.rule_id, ruleLabel),
    by_action: groupFindings(findings, currency, (f) => f.action_type, actionLabel),
    carbon_by_provider: byProvider
      .map((group) => ({
        provider: group.key as Provider,
        findings: group.findings,
        carbon_kg_monthly: group.carbon_kg_monthly,
      }))
      .sort((a, b) => b.carbon_kg_monthly - a.carbon_kg_monthly),
    top_findings: sortByCost(findings).slice(0, TOP_FINDINGS),
  };
}

/** Groups findings by a key, biggest saving first (then most findings, then key). */
export function groupFindings(
  findings: Finding[],
  currency: string,
  keyOf: (finding: Finding) => string,
  labelOf: (key: string) => string = (key) => key,
): SummaryGroup[] {
  const groups = new Map<string, SummaryGroup>();
  for (const finding of findings) {
    const key = keyOf(finding);
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        label: labelOf(key),
        findings: 0,
        estimated_monthly_savings: 0,
        carbon_kg_monthly: 0,
      };
      groups.set(key, group);
    }
    group.findings += 1;
    group.estimated_monthly_savings += finding.estimated_monthly_cost;
    group.carbon_kg_monthly += finding.carbon_kg_monthly;
  }
  return [...groups.values()]
    .map((group) => ({
      ...group,
      estimated_monthly_savings: roundCurrency(group.estimated_monthly_savings, currency),
      carbon_kg_monthly: roundKg(group.carbon_kg_monthly),
    }))
    .sort(
      (a, b) =>
        b.estimated_monthly_savings - a.estimated_monthly_savings ||
        b.findings - a.findings ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
}

const PROVIDER_LABELS: Record<Provider, string> = {
  aws: 'AWS',
  azure: 'Azure',
  alibaba: 'Alibaba Cloud',
  kubernetes: 'Kubernetes',
};

/** The name a reader knows a provider by. */
export function providerLabel(provider: string): string {
  return (PROVIDERS as readonly string[]).includes(provider)
    ? PROVIDER_LABELS[provider as Provider]
    : provider;
}

/**
 * Short plural names of the rules for charts and tables: what a reader calls the waste, not the
 * rule id. `ruleLabel` adds the provider.
 */
const RULE_LABELS: Record<string, string> = {
  'aws.ebs.unattached': 'Unattached EBS volumes',
  'aws.ebs.on_stopped_instance': 'EBS volumes of stopped instances',
  'aws.ebs.gp2_to_gp3': 'gp2 volumes to move to gp3',
  'aws.ec2.stopped': 'Long-stopped EC2 instances',
  'aws.eip.unassociated': 'Unassociated Elastic IPs',
  'aws.snapshot.orphaned': 'Orphaned EBS snapshots',
  'aws.snapshot.old': 'Old EBS snapshots',
  'aws.ami.unused': 'Unused AMIs',
  'aws.nat.unused': 'Unused NAT gateways',
  'aws.eni.public_ip_unused': 'Public IPs on detached ENIs',
  'aws.ipv4.public_on_stopped': 'Public IPv4 on stopped instances',
  'azure.disk.unattached': 'Unattached managed disks',
  'azure.disk.on_deallocated_vm': 'Disks of deallocated VMs',
  'azure.vm.stopped_not_deallocated': 'Stopped, not deallocated VMs',
  'azure.snapshot.old': 'Old disk snapshots',
  'azure.publicip.unassociated': 'Unassociated public IPs',
  'azure.nic.orphaned': 'Orphaned network interfaces',
  'azure.image.unused': 'Unused managed images',
  'alibaba.disk.unattached': 'Unattached disks',
  'alibaba.disk.on_stopped_instance': 'Disks of stopped instances',
  'alibaba.ecs.stopped_keep_charging': 'Stopped instances still billed',
  'alibaba.eip.unbound': 'Unbound EIPs',
  'alibaba.snapshot.old': 'Old snapshots',
  'alibaba.snapshot.orphaned': 'Orphaned snapshots',
  'alibaba.nat.idle': 'Idle NAT gateways',
  'k8s.pv.unbound': 'Unbound persistent volumes',
  'k8s.pvc.unused': 'Unused volume claims',
  'k8s.service.lb_no_endpoints': 'Load balancers without endpoints',
  'k8s.workload.zero_replicas': 'Workloads scaled to zero',
  'k8s.workload.overrequested': 'Over-requested workloads',
  'k8s.pod.no_requests': 'Containers without requests',
  'k8s.node.underutilized': 'Underused nodes',
  'k8s.configmap.unused': 'Unused ConfigMaps',
  'k8s.secret.unused': 'Unused Secrets',
  'k8s.job.finished': 'Finished Jobs left behind',
};

/** Prefix of each provider's rule ids. */
const RULE_PREFIXES: Record<string, Provider> = {
  aws: 'aws',
  azure: 'azure',
  alibaba: 'alibaba',
  k8s: 'kubernetes',
};

/**
 * The name a reader knows a rule by, with its provider: `Unattached EBS volumes (AWS)`. A rule
 * this build does not know (a report merged from a newer binary) keeps its id.
 */
export function ruleLabel(ruleId: string): string {
  const label = RULE_LABELS[ruleId];
  if (!label) return ruleId;
  const provider = RULE_PREFIXES[ruleId.slice(0, ruleId.indexOf('.'))];
  return provider ? `${label} (${providerLabel(provider)})` : label;
}

const ACTION_LABELS: Record<ActionType, string> = {
  DELETE: 'Delete',
  RIGHTSIZE: 'Rightsize',
  ARCHIVE: 'Archive',
  STOP: 'Stop',
  REVIEW: 'Review',
};

/** The verb a reader sees for an action type. */
export function actionLabel(action: string): string {
  return (ACTION_TYPES as readonly string[]).includes(action)
    ? ACTION_LABELS[action as ActionType]
    : action;
}

const minorDigits = new Map<string, number>();

/** Rounds to the currency's minor unit (cents; whole yen and won). */
export function roundCurrency(value: number, currency: string): number {
  let digits = minorDigits.get(currency);
  if (digits === undefined) {
    digits = moneyFormatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigits.set(currency, digits);
  }
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Kilograms to grams precision, the precision findings carry. */
export function roundKg(value: number): number {
  return Math.round(value * 1000) / 1000;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Formats money the way invoices show it: `€1,234.56`, `¥1,235`. */
export function formatMoney(value: number, currency: string): string {
  return moneyFormatter(currency).format(value);
}

function moneyFormatter(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

const kgFormatter = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const countFormatter = new Intl.NumberFormat('en-US');

/** Kilograms CO2e with one decimal: `1,234.5 kg CO2e`. */
export function formatKg(value: number): string {
  return `${kgFormatter.format(value)} kg CO2e`;
}

/** A count with thousands separators. */
export function formatCount(value: number): string {
  return countFormatter.format(value);
}

/** An RFC 3339 time as a reader wants it: `2026-12-03 17:26 UTC`; `-` when absent. */
export function formatTimestamp(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The sentence every ESG section prints: which method, which coefficients, from when. */
export function describeCarbonMethod(coefficients: CarbonCoefficientsRef): string {
  const utilisation = Math.round(CARBON_COEFFICIENTS.average_cpu_utilisation * 100);
  return (
    'Estimated with the Cloud Carbon Footprint method: energy of storage (watt-hours per ' +
    "terabyte-hour, times the provider's replication factor), compute (watts per vCPU between " +
    `idle and full load at ${utilisation}% average utilisation) and memory (watts per GB), times ` +
    "the provider's power usage effectiveness (PUE) and the grid emission factor of the region, " +
    'plus embodied emissions for compute. Stopped machines that are still billed for reserved ' +
    'capacity (an Azure VM stopped but not deallocated, an Alibaba Cloud instance stopped in ' +
    'KeepCharging mode) draw no compute power: they count embodied emissions only. ' +
    'Public IP addresses and NAT gateways carry no carbon ' +
    `estimate. Coefficients dated ${coefficients.dated}, source: ${coefficients.source_url}.`
  );
}

/** The sentence that says which exchange rates turned USD prices into the report currency. */
export function describeCurrency(source: ReportSource): string {
  if (source.currency === 'USD') return 'Amounts in US dollars (USD).';
  const overridden = source.currency_rates?.[source.currency] !== undefined;
  const rate = overridden
    ? 'the operator-set exchange rate'
    : `ECB reference rates of ${CURRENCY_RATES.rated_at}`;
  return `Amounts in ${source.currency}, converted from USD list prices at ${rate}.`;
}

/** Key of the group `collapseGroups` sums the tail into. */
export const OTHER_GROUP_KEY = '(other)';

/** The first `limit` groups plus one that sums the rest (`"12 other rules"`), for charts. */
export function collapseGroups(
  groups: SummaryGroup[],
  limit: number,
  otherNoun: string,
  currency: string,
): SummaryGroup[] {
  if (groups.length <= limit) return groups;
  const rest = groups.slice(limit);
  let money = 0;
  let carbon = 0;
  let findings = 0;
  for (const group of rest) {
    money += group.estimated_monthly_savings;
    carbon += group.carbon_kg_monthly;
    findings += group.findings;
  }
  return [
    ...groups.slice(0, limit),
    {
      key: OTHER_GROUP_KEY,
      label: `${formatCount(rest.length)} other ${otherNoun}`,
      findings,
      estimated_monthly_savings: roundCurrency(money, currency),
      carbon_kg_monthly: roundKg(carbon),
    },
  ];
}
