import * as v from 'valibot';
import { describeK8sSource, loadK8sSource } from '../../core/reports/k8s-source';
import type { Handler } from '../context';
import { json } from '../http';
import { AnyObject } from '../schemas';

const KindSummarySchema = v.object({
  count: v.number(),
  names: v.array(v.string()),
  truncated: v.boolean(),
});

/** Counts and names per kind of one cluster. */
export const K8sKindsSchema = v.object({
  nodes: KindSummarySchema,
  pods: KindSummarySchema,
  workloads: KindSummarySchema,
  services: KindSummarySchema,
  persistentvolumes: KindSummarySchema,
  persistentvolumeclaims: KindSummarySchema,
});

/** One scanned cluster's inventory. */
export const K8sClusterInventorySchema = v.object({
  account_id: v.string(),
  context: v.string(),
  server_version: v.nullable(v.string()),
  region: v.string(),
  cloud: v.nullable(v.string()),
  metrics_available: v.boolean(),
  kinds: K8sKindsSchema,
  counts: v.record(v.string(), v.number()),
  availability: v.record(v.string(), v.string()),
  namespaces: v.record(v.string(), AnyObject),
  capacity: AnyObject,
});

/** GET /v1/k8s/inventory. */
export const K8sInventoryResponse = v.object({
  scan_id: v.nullable(v.string()),
  scan_finished_at: v.nullable(v.string()),
  pending_scan_id: v.nullable(v.string()),
  message: v.nullable(v.string()),
  totals: v.object({
    nodes: v.number(),
    pods: v.number(),
    workloads: v.number(),
    services: v.number(),
    persistentvolumes: v.number(),
    persistentvolumeclaims: v.number(),
  }),
  clusters: v.array(K8sClusterInventorySchema),
});

type Kind = keyof v.InferOutput<typeof K8sKindsSchema>;
const KINDS = Object.keys(K8sKindsSchema.entries) as Kind[];

/**
 * Counts and lists per kind (nodes, pods, workloads, services, PVs, PVCs) from the latest
 * completed scan that included a cluster; with none yet, empty lists and a message saying so.
 */
export const getK8sInventory: Handler = (_request, { services }) => {
  const repositories = { scans: services.scanRecords, findings: services.findings };

  const source = loadK8sSource(repositories, { now: services.clock(), withFindings: false });

  const clusters = source.clusters.map(({ account_id, inventory }) => ({
    account_id,
    ...inventory,
  }));
  const totals = Object.fromEntries(
    KINDS.map((kind) => [kind, clusters.reduce((sum, c) => sum + c.kinds[kind].count, 0)]),
  );
  return json({
    ...describeK8sSource(source),
    totals,
    clusters,
  });
};
