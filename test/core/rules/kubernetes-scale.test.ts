import { describe, expect, it } from 'bun:test';
import { generateCluster } from '../../fakes/kube/cluster';
import { evaluate } from '../../fixtures/kubernetes/rules';
import type { SnapshotLists } from '../../../core/providers/kubernetes/snapshot';

/** Files generated objects under snapshot lists by kind. */
function file(objects: ReturnType<typeof generateCluster>): Partial<SnapshotLists> {
  const lists: Record<string, unknown[]> = {};
  const listOf: Record<string, string> = {
    Node: 'nodes',
    Pod: 'pods',
    Deployment: 'deployments',
    ReplicaSet: 'replicasets',
    PersistentVolumeClaim: 'persistentvolumeclaims',
    PersistentVolume: 'persistentvolumes',
  };
  for (const object of objects) (lists[listOf[object.kind] as string] ??= []).push(object);
  return lists as Partial<SnapshotLists>;
}

describe('generateCluster', () => {
  it('builds the requested numbers of nodes, pods and claims', () => {
    const objects = generateCluster({ nodes: 3, pods: 25, pvcs: 10 });
    const count = (kind: string) => objects.filter((object) => object.kind === kind).length;
    expect([count('Node'), count('Pod'), count('PersistentVolumeClaim')]).toEqual([3, 25, 10]);
    expect(count('Deployment')).toBe(3);
  });

  it('mounts the first half of the claims, so the rules report the other half', () => {
    const output = evaluate(file(generateCluster({ nodes: 3, pods: 25, pvcs: 10 })));
    const unused = output.drafts.filter((draft) => draft.rule_id === 'k8s.pvc.unused');
    expect(unused.map((draft) => draft.resource_name).sort()).toEqual([
      'claim-5',
      'claim-6',
      'claim-7',
      'claim-8',
      'claim-9',
    ]);
  });
});

describe('evaluateKubernetesRules at scale', () => {
  it('judges 500 nodes, 20 000 pods and 5 000 claims in under three seconds', () => {
    const lists = file(generateCluster({ nodes: 500, pods: 20_000, pvcs: 5_000 }));
    const started = performance.now();
    const output = evaluate(lists);
    const elapsed = performance.now() - started;
    expect(output.drafts.filter((draft) => draft.rule_id === 'k8s.pvc.unused')).toHaveLength(2_500);
    expect(elapsed).toBeLessThan(3_000);
  });
});
