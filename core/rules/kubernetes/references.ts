import type { KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import type { CsiSource, PodSpec, Volume } from '../../providers/kubernetes/types';
import { allContainers, namespaceOf, podSpecSources } from './pod-specs';

/** Who refers to which ConfigMap, Secret and claim, keyed `namespace/name`. */
export interface References {
  configMaps: Map<string, string[]>;
  secrets: Map<string, string[]>;
  claims: Map<string, string[]>;
}

/**
 * Gathers every reference RULES.md lists: pod and template volumes (projected sources and storage
 * plugin secrets included), env and envFrom of app, init and ephemeral containers, image pull
 * secrets, service accounts, Ingress TLS, and the secrets CSI persistent volumes name.
 */
export function collectReferences(snapshot: KubernetesSnapshot): References {
  const refs: References = { configMaps: new Map(), secrets: new Map(), claims: new Map() };
  for (const source of podSpecSources(snapshot)) {
    addPodSpec(refs, source.namespace, `${source.kind}/${source.name}`, source.spec);
  }
  for (const account of snapshot.serviceaccounts) {
    const namespace = namespaceOf(account);
    const by = `serviceaccount/${account.metadata.name}`;
    for (const ref of [...(account.secrets ?? []), ...(account.imagePullSecrets ?? [])]) {
      note(refs.secrets, namespace, ref.name, by);
    }
  }
  for (const ingress of snapshot.ingresses) {
    for (const tls of ingress.spec?.tls ?? []) {
      note(refs.secrets, namespaceOf(ingress), tls.secretName, `ingress/${ingress.metadata.name}`);
    }
  }
  for (const volume of snapshot.persistentvolumes) {
    addCsiSecrets(refs, volume.spec?.csi, `persistentvolume/${volume.metadata.name}`);
  }
  return refs;
}

function addPodSpec(refs: References, namespace: string, by: string, spec: PodSpec): void {
  for (const volume of spec.volumes ?? []) addVolume(refs, namespace, by, volume);
  for (const container of allContainers(spec)) {
    for (const env of container.env ?? []) {
      note(refs.configMaps, namespace, env.valueFrom?.configMapKeyRef?.name, by);
      note(refs.secrets, namespace, env.valueFrom?.secretKeyRef?.name, by);
    }
    for (const from of container.envFrom ?? []) {
      note(refs.configMaps, namespace, from.configMapRef?.name, by);
      note(refs.secrets, namespace, from.secretRef?.name, by);
    }
  }
  for (const pull of spec.imagePullSecrets ?? []) note(refs.secrets, namespace, pull.name, by);
}

function addVolume(refs: References, namespace: string, by: string, volume: Volume): void {
  note(refs.claims, namespace, volume.persistentVolumeClaim?.claimName, by);
  note(refs.configMaps, namespace, volume.configMap?.name, by);
  note(refs.secrets, namespace, volume.secret?.secretName, by);
  for (const source of volume.projected?.sources ?? []) {
    note(refs.configMaps, namespace, source.configMap?.name, by);
    note(refs.secrets, namespace, source.secret?.name, by);
  }
  const pluginSecrets = [
    volume.csi?.nodePublishSecretRef?.name,
    volume.azureFile?.secretName,
    volume.cephfs?.secretRef?.name,
    volume.rbd?.secretRef?.name,
    volume.flexVolume?.secretRef?.name,
    volume.iscsi?.secretRef?.name,
    volume.scaleIO?.secretRef?.name,
    volume.storageos?.secretRef?.name,
  ];
  for (const name of pluginSecrets) note(refs.secrets, namespace, name, by);
}

function addCsiSecrets(refs: References, csi: CsiSource | undefined, by: string): void {
  const secretRefs = [
    csi?.nodePublishSecretRef,
    csi?.nodeStageSecretRef,
    csi?.controllerPublishSecretRef,
    csi?.controllerExpandSecretRef,
  ];
  for (const ref of secretRefs) {
    if (ref?.namespace) note(refs.secrets, ref.namespace, ref.name, by);
  }
}

function note(
  table: Map<string, string[]>,
  namespace: string,
  name: string | undefined,
  by: string,
): void {
  if (!name) return;
  const key = `${namespace}/${name}`;
  const users = table.get(key);
  if (!users) table.set(key, [by]);
  else if (!users.includes(by)) users.push(by);
}
