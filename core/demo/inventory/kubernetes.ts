import { buildSnapshot, type KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import type { Container, PodSpec } from '../../providers/kubernetes/types';
import { DemoCluster, container, type NodeSpec } from './kubernetes-builder';

/** The kubeconfig context the demo cluster answers to; it names the fix commands' target. */
export const DEMO_KUBE_CONTEXT = 'demo-prod-us-east-1';

/** The API server version the demo cluster reports. */
export const DEMO_KUBE_SERVER_VERSION = 'v1.31.2-eks-7f9249a';

const NODE_1 = 'ip-10-0-1-23.ec2.internal';
const NODE_2 = 'ip-10-0-2-41.ec2.internal';
const NODE_3 = 'ip-10-0-3-17.ec2.internal';
const NODE_4 = 'ip-10-0-1-88.ec2.internal';
const NODE_5 = 'ip-10-0-2-95.ec2.internal';

const NODES: NodeSpec[] = [
  { name: NODE_1, zone: 'us-east-1a', instance: 'i-0f1e2d3c4b5a61001', used: ['1650m', '7.1Gi'] },
  { name: NODE_2, zone: 'us-east-1b', instance: 'i-0f1e2d3c4b5a61002', used: ['1380m', '5.2Gi'] },
  { name: NODE_3, zone: 'us-east-1c', instance: 'i-0f1e2d3c4b5a61003', used: ['1720m', '8.4Gi'] },
  // Its pods ask for a tenth of it: the node pool could shrink by one node.
  { name: NODE_4, zone: 'us-east-1a', instance: 'i-0f1e2d3c4b5a61004', used: ['310m', '1.3Gi'] },
  // Cordoned for an AMI upgrade and being drained: not a rightsizing candidate.
  {
    name: NODE_5,
    zone: 'us-east-1b',
    instance: 'i-0f1e2d3c4b5a61005',
    used: ['120m', '0.6Gi'],
    cordoned: true,
    age_days: 1.5,
  },
];

/**
 * A three-zone EKS cluster of m5.xlarge nodes running a shop, a payment API, a database and its
 * monitoring, as `kubectl get -o json` (and the metrics API) would return it. Every Kubernetes
 * rule fires at least once; the traps that must not fire include a dual-stack load balancer with
 * a ready IPv6 slice, a deployment at zero that KEDA scales, an ephemeral volume's claim, a Job a
 * CronJob owns, a Job with a TTL, ConfigMaps used only by an init container or a projected volume,
 * Secrets used only by an Ingress or a service account, Helm release records and a cordoned node.
 */
export function demoKubernetesSnapshot(now: Date): KubernetesSnapshot {
  const cluster = new DemoCluster(now);
  for (const node of NODES) cluster.node(node);
  kubeSystem(cluster);
  monitoring(cluster);
  shop(cluster);
  payments(cluster);
  data(cluster);
  defaultNamespace(cluster);
  return buildSnapshot(cluster.lists);
}

function kubeSystem(cluster: DemoCluster): void {
  const all = NODES.map((node) => node.name);
  cluster.daemonSet('kube-system', 'aws-node', all, {
    containers: [container('aws-node', 'amazon-k8s-cni:v1.18.5', ['25m', undefined])],
    usage: { 'aws-node': ['4m', '42Mi'] },
  });
  cluster.daemonSet('kube-system', 'kube-proxy', all, {
    containers: [container('kube-proxy', 'kube-proxy:v1.31.2', ['100m', undefined])],
    usage: { 'kube-proxy': ['2m', '21Mi'] },
  });
  cluster.deployment('kube-system', 'coredns', [NODE_1, NODE_3], {
    containers: [container('coredns', 'coredns:v1.11.3', ['100m', '70Mi'])],
    usage: { coredns: ['3m', '18Mi'] },
  });
  cluster.service('kube-system', 'kube-dns', 'ClusterIP');
  for (const name of ['aws-auth', 'coredns', 'kube-proxy', 'kube-root-ca.crt']) {
    cluster.configMap('kube-system', name);
  }
}

function monitoring(cluster: DemoCluster): void {
  cluster.daemonSet(
    'monitoring',
    'node-exporter',
    NODES.map((node) => node.name),
    {
      containers: [container('node-exporter', 'node-exporter:v1.8.2', ['50m', '64Mi'])],
      usage: { 'node-exporter': ['20m', '38Mi'] },
    },
  );
  cluster.statefulSet('monitoring', 'prometheus', [NODE_3], {
    containers: [container('prometheus', 'prometheus:v2.54.1', ['500m', '2Gi'])],
    volumes: [{ name: 'config', configMap: { name: 'prometheus-config' } }],
    claims: [{ template: 'prometheus-data', size: '200Gi' }],
    usage: { prometheus: ['380m', '1600Mi'] },
  });
  // Installed from a chart without resources: scheduled blind.
  cluster.deployment('monitoring', 'grafana', [NODE_3], {
    containers: [
      {
        ...container('grafana', 'grafana:11.2.0'),
        envFrom: [{ secretRef: { name: 'grafana-admin' } }],
      },
    ],
    volumes: [{ name: 'dashboards', configMap: { name: 'grafana-dashboards' } }],
    usage: { grafana: ['40m', '180Mi'] },
  });
  cluster.service('monitoring', 'prometheus', 'ClusterIP');
  cluster.service('monitoring', 'grafana', 'ClusterIP');
  for (const name of ['prometheus-config', 'grafana-dashboards', 'kube-root-ca.crt']) {
    cluster.configMap('monitoring', name);
  }
  cluster.secret('monitoring', 'grafana-admin', 'Opaque');
  cluster.secret('monitoring', 'sh.helm.release.v1.grafana.v3', 'helm.sh/release.v1');
  // The claim of an earlier Grafana was deleted; the Retain policy kept its disk.
  cluster.persistentVolume('pvc-5b8e2c71-grafana-old', {
    size: '200Gi',
    storageClass: 'gp3',
    phase: 'Released',
    zone: 'us-east-1c',
    claim: { namespace: 'monitoring', name: 'grafana-storage-old' },
    age_days: 260,
  });
}

function shop(cluster: DemoCluster): void {
  cluster.deployment('shop', 'frontend', [NODE_1, NODE_2, NODE_3], {
    containers: [container('frontend', 'acme/storefront:4.12.0', ['500m', '1Gi'])],
    volumes: [
      {
        name: 'config',
        projected: { sources: [{ configMap: { name: 'frontend-config' } }] },
      },
    ],
    usage: { frontend: ['320m', '700Mi'] },
  });
  cluster.autoscaler('shop', 'frontend', 'Deployment', 3);
  cluster.deployment('shop', 'checkout', [NODE_1, NODE_2], {
    containers: [container('checkout', 'acme/checkout:2.7.3', ['500m', '1Gi'])],
    initContainers: [
      {
        ...container('migrate-schema', 'acme/checkout:2.7.3', ['100m', '128Mi']),
        env: [
          {
            name: 'MIGRATIONS',
            valueFrom: { configMapKeyRef: { name: 'checkout-migrations' } },
          },
        ],
      },
    ],
    usage: { checkout: ['280m', '600Mi'] },
  });
  cluster.statefulSet('shop', 'cart-redis', [NODE_1], {
    containers: [container('redis', 'redis:7.4', ['250m', '2Gi'])],
    claims: [{ template: 'data', size: '20Gi' }],
    usage: { redis: ['90m', '1400Mi'] },
  });
  cluster.deployment('shop', 'notifications-worker', [NODE_4], {
    containers: [container('worker', 'acme/notifications:1.3.0', ['100m', '256Mi'])],
    usage: { worker: ['60m', '180Mi'] },
  });
  // Scaled to zero by hand after the 2023 campaign and never removed.
  cluster.deployment('shop', 'promo-banner-2023', [], {
    containers: [
      {
        ...container('banner', 'acme/promo-banner:2023.11', ['100m', '128Mi']),
        envFrom: [{ configMapRef: { name: 'promo-banner-config' } }],
      },
    ],
    scaledToZero: { manager: 'kubectl', age: { days: 40 } },
  });
  // At zero between bursts on purpose: KEDA scales it from the queue length.
  cluster.deployment('shop', 'batch-worker', [], {
    containers: [container('worker', 'acme/batch-worker:3.0.1', ['250m', '512Mi'])],
    scaledToZero: { manager: 'keda-operator', age: { days: 2 } },
  });
  cluster.scaledObject('shop', 'batch-worker');
  cluster.loadBalancer('shop', 'frontend', {
    hostname: 'a3f9c2e1b7d84e6f9a1b2c3d4e5f6a7b-1840275.us-east-1.elb.amazonaws.com',
    slices: [{ family: 'IPv4', ready: 3 }],
  });
  cluster.loadBalancer('shop', 'legacy-checkout', {
    hostname: 'a91b7c3d5e2f4a6b8c0d1e2f3a4b5c6d-5512091.us-east-1.elb.amazonaws.com',
    slices: [{ family: 'IPv4', ready: 0 }],
    selector: { app: 'checkout-v1' },
  });
  cluster.service('shop', 'checkout', 'ClusterIP');
  cluster.service('shop', 'cart-redis', 'ClusterIP');
  for (const name of [
    'frontend-config',
    'checkout-migrations',
    'promo-banner-config',
    'feature-flags-2023',
    'kube-root-ca.crt',
  ]) {
    cluster.configMap('shop', name);
  }
  cluster.secret('shop', 'frontend-tls', 'kubernetes.io/tls');
  cluster.secret('shop', 'registry-credentials', 'kubernetes.io/dockerconfigjson');
  cluster.ingress('shop', 'storefront', 'frontend-tls');
  cluster.serviceAccount('shop', 'default', ['registry-credentials']);
}

function payments(cluster: DemoCluster): void {
  cluster.deployment('payments', 'payments-api', [NODE_1, NODE_2], {
    containers: [
      {
        ...container('api', 'acme/payments-api:5.2.1', ['500m', '1Gi']),
        env: [{ name: 'STRIPE_KEY', valueFrom: { secretKeyRef: { name: 'stripe-api-key' } } }],
      },
    ],
    usage: { api: ['300m', '650Mi'] },
  });
  // Dual-stack: the IPv4 slice is empty, the IPv6 one serves, so the load balancer is in use.
  cluster.loadBalancer('payments', 'payments-public', {
    hostname: 'a5c7e9f1b3d54a7c9e1f3b5d7a9c1e3f-2209113.us-east-1.elb.amazonaws.com',
    slices: [
      { family: 'IPv4', ready: 0 },
      { family: 'IPv6', ready: 2 },
    ],
  });
  cluster.configMap('payments', 'kube-root-ca.crt');
  cluster.secret('payments', 'stripe-api-key', 'Opaque');
  cluster.secret('payments', 'old-stripe-api-key', 'Opaque');
}

function data(cluster: DemoCluster): void {
  cluster.statefulSet('data', 'postgres', [NODE_3], {
    containers: [
      {
        ...container('postgres', 'postgres:16.4', ['1', '4Gi']),
        env: [
          {
            name: 'POSTGRES_PASSWORD',
            valueFrom: { secretKeyRef: { name: 'postgres-credentials' } },
          },
        ],
      },
    ],
    claims: [{ template: 'data', size: '100Gi' }],
    usage: { postgres: ['600m', '3100Mi'] },
  });
  // The replica of a two-node trial kept its claim when the set went back to one.
  cluster.claim('data', 'data-postgres-1', { size: '100Gi', zone: 'us-east-1b', age_days: 150 });
  cluster.claim('data', 'old-reports-archive', { size: '50Gi', zone: 'us-east-1a', age_days: 210 });
  cluster.deployment('data', 'analytics-etl', [NODE_2], {
    containers: [
      {
        ...container('etl', 'acme/analytics-etl:0.9.4', ['2', '6Gi']),
        envFrom: [{ configMapRef: { name: 'etl-settings' } }],
      },
    ],
    usage: { etl: ['150m', '900Mi'] },
  });
  const jobSpec: PodSpec = {
    containers: [container('run', 'acme/db-tools:2.1.0', ['200m', '256Mi'])],
  };
  cluster.job('data', 'db-migrate-2025-q3', jobSpec, { node: NODE_3, finished: { days: 12 } });
  cluster.job('data', 'reindex-search', jobSpec, {
    node: NODE_2,
    finished: { hours: 2 },
    ttl: 86_400,
  });
  cluster.cronJob('data', 'nightly-report', jobSpec);
  cluster.job('data', 'nightly-report-29385120', jobSpec, {
    node: NODE_3,
    finished: { hours: 9 },
    cronJob: 'nightly-report',
  });
  cluster.configMap('data', 'etl-settings');
  cluster.configMap('data', 'kube-root-ca.crt');
  cluster.secret('data', 'postgres-credentials', 'Opaque');
}

function defaultNamespace(cluster: DemoCluster): void {
  const shell: Container = container('shell', 'busybox:1.36');
  cluster.barePod('default', 'debug-shell', NODE_4, {
    containers: [shell],
    volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: {} } }],
    usage: { shell: ['1m', '6Mi'] },
  });
  // The claim Kubernetes made for the pod's ephemeral volume: it lives and dies with the pod.
  cluster.claim('default', 'debug-shell-scratch', {
    size: '10Gi',
    zone: 'us-east-1a',
    age_days: 3,
    ownerPod: 'debug-shell',
  });
  cluster.persistentVolume('ml-datasets-prestaged', {
    size: '500Gi',
    storageClass: 'gp2',
    phase: 'Available',
    zone: 'us-east-1a',
    age_days: 12,
    inTree: true,
  });
  cluster.configMap('default', 'kube-root-ca.crt');
  cluster.secret('default', 'default-token-7x2kq', 'kubernetes.io/service-account-token');
}
