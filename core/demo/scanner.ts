import type {
  CallOptions,
  CheckResult,
  CheckSpec,
  Outcome,
  Provider,
  ProviderScanner,
  ScanAccount,
} from '../model';
import { countAlibabaResources } from '../providers/alibaba/collect';
import { countAzureResources } from '../providers/azure/collect';
import { summarizeInventory } from '../providers/kubernetes/inventory';
import { SNAPSHOT_KINDS, type KubernetesSnapshot } from '../providers/kubernetes/snapshot';
import { evaluateAlibabaRules, type AlibabaInventory } from '../rules/alibaba';
import { evaluateAwsRules } from '../rules/aws';
import { countAwsResources } from '../rules/aws/inventory';
import { evaluateAzureRules, type AzureInventory } from '../rules/azure';
import { evaluateKubernetesRules } from '../rules/kubernetes';
import { DEMO_ALIBABA_REGIONS, demoAlibabaInventory } from './inventory/alibaba';
import { DEMO_AWS_REGIONS, demoAwsInventory } from './inventory/aws';
import { DEMO_AZURE_SUBSCRIPTION, demoAzureInventory } from './inventory/azure';
import {
  DEMO_KUBE_CONTEXT,
  DEMO_KUBE_SERVER_VERSION,
  demoKubernetesSnapshot,
} from './inventory/kubernetes';

/**
 * Scanners for the embedded demo cloud, one per provider. They plan checks the way the real
 * scanners do (a check per region, per subscription, per cluster) and feed the embedded
 * inventory, dated from the scan's `now`, through the same rules; pricing and carbon then follow
 * exactly as for a real scan. No network is ever touched.
 */
export function createDemoScanners(): Record<Provider, ProviderScanner> {
  return {
    aws: {
      provider: 'aws',
      async planChecks(account) {
        return planned(regionChecks(account, DEMO_AWS_REGIONS));
      },
      async runCheck(account, check, options) {
        abortIfCanceled(options);
        const inventory = demoAwsInventory(options.now)[check.region];
        if (!inventory) return unknownRegion(check);
        const drafts = evaluateAwsRules(inventory, {
          account_id: account.id,
          region: check.region,
          policy: options.policy,
          now: options.now,
        });
        return scanned(countAwsResources(inventory), drafts, countLists(inventory));
      },
    },
    azure: {
      provider: 'azure',
      async planChecks(account) {
        return planned([
          {
            id: `${account.id}:subscription`,
            account_id: account.id,
            region: 'global',
            label: `subscription ${DEMO_AZURE_SUBSCRIPTION}`,
          },
        ]);
      },
      async runCheck(account, _check, options) {
        abortIfCanceled(options);
        const inventory = demoAzureInventory(options.now);
        // As for a real subscription: a scan limited to regions keeps the findings there only.
        const wanted = new Set(account.regions.map((region) => region.toLowerCase()));
        const drafts = evaluateAzureRules(inventory, {
          account_id: account.id,
          policy: options.policy,
          now: options.now,
        }).filter((draft) => !wanted.size || wanted.has(draft.region));
        const { subscription_id, ...lists } = inventory;
        return scanned(countAzureResources(inventory), drafts, {
          subscription_id,
          ...countLists(lists),
        });
      },
    },
    alibaba: {
      provider: 'alibaba',
      async planChecks(account) {
        return planned(regionChecks(account, DEMO_ALIBABA_REGIONS));
      },
      async runCheck(account, check, options) {
        abortIfCanceled(options);
        const inventory = demoAlibabaInventory(options.now)[check.region];
        if (!inventory) return unknownRegion(check);
        const drafts = evaluateAlibabaRules(inventory, {
          account_id: account.id,
          policy: options.policy,
          now: options.now,
        });
        const { region, ...lists } = inventory;
        return scanned(countAlibabaResources(inventory), drafts, { region, ...countLists(lists) });
      },
    },
    kubernetes: {
      provider: 'kubernetes',
      async planChecks(account) {
        return planned([
          {
            id: `${account.id}:cluster`,
            account_id: account.id,
            region: 'cluster',
            label: `Kubernetes context ${DEMO_KUBE_CONTEXT}`,
          },
        ]);
      },
      async runCheck(account, _check, options) {
        abortIfCanceled(options);
        const snapshot = demoKubernetesSnapshot(options.now);
        const evaluation = evaluateKubernetesRules(snapshot, {
          account_id: account.id,
          context: DEMO_KUBE_CONTEXT,
          now: options.now,
          policy: options.policy,
        });
        return {
          ok: true,
          value: {
            resources_scanned: countKubernetes(snapshot),
            drafts: evaluation.drafts,
            // The same summary the real scanner keeps: GET /v1/k8s/inventory and the
            // governance report read it.
            inventory: summarizeInventory(snapshot, {
              context: DEMO_KUBE_CONTEXT,
              server_version: DEMO_KUBE_SERVER_VERSION,
            }),
            warnings: evaluation.warnings,
          },
        };
      },
    },
  };
}

/** One check per demo region, limited to the account's regions when it names some. */
function regionChecks(account: ScanAccount, available: readonly string[]): CheckSpec[] {
  const wanted = new Set(account.regions);
  return available
    .filter((region) => wanted.size === 0 || wanted.has(region))
    .map((region) => ({
      id: `${account.id}:${region}`,
      account_id: account.id,
      region,
      label: `${account.name} ${region}`,
    }));
}

function planned(checks: CheckSpec[]): Outcome<CheckSpec[]> {
  return { ok: true, value: checks };
}

function scanned(
  resources: number,
  drafts: CheckResult['drafts'],
  inventory: Record<string, unknown>,
): Outcome<CheckResult> {
  return { ok: true, value: { resources_scanned: resources, drafts, inventory } };
}

function unknownRegion(check: CheckSpec): Outcome<CheckResult> {
  return {
    ok: false,
    reason: {
      code: 'demo.unknown_region',
      message: `the demo cloud has no region ${check.region}`,
      category: 'not_found',
    },
  };
}

/** A canceled scan stops here, as a real one stops at its next cloud call. */
function abortIfCanceled(options: CallOptions): void {
  if (options.signal.aborted) throw new DOMException('The scan was canceled', 'AbortError');
}

function countLists(lists: object): Record<string, number> {
  return Object.fromEntries(
    Object.entries(lists).map(([kind, items]) => [kind, (items as unknown[]).length]),
  );
}

/** Metrics are readings about objects already counted, not resources of their own. */
function countKubernetes(snapshot: KubernetesSnapshot): number {
  return SNAPSHOT_KINDS.filter((kind) => kind !== 'node_metrics' && kind !== 'pod_metrics').reduce(
    (total, kind) => total + snapshot[kind].length,
    0,
  );
}
