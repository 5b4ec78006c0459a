import type { FindingDraft } from '../../model';
import type { KubernetesSnapshot, SnapshotKind } from '../../providers/kubernetes/snapshot';
import type { MetadataOnlyObject } from '../../providers/kubernetes/types';
import { key, namespaceOf } from './pod-specs';
import type { References } from './references';
import {
  type ClusterFacts,
  type KubernetesRuleContext,
  type RuleOutput,
  baseDraft,
  fingerprint,
  gateRule,
  isExcludedObject,
  isSystemNamespace,
  isWithinGrace,
  kubectlCommand,
  lowerConfidence,
  resourceId,
} from './shared';

/** Objects every namespace gets from the control plane. */
const SYSTEM_CONFIGMAPS = new Set(['kube-root-ca.crt']);
/** Secret types that something other than a pod reference keeps alive. */
const EXEMPT_SECRET_TYPES = new Set([
  'kubernetes.io/service-account-token',
  'helm.sh/release.v1',
  'bootstrap.kubernetes.io/token',
]);
const HELM_RELEASE_PREFIX = 'sh.helm.release.v1.';

/**
 * k8s.configmap.unused: a ConfigMap that no pod, template or projected volume refers to.
 * Governance only (cost 0). Exempt: `kube-root-ca.crt`, kube-* namespaces, objects a controller
 * owns, and objects younger than the grace period.
 */
export function findUnusedConfigMaps(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
  references: References,
): RuleOutput {
  return findUnused(snapshot, context, facts, references.configMaps, {
    ruleId: 'k8s.configmap.unused',
    kind: 'configmap',
    list: 'configmaps',
    items: snapshot.configmaps,
    optional: ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs'],
    isExempt: (item) => SYSTEM_CONFIGMAPS.has(item.metadata.name),
  });
}

/**
 * k8s.secret.unused: a Secret that no pod, template, service account, Ingress TLS or CSI volume
 * refers to. Governance only (cost 0). Exempt: service-account tokens, Helm release records
 * (`sh.helm.release.v1.*`), bootstrap tokens, kube-* namespaces, objects a controller owns, and
 * objects younger than the grace period.
 */
export function findUnusedSecrets(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
  references: References,
): RuleOutput {
  return findUnused(snapshot, context, facts, references.secrets, {
    ruleId: 'k8s.secret.unused',
    kind: 'secret',
    list: 'secrets',
    items: snapshot.secrets,
    optional: [
      'deployments',
      'statefulsets',
      'daemonsets',
      'replicasets',
      'jobs',
      'cronjobs',
      'serviceaccounts',
      'ingresses',
      'persistentvolumes',
    ],
    isExempt: (item) =>
      EXEMPT_SECRET_TYPES.has(item.type ?? '') ||
      item.metadata.name.startsWith(HELM_RELEASE_PREFIX),
  });
}

interface UnusedSpec {
  ruleId: string;
  kind: 'configmap' | 'secret';
  list: SnapshotKind;
  items: MetadataOnlyObject[];
  optional: SnapshotKind[];
  isExempt: (item: MetadataOnlyObject) => boolean;
}

function findUnused(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
  referenced: Map<string, string[]>,
  spec: UnusedSpec,
): RuleOutput {
  const gate = gateRule(snapshot, {
    rule_id: spec.ruleId,
    required: [spec.list, 'pods'],
    optional: spec.optional,
  });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const drafts: FindingDraft[] = [];
  for (const item of spec.items) {
    const namespace = namespaceOf(item);
    if (isSystemNamespace(namespace) || spec.isExempt(item)) continue;
    if (referenced.has(key(item)) || (item.metadata.ownerReferences ?? []).length > 0) continue;
    if (isExcludedObject(item.metadata, context.policy) || isWithinGrace(item.metadata, context)) {
      continue;
    }
    const name = item.metadata.name;
    const noun = spec.kind === 'configmap' ? 'ConfigMap' : 'Secret';
    drafts.push(
      baseDraft(context, {
        rule_id: spec.ruleId,
        namespace,
        kind: spec.kind,
        region: facts.region,
        resource_type: spec.kind,
        resource_id: resourceId(namespace, spec.kind, name),
        resource_name: name,
        title: `${noun} ${namespace}/${name} is referenced by nothing`,
        details:
          `No pod, workload template${spec.kind === 'secret' ? ', service account, Ingress TLS entry' : ''} ` +
          `or projected volume refers to this ${noun}. It costs nothing to keep, but stale ` +
          `${spec.kind === 'secret' ? 'credentials widen what a leak exposes' : 'configuration misleads whoever reads it next'}.`,
        // Names and metadata only: a Secret's data is never read by the scanner.
        evidence: {
          type: item.type ?? null,
          created_at: item.metadata.creationTimestamp ?? null,
          references: 0,
          owner_references: 0,
        },
        action_type: 'DELETE',
        recommendation:
          'Check that no operator, CRD or external tool reads it by name, then delete it.',
        fix_command: kubectlCommand(context.context, namespace, 'delete', spec.kind, name),
        // Controllers and CRDs can read objects by name where no pod spec shows it.
        confidence: gate.degraded ? lowerConfidence('medium') : 'medium',
        usage: [],
        fingerprint: fingerprint(item.metadata, item.metadata.resourceVersion),
      }),
    );
  }
  return { drafts, warnings: gate.warnings };
}
