import type { FindingDraft } from '../../model';
import type { KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import type { EndpointSlice } from '../../providers/kubernetes/types';
import { loadBalancerUsage } from './pricing';
import { namespaceOf } from './pod-specs';
import {
  type ClusterFacts,
  type KubernetesRuleContext,
  type RuleOutput,
  baseDraft,
  fingerprint,
  gateRule,
  isExcludedObject,
  isWithinGrace,
  kubectlCommand,
  lowerConfidence,
  resourceId,
} from './shared';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * k8s.service.lb_no_endpoints: a provisioned `LoadBalancer` Service with no ready endpoint in any
 * of its EndpointSlices. A dual-stack Service has one slice per address family (and a big one
 * several per family), so all of its slices are judged together: one ready address anywhere
 * means the load balancer serves traffic.
 */
export function findIdleLoadBalancers(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
): RuleOutput {
  const ruleId = 'k8s.service.lb_no_endpoints';
  const gate = gateRule(snapshot, { rule_id: ruleId, required: ['services', 'endpointslices'] });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const slicesByService = groupSlices(snapshot.endpointslices);
  const drafts: FindingDraft[] = [];
  for (const service of snapshot.services) {
    if (service.spec?.type !== 'LoadBalancer') continue;
    // Without an ingress address no cloud load balancer exists yet, so nothing is billed.
    const ingress = service.status?.loadBalancer?.ingress ?? [];
    if (!ingress.length) continue;
    if (
      isExcludedObject(service.metadata, context.policy) ||
      isWithinGrace(service.metadata, context)
    ) {
      continue;
    }
    const namespace = namespaceOf(service);
    const name = service.metadata.name;
    const slices = slicesByService.get(`${namespace}/${name}`) ?? [];
    const ready = slices.reduce((sum, slice) => sum + readyAddresses(slice), 0);
    if (ready > 0) continue;
    const hasSelector = Object.keys(service.spec?.selector ?? {}).length > 0;
    drafts.push(
      baseDraft(context, {
        rule_id: ruleId,
        namespace,
        kind: 'service',
        region: facts.region,
        resource_type: 'service',
        resource_id: resourceId(namespace, 'service', name),
        resource_name: name,
        title: `Load balancer service ${namespace}/${name} has no ready endpoints`,
        details:
          `The cloud load balancer at ${ingress.map((entry) => entry.hostname ?? entry.ip).join(', ')} ` +
          `is billed by the hour, but none of the Service's ${slices.length} EndpointSlice(s) ` +
          'holds a ready endpoint, so it forwards traffic nowhere.',
        evidence: {
          type: 'LoadBalancer',
          ingress: ingress.map((entry) => entry.hostname ?? entry.ip ?? null),
          ip_families: service.spec?.ipFamilies ?? null,
          endpoint_slices: slices.length,
          address_types: [...new Set(slices.map((slice) => slice.addressType ?? 'unknown'))],
          ready_endpoints: 0,
          has_selector: hasSelector,
          created_at: service.metadata.creationTimestamp ?? null,
        },
        action_type: 'DELETE',
        recommendation:
          'If the workload behind it is gone for good, delete the Service; the cloud load ' +
          'balancer is released with it. If pods should be serving, fix the selector or the pods.',
        fix_command: kubectlCommand(context.context, namespace, 'delete', 'service', name),
        // A crash-looping backend also has no ready endpoint for a while.
        confidence: gate.degraded ? lowerConfidence('medium') : 'medium',
        usage: loadBalancerUsage(facts.cloud),
        fingerprint: fingerprint(service.metadata, service.metadata.resourceVersion),
      }),
    );
  }
  return { drafts, warnings: gate.warnings };
}

function groupSlices(slices: EndpointSlice[]): Map<string, EndpointSlice[]> {
  const groups = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = `${namespaceOf(slice)}/${service}`;
    const group = groups.get(key);
    if (group) group.push(slice);
    else groups.set(key, [slice]);
  }
  return groups;
}

/** Ready addresses of a slice; the API says a missing `ready` condition means ready. */
function readyAddresses(slice: EndpointSlice): number {
  return (slice.endpoints ?? []).filter(
    (endpoint) => endpoint.conditions?.ready !== false && (endpoint.addresses?.length ?? 0) > 0,
  ).length;
}
