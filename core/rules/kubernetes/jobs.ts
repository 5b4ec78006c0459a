import type { FindingDraft } from '../../model';
import type { KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import type { Job } from '../../providers/kubernetes/types';
import { controllerOf, namespaceOf } from './pod-specs';
import {
  type ClusterFacts,
  type KubernetesRuleContext,
  type RuleOutput,
  baseDraft,
  fingerprint,
  gateRule,
  formatHours,
  hoursSince,
  isExcludedObject,
  isSystemNamespace,
  kubectlCommand,
  resourceId,
} from './shared';

/**
 * k8s.job.finished: a Job that completed or failed longer than `grace_period_hours` ago and that
 * nothing will clean up. Left out: Jobs with `ttlSecondsAfterFinished` (the TTL controller deletes
 * them) and Jobs a CronJob owns (its controller keeps only `successfulJobsHistoryLimit` and
 * `failedJobsHistoryLimit` of them and deletes the rest itself).
 */
export function findFinishedJobs(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
): RuleOutput {
  const ruleId = 'k8s.job.finished';
  const gate = gateRule(snapshot, { rule_id: ruleId, required: ['jobs'] });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const drafts: FindingDraft[] = [];
  for (const job of snapshot.jobs) {
    const outcome = finishedAs(job);
    if (!outcome) continue;
    if (job.spec?.ttlSecondsAfterFinished !== undefined) continue;
    if (controllerOf(job)?.kind === 'CronJob') continue;
    const namespace = namespaceOf(job);
    if (isSystemNamespace(namespace) || isExcludedObject(job.metadata, context.policy)) continue;
    const finishedAt = outcome.at ?? job.status?.startTime ?? job.metadata.creationTimestamp;
    const hours = hoursSince(finishedAt, context.now);
    if (hours === undefined || hours < context.policy.grace_period_hours) continue;
    const name = job.metadata.name;
    drafts.push(
      baseDraft(context, {
        rule_id: ruleId,
        namespace,
        kind: 'job',
        region: facts.region,
        resource_type: 'job',
        resource_id: resourceId(namespace, 'job', name),
        resource_name: name,
        title: `Job ${namespace}/${name} ${outcome.type === 'Complete' ? 'completed' : 'failed'} and was never cleaned up`,
        details:
          `It finished about ${formatHours(hours)} ago and has no ttlSecondsAfterFinished, so ` +
          'it and its pods stay in the API server (and their logs on the nodes) until deleted.',
        evidence: {
          status: outcome.type,
          finished_at: finishedAt ?? null,
          succeeded: job.status?.succeeded ?? 0,
          failed: job.status?.failed ?? 0,
          ttl_seconds_after_finished: null,
          workload: `job/${name}`,
        },
        action_type: 'DELETE',
        recommendation:
          'Delete the Job (its pods go with it) and set spec.ttlSecondsAfterFinished on future ' +
          'Jobs so they clean up after themselves.',
        fix_command: kubectlCommand(context.context, namespace, 'delete', 'job', name),
        confidence: 'high',
        usage: [],
        fingerprint: fingerprint(job.metadata, outcome.type, finishedAt),
      }),
    );
  }
  return { drafts, warnings: gate.warnings };
}

/** `Complete` or `Failed` with the time the condition became true, or undefined while running. */
function finishedAs(job: Job): { type: 'Complete' | 'Failed'; at: string | undefined } | undefined {
  for (const condition of job.status?.conditions ?? []) {
    if (condition.status !== 'True') continue;
    if (condition.type === 'Complete') {
      return { type: 'Complete', at: job.status?.completionTime ?? condition.lastTransitionTime };
    }
    if (condition.type === 'Failed') return { type: 'Failed', at: condition.lastTransitionTime };
  }
  return undefined;
}
