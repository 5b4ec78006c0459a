import type {
  CallOptions,
  CheckResult,
  CheckSpec,
  Outcome,
  ProviderScanner,
  ScanAccount,
} from '../../model';
import { evaluateAzureRules } from '../../rules/azure';
import { CallBudget, classifyAzureError } from './calls';
import { openAzureClients, type AzureTransportOptions } from './clients';
import { collectAzureInventory, countAzureResources } from './collect';
import {
  readAzureConnection,
  type AzureConnection,
  type AzureEndpointDefaults,
} from './connection';

/** Scanner-wide settings: endpoint defaults for accounts that name none, and the transport. */
export interface AzureScannerOptions extends AzureEndpointDefaults, AzureTransportOptions {}

/**
 * The Azure scanner: one check per account (its subscription), which lists the subscription's
 * resources through the Azure SDKs and runs the Azure rules over them. A denied or failing
 * subscription fails its own check only.
 */
export function createAzureScanner(options: AzureScannerOptions = {}): ProviderScanner {
  return {
    provider: 'azure',
    async planChecks(account) {
      const connection = readAzureConnection(account.connection, options);
      if (!connection.ok) return connection;
      return { ok: true, value: [subscriptionCheck(account, connection.value)] };
    },
    async runCheck(account, _check, callOptions) {
      const connection = readAzureConnection(account.connection, options);
      if (!connection.ok) return connection;
      return scanSubscription(account, connection.value, options, callOptions);
    },
  };
}

function subscriptionCheck(account: ScanAccount, connection: AzureConnection): CheckSpec {
  return {
    id: `${account.id}:subscription`,
    account_id: account.id,
    // A subscription spans every region; its resources carry their own locations.
    region: 'global',
    label: `subscription ${connection.subscription_id}`,
  };
}

async function scanSubscription(
  account: ScanAccount,
  connection: AzureConnection,
  transport: AzureTransportOptions,
  options: CallOptions,
): Promise<Outcome<CheckResult>> {
  const budget = new CallBudget(options.signal, options.timeout_ms);
  const opened = openAzureClients(connection, transport, budget.signal);
  if (!opened.ok) {
    budget.dispose();
    return opened;
  }
  const clients = opened.value;
  try {
    const inventory = await collectAzureInventory(clients, connection.subscription_id, budget);
    // Resource Manager lists a subscription whole; a scan limited to regions keeps theirs only.
    const wanted = new Set(account.regions.map((region) => region.toLowerCase()));
    const drafts = evaluateAzureRules(inventory, {
      account_id: account.id,
      policy: options.policy,
      now: options.now,
    }).filter((draft) => !wanted.size || wanted.has(draft.region));
    return {
      ok: true,
      value: {
        resources_scanned: countAzureResources(inventory),
        drafts,
        inventory: {
          subscription_id: connection.subscription_id,
          disks: inventory.disks.length,
          snapshots: inventory.snapshots.length,
          virtual_machines: inventory.virtual_machines.length,
          images: inventory.images.length,
          public_ips: inventory.public_ips.length,
          network_interfaces: inventory.network_interfaces.length,
        },
      },
    };
  } catch (error) {
    // A canceled scan is not a failed check: the runner reads the abort (STYLE.md 7).
    if (budget.canceled) throw new DOMException('The scan was canceled', 'AbortError');
    const context = { secrets: [connection.client_secret], errorBodies: clients.errorBodies };
    return { ok: false, reason: classifyAzureError(error, context) };
  } finally {
    budget.dispose();
  }
}
