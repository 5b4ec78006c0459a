import { describe, expect, it } from 'bun:test';
import { buildSnapshot } from '../../../core/providers/kubernetes/snapshot';
import { KUBERNETES_RULES } from '../../../core/rules/kubernetes';
import { objectTags } from '../../../core/rules/kubernetes/shared';
import { EXPECTED_FINDINGS, shopLists } from '../../fixtures/kubernetes/cluster';
import { evaluate } from '../../fixtures/kubernetes/rules';

describe('evaluateKubernetesRules', () => {
  it('finds exactly the waste the fixture cluster holds, one finding per planted case', () => {
    const output = evaluate(shopLists());
    const found = output.drafts.map((draft) => [draft.rule_id, draft.resource_id]);
    expect(found.sort()).toEqual([...EXPECTED_FINDINGS].sort());
    expect(output.warnings).toEqual([]);
  });

  it('covers every rule of the table', () => {
    const rules = new Set(evaluate(shopLists()).drafts.map((draft) => draft.rule_id));
    expect([...rules].sort()).toEqual(KUBERNETES_RULES.map((rule) => rule.id).sort());
  });

  it('shapes every draft the same way: provider, account, id format, context in the command', () => {
    const drafts = evaluate(shopLists()).drafts;
    for (const draft of drafts) {
      expect(draft.provider).toBe('kubernetes');
      expect(draft.account_id).toBe('k8s-prod');
      expect(draft.resource_id).toMatch(/^[^/]+\/[a-z]+\/[^/]+$/);
      expect(draft.evidence.kube_context).toBe('prod');
      expect(draft.region).toBe('us-east-1');
    }
    // A bare pod's requests cannot be set in place: only that finding has no command.
    const withoutCommand = drafts.filter((draft) => !draft.fix_command);
    expect(withoutCommand.map((draft) => draft.resource_id)).toEqual(['shop/pod/debug']);
    for (const draft of drafts.filter((item) => item.fix_command)) {
      expect(draft.fix_command).toMatch(/^kubectl --context prod /);
    }
  });

  it('gives the same fingerprint for the same state, so handled findings stay handled', () => {
    const first = evaluate(shopLists()).drafts.map((draft) => draft.fingerprint);
    const second = evaluate(shopLists()).drafts.map((draft) => draft.fingerprint);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it('never reports objects labelled with the policy excluded tags', () => {
    const lists = shopLists();
    for (const list of Object.values(lists)) {
      for (const object of list as Array<{ metadata: { labels?: Record<string, string> } }>) {
        object.metadata.labels = { ...object.metadata.labels, 'team.example/owner': 'payments' };
      }
    }
    expect(evaluate(lists, {}, { excluded_tags: ['team.example:owner=payments'] }).drafts).toEqual(
      [],
    );
  });
});

describe('objectTags', () => {
  it('merges labels over annotations and lets prefix/name keys answer to prefix:name', () => {
    expect(
      objectTags({
        labels: { 'cws/ignore': 'true' },
        annotations: { note: 'x', 'cws/ignore': 'no' },
      }),
    ).toEqual({ note: 'x', 'cws/ignore': 'true', 'cws:ignore': 'true' });
  });
});

describe('buildSnapshot', () => {
  it('fills missing lists as empty and known, and metrics as absent unless given', () => {
    const snapshot = buildSnapshot({ pods: [] }, { secrets: 'forbidden' });
    expect(snapshot.nodes).toEqual([]);
    expect(snapshot.availability.nodes).toBe('ok');
    expect(snapshot.availability.secrets).toBe('forbidden');
    expect(snapshot.availability.pod_metrics).toBe('absent');
    expect(buildSnapshot({ pod_metrics: [] }).availability.pod_metrics).toBe('ok');
  });
});
