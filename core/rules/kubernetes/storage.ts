import type { FindingDraft } from '../../model';
import type { KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import { parseQuantity } from '../../providers/kubernetes/quantity';
import type {
  PersistentVolume,
  PersistentVolumeClaim,
  StatefulSet,
  StorageClass,
} from '../../providers/kubernetes/types';
import { storageUsage, volumePricing } from './pricing';
import { controllerOf, key, namespaceOf } from './pod-specs';
import type { References } from './references';
import {
  type ClusterFacts,
  type KubernetesRuleContext,
  type RuleOutput,
  baseDraft,
  fingerprint,
  firstLabel,
  gateRule,
  isExcludedObject,
  isWithinGrace,
  kubectlCommand,
  lowerConfidence,
  resourceId,
} from './shared';

/** k8s.pv.unbound: a PersistentVolume `Available` (never claimed) or `Released` (claim gone). */
export function findUnboundVolumes(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
): RuleOutput {
  const ruleId = 'k8s.pv.unbound';
  const gate = gateRule(snapshot, { rule_id: ruleId, required: ['persistentvolumes'] });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const classes = storageClassesByName(snapshot);
  const drafts: FindingDraft[] = [];
  for (const volume of snapshot.persistentvolumes) {
    const phase = volume.status?.phase;
    if (phase !== 'Available' && phase !== 'Released') continue;
    if (isExcludedObject(volume.metadata, context.policy)) continue;
    // A fresh Available volume may be waiting for the claim it was made for.
    if (phase === 'Available' && isWithinGrace(volume.metadata, context)) continue;
    const name = volume.metadata.name;
    const capacity = volume.spec?.capacity?.storage;
    const pricing = volumePricing(volume, classes.get(volume.spec?.storageClassName ?? ''));
    const reclaim = volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    const claim = volume.spec?.claimRef;
    drafts.push(
      baseDraft(context, {
        rule_id: ruleId,
        namespace: undefined,
        kind: 'persistentvolume',
        region: volumeRegion(volume) ?? facts.region,
        resource_type: 'persistentvolume',
        resource_id: resourceId(undefined, 'persistentvolume', name),
        resource_name: name,
        title: `Persistent volume ${name} is ${phase} and bound to no claim`,
        details:
          phase === 'Released'
            ? `Its claim ${claim?.namespace ?? ''}/${claim?.name ?? ''} was deleted, but the ` +
              `${reclaim} reclaim policy keeps the volume (${capacity ?? 'unknown size'}) and its ` +
              'backing disk, which is still billed.'
            : `The volume (${capacity ?? 'unknown size'}) has never been claimed; its backing disk ` +
              'is billed all the same.',
        evidence: {
          phase,
          capacity: capacity ?? null,
          reclaim_policy: reclaim,
          storage_class: volume.spec?.storageClassName ?? null,
          claim_ref: claim?.name ? `${claim.namespace ?? ''}/${claim.name}` : null,
          volume_source: pricing.source,
          price_basis: pricing.basis,
          created_at: volume.metadata.creationTimestamp ?? null,
        },
        action_type: 'DELETE',
        recommendation:
          'Snapshot the backing disk if its data may be needed, then delete the volume (and, ' +
          'with a Retain policy, the disk in the cloud console).',
        fix_command: kubectlCommand(context.context, undefined, 'delete', 'pv', name),
        confidence: phase === 'Released' ? 'high' : 'medium',
        usage: storageUsage(pricing, parseQuantity(capacity) ?? 0),
        fingerprint: fingerprint(volume.metadata, phase, capacity),
      }),
    );
  }
  return { drafts, warnings: gate.warnings };
}

/**
 * k8s.pvc.unused: a Bound claim that no pod, no workload template (deployments, statefulsets,
 * daemonsets, replicasets, jobs, cronjobs) and no StatefulSet replica uses. Generic ephemeral
 * claims (`<pod>-<volume>`) belong to their pod and are never reported. Claims a StatefulSet kept
 * after scaling down are reported at low confidence: scaling up again would reuse them.
 */
export function findUnusedClaims(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
  references: References,
): RuleOutput {
  const ruleId = 'k8s.pvc.unused';
  const gate = gateRule(snapshot, {
    rule_id: ruleId,
    required: ['persistentvolumeclaims', 'pods'],
    optional: ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs'],
  });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const ephemeral = ephemeralClaimNames(snapshot);
  const podKeys = new Set(snapshot.pods.map(key));
  const statefulClaims = statefulSetClaims(snapshot.statefulsets);
  const volumes = new Map(snapshot.persistentvolumes.map((pv) => [pv.metadata.name, pv]));
  const classes = storageClassesByName(snapshot);
  const drafts: FindingDraft[] = [];
  for (const claim of snapshot.persistentvolumeclaims) {
    // Pending and Lost claims hold no disk, so they cost nothing.
    if (claim.status?.phase !== 'Bound') continue;
    const claimKey = key(claim);
    if (references.claims.has(claimKey) || ephemeral.has(claimKey)) continue;
    if (isOwnedByPod(claim, podKeys)) continue;
    if (
      isExcludedObject(claim.metadata, context.policy) ||
      isWithinGrace(claim.metadata, context)
    ) {
      continue;
    }
    const stateful = statefulClaims.get(claimKey);
    if (stateful && stateful.ordinal < stateful.replicas) continue;
    const volume = volumes.get(claim.spec?.volumeName ?? '');
    const storageClass = classes.get(
      claim.spec?.storageClassName ?? volume?.spec?.storageClassName ?? '',
    );
    drafts.push(
      claimDraft(context, facts, ruleId, claim, volume, storageClass, stateful, gate.degraded),
    );
  }
  return { drafts, warnings: gate.warnings };
}

function claimDraft(
  context: KubernetesRuleContext,
  facts: ClusterFacts,
  ruleId: string,
  claim: PersistentVolumeClaim,
  volume: PersistentVolume | undefined,
  storageClass: StorageClass | undefined,
  stateful: StatefulClaim | undefined,
  degraded: boolean,
): FindingDraft {
  const namespace = namespaceOf(claim);
  const name = claim.metadata.name;
  const size = claim.status?.capacity?.storage ?? claim.spec?.resources?.requests?.storage;
  const pricing = volumePricing(volume, storageClass);
  const reclaim = volume?.spec?.persistentVolumeReclaimPolicy ?? null;
  let confidence: FindingDraft['confidence'] = stateful ? 'low' : 'high';
  if (degraded) confidence = lowerConfidence(confidence);
  return baseDraft(context, {
    rule_id: ruleId,
    namespace,
    kind: 'persistentvolumeclaim',
    region: (volume && volumeRegion(volume)) ?? facts.region,
    resource_type: 'persistentvolumeclaim',
    resource_id: resourceId(namespace, 'persistentvolumeclaim', name),
    resource_name: name,
    title: `Persistent volume claim ${namespace}/${name} is used by nothing`,
    details: stateful
      ? `StatefulSet ${stateful.statefulSet} runs ${stateful.replicas} replica(s) and kept this ` +
        `claim of replica ${stateful.ordinal} after scaling down; it would be reused if the set ` +
        `scaled up again. It holds ${size ?? 'an unknown size'} of billed storage.`
      : `No pod, workload template or StatefulSet uses the claim, yet it holds ` +
        `${size ?? 'an unknown size'} of billed storage.`,
    evidence: {
      phase: claim.status?.phase,
      capacity: size ?? null,
      volume_name: claim.spec?.volumeName ?? null,
      storage_class: claim.spec?.storageClassName ?? null,
      reclaim_policy: reclaim,
      volume_source: pricing.source,
      price_basis: pricing.basis,
      statefulset: stateful?.statefulSet ?? null,
      created_at: claim.metadata.creationTimestamp ?? null,
    },
    action_type: 'DELETE',
    recommendation:
      reclaim === 'Delete'
        ? 'Snapshot the volume if its data may be needed, then delete the claim; the Delete ' +
          'reclaim policy removes the volume and its disk with it.'
        : 'Snapshot the volume if its data may be needed, then delete the claim and the volume it ' +
          'leaves Released.',
    fix_command: kubectlCommand(context.context, namespace, 'delete', 'pvc', name),
    confidence,
    usage: storageUsage(pricing, parseQuantity(size) ?? 0),
    fingerprint: fingerprint(claim.metadata, claim.status?.phase, size),
  });
}

/** Claims that generic ephemeral volumes create: named `<pod>-<volume>` in the pod's namespace. */
function ephemeralClaimNames(snapshot: KubernetesSnapshot): Set<string> {
  const names = new Set<string>();
  for (const pod of snapshot.pods) {
    for (const volume of pod.spec?.volumes ?? []) {
      if (volume.ephemeral) names.add(`${namespaceOf(pod)}/${pod.metadata.name}-${volume.name}`);
    }
  }
  return names;
}

/** A claim owned by a pod lives and dies with it (ephemeral volumes set this owner). */
function isOwnedByPod(claim: PersistentVolumeClaim, podKeys: Set<string>): boolean {
  const owner = controllerOf(claim);
  return owner?.kind === 'Pod' && podKeys.has(`${namespaceOf(claim)}/${owner.name}`);
}

interface StatefulClaim {
  statefulSet: string;
  ordinal: number;
  replicas: number;
}

/** Finds the StatefulSet replica a claim belongs to by its name. */
interface StatefulClaims {
  get(claimKey: string): StatefulClaim | undefined;
}

/** Claims a StatefulSet's templates produce: `<template>-<statefulset>-<ordinal>`. */
function statefulSetClaims(sets: StatefulSet[]): StatefulClaims {
  const prefixes = new Map<string, { statefulSet: string; replicas: number }>();
  for (const set of sets) {
    for (const template of set.spec?.volumeClaimTemplates ?? []) {
      const prefix = `${namespaceOf(set)}/${template.metadata?.name ?? ''}-${set.metadata.name}-`;
      prefixes.set(prefix, { statefulSet: set.metadata.name, replicas: set.spec?.replicas ?? 1 });
    }
  }
  return {
    get(claimKey) {
      const match = /^(.*-)(\d+)$/.exec(claimKey);
      const found = match ? prefixes.get(match[1] as string) : undefined;
      return found && match ? { ...found, ordinal: Number(match[2]) } : undefined;
    },
  };
}

function storageClassesByName(snapshot: KubernetesSnapshot): Map<string, StorageClass> {
  return new Map(snapshot.storageclasses.map((item) => [item.metadata.name, item]));
}

const ZONE_LABELS = [
  'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/zone',
  'topology.ebs.csi.aws.com/zone',
  'topology.gke.io/zone',
  'topology.disk.csi.azure.com/zone',
];

/** A volume's region from its labels or node affinity; a zone names its region too. */
function volumeRegion(volume: PersistentVolume): string | undefined {
  const labels = { ...volume.metadata.labels };
  for (const term of volume.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const expression of term.matchExpressions ?? []) {
      const value = expression.values?.[0];
      if (value && !(expression.key in labels)) labels[expression.key] = value;
    }
  }
  const region = firstLabel(labels, [
    'topology.kubernetes.io/region',
    'failure-domain.beta.kubernetes.io/region',
  ]);
  if (region) return region;
  const zone = firstLabel(labels, ZONE_LABELS);
  return zone ? regionOfZone(zone) : undefined;
}

/** `us-east-1a` → `us-east-1`, `us-central1-b` → `us-central1`, `eastus-2` → `eastus`. */
export function regionOfZone(zone: string): string {
  return (
    /^([a-z]+-[a-z]+-\d+)[a-z]$/.exec(zone)?.[1] ??
    /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(zone)?.[1] ??
    /^([a-z0-9]+)-\d$/.exec(zone)?.[1] ??
    zone
  );
}
