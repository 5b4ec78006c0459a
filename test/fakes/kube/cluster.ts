import {
  container,
  deployment,
  node,
  persistentVolume,
  persistentVolumeClaim,
  pod,
  replicaSet,
} from '../../fixtures/kubernetes/objects';
import type { FakeKubeObject } from '../kube-apiserver';

/** How big a generated cluster is. */
export interface ClusterSize {
  nodes: number;
  pods: number;
  pvcs: number;
}

const PODS_PER_DEPLOYMENT = 10;
const NAMESPACES = 5;

/**
 * A deterministic cluster of the given size for benchmarks: nodes of one instance type, pods
 * spread over them in deployments of ten across a few namespaces, and claims of which the first
 * half are mounted by pods and the rest are unused (so the rules have work to report).
 */
export function generateCluster(size: ClusterSize): FakeKubeObject[] {
  const objects: FakeKubeObject[] = [];
  for (let index = 0; index < size.nodes; index++) {
    objects.push(node(`node-${index}`, { cpu: '8', memory: '32Gi', instanceType: 'm5.2xlarge' }));
  }
  const mounted = Math.floor(size.pvcs / 2);
  for (let index = 0; index < size.pods; index++) {
    const namespace = namespaceOf(index);
    const name = `app-${Math.floor(index / PODS_PER_DEPLOYMENT)}`;
    if (index % PODS_PER_DEPLOYMENT === 0) {
      objects.push(deployment(name, namespace, { replicas: PODS_PER_DEPLOYMENT }));
      objects.push(replicaSet(`${name}-rs`, namespace, name));
    }
    const claim = index < mounted ? `claim-${index}` : undefined;
    objects.push(
      pod(`${name}-rs-${index}`, namespace, {
        node: size.nodes ? `node-${index % size.nodes}` : undefined,
        owner: { kind: 'ReplicaSet', name: `${name}-rs` },
        containers: [container('app', { cpu: '250m', memory: '512Mi' })],
        spec: claim
          ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] }
          : {},
      }),
    );
  }
  for (let index = 0; index < size.pvcs; index++) {
    const namespace = namespaceOf(index);
    objects.push(persistentVolumeClaim(`claim-${index}`, namespace, { size: '10Gi' }));
    objects.push(
      persistentVolume(`pv-claim-${index}`, {
        phase: 'Bound',
        capacity: '10Gi',
        claim: { namespace, name: `claim-${index}` },
      }),
    );
  }
  return objects;
}

/** Deployments of ten go round the namespaces; claim `i` lives where pod `i` does. */
function namespaceOf(index: number): string {
  return `bench-${Math.floor(index / PODS_PER_DEPLOYMENT) % NAMESPACES}`;
}
