import type { ConnectionCheck, ConnectionTestResult } from '../../accounts/credentials';
import type { FailureReason } from '../../model';
import { CallBudget, classifyAzureError } from './calls';
import { openAzureClients } from './clients';
import { readAzureConnection } from './connection';
import type { AzureScannerOptions } from './scanner';

/** Bounds of a connection test. */
export interface AzureConnectionTestOptions extends AzureScannerOptions {
  timeout_ms: number;
  signal?: AbortSignal;
}

/**
 * Tests a service principal the way a scan would use it, in two steps: get a Resource Manager
 * token, then read one page of the subscription's disks. Never throws for a cloud failure; the
 * failing step carries the message and the result its category.
 */
export async function testAzureConnection(
  connection: Record<string, unknown>,
  options: AzureConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const parsed = readAzureConnection(connection, options);
  if (!parsed.ok) {
    return {
      ok: false,
      checks: [{ name: 'credentials', ok: false, message: parsed.reason.message, duration_ms: 0 }],
      category: parsed.reason.category,
      code: parsed.reason.code,
    };
  }
  const settings = parsed.value;
  const budget = new CallBudget(options.signal ?? new AbortController().signal, options.timeout_ms);
  const checks: ConnectionCheck[] = [];
  const opened = openAzureClients(settings, options, budget.signal);
  if (!opened.ok) {
    budget.dispose();
    const { reason } = opened;
    return {
      ok: false,
      checks: [{ name: 'client', ok: false, message: reason.message, duration_ms: 0 }],
      category: reason.category,
      code: reason.code,
    };
  }
  const clients = opened.value;
  try {
    const scope = `${settings.resource_manager_endpoint}/.default`;
    const steps: [string, string, () => Promise<unknown>][] = [
      [
        'token',
        `token issued by ${settings.authority_host}`,
        () => clients.credential.getToken(scope, { abortSignal: budget.signal }),
      ],
      [
        'resource_manager',
        `subscription ${settings.subscription_id} readable`,
        () => clients.compute.disks.list({ abortSignal: budget.signal }).byPage().next(),
      ],
    ];
    for (const [name, success, work] of steps) {
      const started = performance.now();
      try {
        await budget.run(name, work);
        checks.push({ name, ok: true, message: success, duration_ms: elapsed(started) });
      } catch (error) {
        if (budget.canceled) throw new DOMException('The test was canceled', 'AbortError');
        const reason: FailureReason = classifyAzureError(error, {
          secrets: [settings.client_secret],
          errorBodies: clients.errorBodies,
        });
        checks.push({
          name,
          ok: false,
          message: `${reason.code}: ${reason.message}`,
          duration_ms: elapsed(started),
        });
        return { ok: false, checks, category: reason.category, code: reason.code };
      }
    }
    return { ok: true, checks };
  } finally {
    budget.dispose();
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
