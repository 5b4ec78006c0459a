import { describe, expect, it } from 'bun:test';
import {
  ACTION_TYPES,
  DEFAULT_SCAN_POLICY,
  type CallOptions,
  type CheckResult,
  type CheckSpec,
  type FindingDraft,
  type Outcome,
  type Provider,
  type ProviderScanner,
  type ScanAccount,
} from '../../core/model';

/** The situations every collector is put through, each against its local fake. */
export const COLLECTOR_SCENARIOS = [
  'inventory',
  'paged',
  'throttled',
  'slow',
  'denied',
  'empty',
] as const;

/**
 * - `inventory`: the provider's fixture with findings, served without paging.
 * - `paged`: the same fixture, every list served a few items per page.
 * - `throttled`: the same fixture, the first calls of some lists refused as throttled.
 * - `slow`: a list answers later than the per-call timeout in every check (in a cluster, every
 *   list: one slow kind alone is a warning on a check that succeeds).
 * - `denied`: some checks (a region, a subscription, a cluster's kinds) refused with the cloud's
 *   own authorization error.
 * - `empty`: an account with nothing in it.
 */
export type CollectorScenario = (typeof COLLECTOR_SCENARIOS)[number];

/** A real scanner pointed at a fake that was started for one scenario. */
export interface StartedCollector {
  scanner: ProviderScanner;
  account: ScanAccount;
  /** Requests the fake has received so far. */
  requests(): number;
  /** Requests the fake has received for a page after the first of some list. */
  continuationPages(): number;
  /** Answers the fake gave that told the client to slow down and try again. */
  throttledAnswers(): number;
  /** Secrets minted for this start (a fake's bearer token), checked like the harness's own. */
  secrets?: string[];
  /** Stops the fake and removes whatever the start wrote (profile files, kubeconfigs). */
  close(): Promise<void>;
}

/** What one provider brings to the contract. */
export interface CollectorHarness {
  provider: Provider;
  /** Every rule id of the provider starts with it (`aws.`, `k8s.`). */
  rulePrefix: string;
  /** The clock the fixtures were written for. */
  now: Date;
  /** Credential and secret-data strings of the fixtures: none may appear in any outcome. */
  secrets: string[];
  /** The per-call timeout of the `slow` scenario and the lateness allowed beyond it. */
  slow: { timeoutMs: number; slackMs: number };
  /** The code the cloud refuses `denied` checks with, and which planned checks it refuses. */
  denied: { code: string; refuses(check: CheckSpec): boolean };
  /** Scenarios the provider cannot be put through, each with the reason. */
  unsupported?: Partial<Record<CollectorScenario, string>>;
  start(scenario: CollectorScenario): Promise<StartedCollector>;
}

/** The reference scan: the `inventory` scenario, unpaged and unthrottled. */
interface ReferenceScan {
  checks: CheckSpec[];
  outcomes: Array<Outcome<CheckResult>>;
  account: ScanAccount;
  secrets?: string[];
  continuationPages: number;
}

const CALL_TIMEOUT_MS = 10_000;
const TEST_TIMEOUT_MS = 30_000;
/** How long after an abort a scanner may take to give up its work. */
const ABORT_SLACK_MS = 1_500;
/** When the `slow` checks are aborted, relative to their start. */
const ABORT_AFTER_MS = 150;
const USAGE_KINDS = ['storage', 'snapshot', 'compute', 'hourly'];
const AUTHORIZATION_CATEGORIES = ['permission', 'auth'];

/**
 * The collector contract: the same behaviours asserted of every provider's scanner, driven
 * through its real SDK (or kubectl) against a local fake that the harness starts per test.
 */
export function describeCollectorContract(name: string, harness: CollectorHarness): void {
  const options = (overrides: Partial<CallOptions> = {}): CallOptions => ({
    signal: new AbortController().signal,
    timeout_ms: CALL_TIMEOUT_MS,
    policy: DEFAULT_SCAN_POLICY,
    now: harness.now,
    ...overrides,
  });

  /** Runs a scenario's collector and always stops its fake. */
  const withCollector = async <T>(
    scenario: CollectorScenario,
    work: (started: StartedCollector) => Promise<T>,
  ): Promise<T> => {
    const started = await harness.start(scenario);
    try {
      return await work(started);
    } finally {
      await started.close();
    }
  };

  /** Plans the account's checks and runs every one of them, in plan order. */
  const scanAll = async (started: StartedCollector, call = options()) => {
    const checks = valueOf(await started.scanner.planChecks(started.account, call));
    const outcomes: Array<Outcome<CheckResult>> = [];
    for (const check of checks) {
      outcomes.push(await started.scanner.runCheck(started.account, check, call));
    }
    return { checks, outcomes };
  };

  const drafts = (outcomes: Array<Outcome<CheckResult>>) =>
    outcomes.flatMap((outcome) => valueOf(outcome).drafts);

  const expectNoSecrets = (started: Pick<StartedCollector, 'secrets'>, value: unknown) => {
    const text = JSON.stringify(value);
    for (const secret of [...harness.secrets, ...(started.secrets ?? [])]) {
      expect(text).not.toContain(secret);
    }
  };

  // The unpaged, unthrottled scan is the reference the paged and throttled scans must match; it
  // is taken once per provider (whichever test needs it first), its fake stopped straight after.
  let reference: Promise<ReferenceScan> | undefined;
  const referenceScan = () =>
    (reference ??= withCollector('inventory', async (started) => ({
      ...(await scanAll(started)),
      account: started.account,
      secrets: started.secrets,
      continuationPages: started.continuationPages(),
    })));

  const scenarioIt = (
    scenario: CollectorScenario,
    behaviour: string,
    test: () => Promise<void>,
  ) => {
    const reason = harness.unsupported?.[scenario];
    if (reason) it.skip(`${behaviour} (unsupported by ${name}: ${reason})`, () => {});
    else it(behaviour, test, TEST_TIMEOUT_MS);
  };

  describe(`${name} collector contract`, () => {
    scenarioIt('inventory', 'finds complete drafts in the fixture through every check', () =>
      referenceScan().then((scan) => {
        expect(scan.checks.length).toBeGreaterThan(0);
        for (const check of scan.checks) expect(check.account_id).toBe(scan.account.id);
        const found = drafts(scan.outcomes);
        expect(found.length).toBeGreaterThan(0);
        expect(resourcesScanned(scan.outcomes)).toBeGreaterThan(0);
        for (const draft of found) expectCompleteDraft(draft, harness, scan.account);
        expectNoSecrets(scan, { checks: scan.checks, outcomes: scan.outcomes });
      }),
    );

    scenarioIt('paged', 'follows every page and finds what the unpaged fixture gives', () =>
      withCollector('paged', async (started) => {
        const unpaged = await referenceScan();
        expect(unpaged.continuationPages).toBe(0);
        const paged = await scanAll(started);
        expect(started.continuationPages()).toBeGreaterThan(0);
        expect(draftKeys(drafts(paged.outcomes))).toEqual(draftKeys(drafts(unpaged.outcomes)));
        expect(resourcesScanned(paged.outcomes)).toBe(resourcesScanned(unpaged.outcomes));
        expectNoSecrets(started, paged);
      }),
    );

    scenarioIt('throttled', 'backs off when throttled and still finds everything', () =>
      withCollector('throttled', async (started) => {
        const calm = await referenceScan();
        const throttled = await scanAll(started);
        expect(started.throttledAnswers()).toBeGreaterThan(0);
        expect(draftKeys(drafts(throttled.outcomes))).toEqual(draftKeys(drafts(calm.outcomes)));
        expect(resourcesScanned(throttled.outcomes)).toBe(resourcesScanned(calm.outcomes));
        expectNoSecrets(started, throttled);
      }),
    );

    scenarioIt('slow', 'fails a check whose call outlives the per-call timeout, in time', () =>
      withCollector('slow', async (started) => {
        const call = options({ timeout_ms: harness.slow.timeoutMs });
        const checks = valueOf(await started.scanner.planChecks(started.account, call));
        expect(checks.length).toBeGreaterThan(0);
        for (const check of checks) {
          const begun = performance.now();
          const outcome = await started.scanner.runCheck(started.account, check, call);
          const elapsed = performance.now() - begun;
          expect(outcome.ok).toBe(false);
          if (!outcome.ok) expect(outcome.reason.category).toBe('timeout');
          expect(elapsed).toBeLessThan(harness.slow.timeoutMs + harness.slow.slackMs);
          expectNoSecrets(started, outcome);
        }
      }),
    );

    scenarioIt('slow', 'throws an AbortError promptly when the scan is aborted mid-call', () =>
      withCollector('slow', async (started) => {
        const checks = valueOf(await started.scanner.planChecks(started.account, options()));
        const controller = new AbortController();
        const begun = performance.now();
        const running = started.scanner.runCheck(
          started.account,
          checks[0] as CheckSpec,
          options({ signal: controller.signal }),
        );
        setTimeout(() => controller.abort(), ABORT_AFTER_MS);
        const error = await settledError(running);
        expect(error?.name).toBe('AbortError');
        expectNoSecrets(started, error?.message);
        expect(performance.now() - begun).toBeLessThan(ABORT_AFTER_MS + ABORT_SLACK_MS);
      }),
    );

    scenarioIt('inventory', 'does no work for a scan that is already aborted', () =>
      withCollector('inventory', async (started) => {
        const checks = valueOf(await started.scanner.planChecks(started.account, options()));
        const controller = new AbortController();
        controller.abort();
        const aborted = options({ signal: controller.signal });
        const before = started.requests();

        const runError = await settledError(
          started.scanner.runCheck(started.account, checks[0] as CheckSpec, aborted),
        );
        expect(runError?.name).toBe('AbortError');

        // Planning may be pure (one check per subscription or cluster): then it may answer, but
        // it must not reach the cloud. Planning that calls the cloud must throw instead.
        const planError = await settledError(started.scanner.planChecks(started.account, aborted));
        if (planError) expect(planError.name).toBe('AbortError');
        expect(started.requests()).toBe(before);
      }),
    );

    scenarioIt('denied', 'fails a refused check with the cloud code and keeps the rest', () =>
      withCollector('denied', async (started) => {
        const { checks, outcomes } = await scanAll(started);
        const refused = checks.filter((check) => harness.denied.refuses(check));
        expect(refused.length).toBeGreaterThan(0);
        checks.forEach((check, index) => {
          const outcome = outcomes[index] as Outcome<CheckResult>;
          if (!harness.denied.refuses(check)) {
            expect(outcome.ok).toBe(true);
            return;
          }
          expect(outcome.ok).toBe(false);
          if (outcome.ok) return;
          expect(outcome.reason.code).toBe(harness.denied.code);
          expect(AUTHORIZATION_CATEGORIES).toContain(outcome.reason.category);
          expect(outcome.reason.message.length).toBeGreaterThan(0);
        });
        expectNoSecrets(started, { checks, outcomes });
      }),
    );

    scenarioIt('empty', 'scans an empty account to nothing without failing', () =>
      withCollector('empty', async (started) => {
        const { checks, outcomes } = await scanAll(started);
        expect(checks.length).toBeGreaterThan(0);
        for (const outcome of outcomes) {
          const result = valueOf(outcome);
          expect(result.drafts).toEqual([]);
          expect(result.resources_scanned).toBe(0);
        }
        expectNoSecrets(started, { checks, outcomes });
      }),
    );
  });
}

function expectCompleteDraft(
  draft: FindingDraft,
  harness: CollectorHarness,
  account: ScanAccount,
): void {
  const label = `${draft.rule_id} ${draft.resource_id}`;
  expect(draft.rule_id.startsWith(harness.rulePrefix), label).toBe(true);
  expect(draft.provider, label).toBe(harness.provider);
  expect(draft.account_id, label).toBe(account.id);
  expect(draft.resource_id.length, label).toBeGreaterThan(0);
  expect(draft.fingerprint.length, label).toBeGreaterThan(0);
  expect(typeof draft.evidence, label).toBe('object');
  expect(Object.keys(draft.evidence).length, label).toBeGreaterThan(0);
  expect(ACTION_TYPES, label).toContain(draft.action_type);
  expect(Array.isArray(draft.usage), label).toBe(true);
  for (const usage of draft.usage) expect(USAGE_KINDS, label).toContain(usage.kind);
}

function valueOf<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) {
    throw new Error(`expected ok, got ${outcome.reason.code}: ${outcome.reason.message}`);
  }
  return outcome.value;
}

/** The error a promise rejects with, or undefined when it resolves. */
async function settledError(promise: Promise<unknown>): Promise<Error | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** Findings compared as sets: rule and resource, sorted. */
function draftKeys(drafts: FindingDraft[]): string[] {
  return drafts.map((draft) => `${draft.rule_id} ${draft.resource_id}`).sort();
}

function resourcesScanned(outcomes: Array<Outcome<CheckResult>>): number {
  return outcomes.reduce((sum, outcome) => sum + valueOf(outcome).resources_scanned, 0);
}
