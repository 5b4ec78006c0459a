import type { Confidence, FindingDraft, ScanPolicy } from '../../model';
import { isExcluded } from '../../model';
import type {
  KindAvailability,
  KubernetesSnapshot,
  SnapshotKind,
} from '../../providers/kubernetes/snapshot';
import type { Node, ObjectMeta } from '../../providers/kubernetes/types';

/** What every Kubernetes rule needs besides the snapshot. */
export interface KubernetesRuleContext {
  account_id: string;
  /** The kubeconfig context, written into every fix command. */
  context: string;
  now: Date;
  policy: ScanPolicy;
}

/** A rule's drafts plus notes on what it skipped or judged with less certainty. */
export interface RuleOutput {
  drafts: FindingDraft[];
  warnings: string[];
}

/** Clouds whose node and volume prices the table knows. */
export type Cloud = 'aws' | 'azure' | 'gcp';

/** Facts about the cluster as a whole that many rules share. */
export interface ClusterFacts {
  /** The region most nodes carry, or `cluster` when nodes carry none. */
  region: string;
  cloud: Cloud | null;
  nodesByName: Map<string, Node>;
}

/** Region labels, current first (the `failure-domain.beta` one was removed in 1.24 clusters). */
const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

/** Reads cluster-wide facts once per evaluation. */
export function describeCluster(snapshot: KubernetesSnapshot): ClusterFacts {
  const regions = new Map<string, number>();
  const clouds = new Map<Cloud, number>();
  for (const node of snapshot.nodes) {
    const region = nodeRegion(node);
    if (region) regions.set(region, (regions.get(region) ?? 0) + 1);
    const cloud = nodeCloud(node);
    if (cloud) clouds.set(cloud, (clouds.get(cloud) ?? 0) + 1);
  }
  return {
    region: mostCommon(regions) ?? 'cluster',
    cloud: mostCommon(clouds) ?? null,
    nodesByName: new Map(snapshot.nodes.map((node) => [node.metadata.name, node])),
  };
}

/** A node's region label, if it has one. */
export function nodeRegion(node: Node): string | undefined {
  return firstLabel(node.metadata.labels, REGION_LABELS);
}

/** The cloud a node runs in, from its provider ID (`aws:///…`, `azure:///…`, `gce://…`). */
export function nodeCloud(node: Node): Cloud | null {
  const providerId = node.spec?.providerID ?? '';
  if (providerId.startsWith('aws://')) return 'aws';
  if (providerId.startsWith('azure://')) return 'azure';
  if (providerId.startsWith('gce://')) return 'gcp';
  return null;
}

/** The first of several label keys that is set. */
export function firstLabel(
  labels: Record<string, string> | undefined,
  keys: string[],
): string | undefined {
  for (const key of keys) {
    const value = labels?.[key];
    if (value) return value;
  }
  return undefined;
}

function mostCommon<K>(counts: Map<K, number>): K | undefined {
  let best: K | undefined;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

/** Stands in for the namespace of cluster-scoped objects (nodes, PVs) in resource ids. */
export const CLUSTER_SCOPE = '_cluster';

/** `<namespace>/<kind>/<name>`, kind in kubectl's lower-case singular form. */
export function resourceId(namespace: string | undefined, kind: string, name: string): string {
  return `${namespace || CLUSTER_SCOPE}/${kind}/${name}`;
}

/**
 * The exact kubectl command line for a fix, with the context and namespace spelled out so it acts
 * on the cluster that was scanned whatever the operator's current context is.
 */
export function kubectlCommand(
  context: string,
  namespace: string | undefined,
  ...args: string[]
): string {
  const scope = namespace ? ['-n', namespace] : [];
  return ['kubectl', '--context', context, ...scope, ...args].map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:@=,+%-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Labels and annotations as one tag map for `excluded_tags`. Kubernetes keys cannot hold `:`, so a
 * `prefix/name` key also answers to `prefix:name`: the label `cws/ignore=true` matches the
 * policy's `cws:ignore=true`.
 */
export function objectTags(metadata: Partial<ObjectMeta> | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const source of [metadata?.annotations, metadata?.labels]) {
    for (const [key, value] of Object.entries(source ?? {})) {
      tags[key] = value;
      const slash = key.lastIndexOf('/');
      if (slash > 0) tags[`${key.slice(0, slash)}:${key.slice(slash + 1)}`] = value;
    }
  }
  return tags;
}

/** True when the object carries one of the policy's excluded tags. */
export function isExcludedObject(metadata: Partial<ObjectMeta> | undefined, policy: ScanPolicy) {
  return isExcluded(objectTags(metadata), policy);
}

/** Namespaces the platform owns (`kube-system`, `kube-public`, `kube-node-lease`). */
export function isSystemNamespace(namespace: string | undefined): boolean {
  return namespace !== undefined && namespace.startsWith('kube-');
}

/** Hours from an RFC 3339 time to now, or undefined when the time is missing or unparsable. */
export function hoursSince(time: string | undefined, now: Date): number | undefined {
  if (!time) return undefined;
  const at = Date.parse(time);
  if (Number.isNaN(at)) return undefined;
  return (now.getTime() - at) / 3_600_000;
}

/** An age for a sentence: `5 hours` below two days, whole days from there (`40 days`). */
export function formatHours(hours: number): string {
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${Math.floor(hours)} hours`;
}

/** True when the object was created less than the grace period ago. */
export function isWithinGrace(metadata: ObjectMeta, context: KubernetesRuleContext): boolean {
  const age = hoursSince(metadata.creationTimestamp, context.now);
  return age !== undefined && age < context.policy.grace_period_hours;
}

/** A fingerprint from the object's identity and the facts the rule judged. */
export function fingerprint(metadata: ObjectMeta, ...facts: Array<string | number | undefined>) {
  return [metadata.uid ?? metadata.name, ...facts.map((fact) => String(fact ?? ''))].join('|');
}

/** One step less certain. */
export function lowerConfidence(confidence: Confidence): Confidence {
  return confidence === 'high' ? 'medium' : 'low';
}

/** Which lists a rule needs and which only sharpen it. */
export interface RuleNeeds {
  rule_id: string;
  /** Without these the rule would guess: it is skipped. */
  required: SnapshotKind[];
  /** Without these the rule still runs, one confidence step lower. */
  optional?: SnapshotKind[];
}

/** Whether a rule can run on this snapshot, and how much its confidence drops. */
export interface RuleGate {
  run: boolean;
  degraded: boolean;
  warnings: string[];
}

/**
 * Checks a rule's inputs. A list that is forbidden or failed is unknown; an absent optional add-on
 * (KEDA, metrics-server) is known to be empty and costs no confidence.
 */
export function gateRule(snapshot: KubernetesSnapshot, needs: RuleNeeds): RuleGate {
  const unknown = (kind: SnapshotKind) => isUnknown(snapshot.availability[kind]);
  const missing = needs.required.filter(unknown);
  if (missing.length) {
    return {
      run: false,
      degraded: true,
      warnings: [`${needs.rule_id} skipped: ${describeKinds(snapshot, missing)}`],
    };
  }
  const weak = (needs.optional ?? []).filter(unknown);
  if (!weak.length) return { run: true, degraded: false, warnings: [] };
  return {
    run: true,
    degraded: true,
    warnings: [`${needs.rule_id} confidence lowered: ${describeKinds(snapshot, weak)}`],
  };
}

function isUnknown(availability: KindAvailability | undefined): boolean {
  return availability === 'forbidden' || availability === 'failed';
}

function describeKinds(snapshot: KubernetesSnapshot, kinds: SnapshotKind[]): string {
  return kinds.map((kind) => `${kind} ${snapshot.availability[kind]}`).join(', ');
}

/** The fields every Kubernetes draft shares, filled from the context. */
export function baseDraft(
  context: KubernetesRuleContext,
  fields: Omit<FindingDraft, 'provider' | 'account_id' | 'evidence'> & {
    evidence: Record<string, unknown>;
    namespace: string | undefined;
    kind: string;
  },
): FindingDraft {
  const { namespace, kind, ...rest } = fields;
  return {
    ...rest,
    provider: 'kubernetes',
    account_id: context.account_id,
    evidence: {
      kube_context: context.context,
      namespace: namespace ?? null,
      kind,
      ...fields.evidence,
    },
  };
}
