import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { PROVIDERS } from '../../core/model';
import { PAGE_LIMIT_MAX } from '../../core/pagination';
import type { Services } from '../context';
import { validationError } from '../http';
import { boundedInteger } from '../schemas';
import { ScanCreateBody } from '../v1/scans-create';
import { GeneralSettingsPatch } from '../v1/settings-general-update';

/** Where a REST tool route finds the tool's arguments. */
type ArgumentSource =
  | { from: 'body' }
  | { from: 'query' }
  /** The path parameter `:id` becomes this argument. */
  | { from: 'path'; argument: string };

/**
 * One tool, served the same way over REST (`/v1/mcp/tools/…`) and over the Model Context
 * Protocol. Each tool calls a REST route in-process, so validation and answers are that route's.
 */
export interface McpTool {
  name: string;
  description: string;
  /** The arguments (an object schema): validated here, published as JSON Schema. */
  input: v.GenericSchema;
  /** The REST tool route. */
  method: 'GET' | 'POST';
  path: string;
  args: ArgumentSource;
  /** Calls the route that does the work and shapes its JSON into the tool's result. */
  call(args: any, services: Services): Promise<CallOutcome>;
}

/** The `error` member of an error body. */
export interface ToolError {
  code: string;
  message: string;
  details?: Array<{ path: string; message: string }>;
}

/** A tool's answer: its result, or the error and status of the route it called. */
export type CallOutcome =
  { ok: true; result: unknown } | { ok: false; status: number; error: ToolError };

const Id = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));
const Limit = v.pipe(boundedInteger(1, PAGE_LIMIT_MAX), v.description('Page size, default 50.'));
const Cursor = v.pipe(
  v.string('must be a string'),
  v.description('page.next_cursor of the previous page.'),
);
const WindowDays = v.pipe(
  boundedInteger(1, 365),
  v.description('Days of scans to consider, default 30.'),
);

/** The tools, in the order capabilities and tools/list show them. */
export const MCP_TOOLS: McpTool[] = [
  {
    name: 'run_scan',
    description:
      'Start a waste scan. No arguments scans every account; selected_accounts picks ids from GET /v1/accounts; demo_mode scans the built-in demo cloud. Returns the scan_id to poll with get_scan.',
    input: ScanCreateBody,
    method: 'POST',
    path: '/v1/mcp/tools/run-scan',
    args: { from: 'body' },
    async call(args, services) {
      const outcome = await dispatchJson(services, 'POST', '/v1/scans', args);
      if (!outcome.ok) return outcome;
      const { scan_id, status, message } = outcome.result as Record<string, unknown>;
      return { ok: true, result: { scan_id, status, message } };
    },
  },
  {
    name: 'get_scan',
    description:
      'One scan: status (queued, running, completed, failed, canceled), accounts, resources found, estimated monthly savings and carbon.',
    input: v.strictObject({ scan_id: Id }, 'is not an argument of get_scan'),
    method: 'GET',
    path: '/v1/mcp/tools/get-scan/:id',
    args: { from: 'path', argument: 'scan_id' },
    call: (args, services) =>
      dispatchJson(services, 'GET', `/v1/scans/${encodeURIComponent(args.scan_id)}`),
  },
  {
    name: 'get_settings',
    description:
      'The settings: general (currency, per-call timeout, notification mode), scan-policy thresholds and the monthly scan quota.',
    input: v.strictObject({}, 'get_settings takes no arguments'),
    method: 'GET',
    path: '/v1/mcp/tools/get-settings',
    args: { from: 'query' },
    async call(_args, services) {
      const result: Record<string, unknown> = {};
      for (const [key, path] of [
        ['general', '/v1/settings/general'],
        ['scan_policy', '/v1/settings/scan-policy'],
        ['quota', '/v1/settings/quota'],
      ] as const) {
        const outcome = await dispatchJson(services, 'GET', path);
        if (!outcome.ok) return outcome;
        result[key] = outcome.result;
      }
      return { ok: true, result };
    },
  },
  {
    name: 'update_general_settings',
    description:
      'Change general settings: currency (ISO 4217), api_timeout_seconds (1-600), notification_trigger_mode (scan_complete or waste_only). Returns the whole document.',
    input: GeneralSettingsPatch,
    method: 'POST',
    path: '/v1/mcp/tools/update-general-settings',
    args: { from: 'body' },
    call: (args, services) => dispatchJson(services, 'PATCH', '/v1/settings/general', args),
  },
  {
    name: 'list_findings',
    description:
      'Findings of the latest completed scan (or scan_id), costliest first, one page at a time: {items, page}. Filters: provider, account_id, resource_type, rule, min_monthly_cost (USD).',
    input: v.strictObject(
      {
        scan_id: v.optional(Id),
        provider: v.optional(v.picklist(PROVIDERS, `must be one of ${PROVIDERS.join(', ')}`)),
        account_id: v.optional(Id),
        resource_type: v.optional(Id),
        rule: v.optional(Id),
        min_monthly_cost: v.optional(
          v.pipe(v.number('must be a number'), v.minValue(0, 'must not be negative')),
        ),
        limit: v.optional(Limit),
        cursor: v.optional(Cursor),
      },
      'is not an argument of list_findings',
    ),
    method: 'GET',
    path: '/v1/mcp/tools/list-findings',
    args: { from: 'query' },
    call: (args, services) => dispatchJson(services, 'GET', withQuery('/v1/findings', args)),
  },
  {
    name: 'list_reports',
    description:
      'Generated reports (PDF, CSV, JSON, HTML), newest first, one page at a time: {items, page}.',
    input: v.strictObject(
      {
        scan_id: v.optional(Id),
        format: v.optional(v.picklist(['pdf', 'csv', 'json', 'html'])),
        limit: v.optional(Limit),
        cursor: v.optional(Cursor),
      },
      'is not an argument of list_reports',
    ),
    method: 'GET',
    path: '/v1/mcp/tools/list-reports',
    args: { from: 'query' },
    call: (args, services) => dispatchJson(services, 'GET', withQuery('/v1/reports', args)),
  },
  {
    name: 'get_report',
    description:
      "One report's metadata: format, size, the scan it covers; download it from GET /v1/reports/{id}/download.",
    input: v.strictObject({ report_id: Id }, 'is not an argument of get_report'),
    method: 'GET',
    path: '/v1/mcp/tools/get-report/:id',
    args: { from: 'path', argument: 'report_id' },
    call: (args, services) =>
      dispatchJson(services, 'GET', `/v1/reports/${encodeURIComponent(args.report_id)}`),
  },
  {
    name: 'get_k8s_governance',
    description:
      'Kubernetes governance report: totals, categories, top offenders by namespace and workload, cluster summary and prioritised actions.',
    input: v.strictObject(
      { window_days: v.optional(WindowDays) },
      'is not an argument of get_k8s_governance',
    ),
    method: 'GET',
    path: '/v1/mcp/tools/get-k8s-governance',
    args: { from: 'query' },
    call: (args, services) =>
      dispatchJson(services, 'GET', withQuery('/v1/reports/k8s-governance', args, false)),
  },
  {
    name: 'get_k8s_action_plan',
    description:
      'The prioritised Kubernetes clean-up actions, each with the kubectl commands that carry it out (nothing is run).',
    input: v.strictObject(
      { window_days: v.optional(WindowDays) },
      'is not an argument of get_k8s_action_plan',
    ),
    method: 'GET',
    path: '/v1/mcp/tools/get-k8s-action-plan',
    args: { from: 'query' },
    call: (args, services) =>
      dispatchJson(services, 'GET', withQuery('/v1/reports/k8s-action-plan', args, false)),
  },
];

/** The tool of that name, if any. */
export function findTool(name: string): McpTool | undefined {
  return MCP_TOOLS.find((tool) => tool.name === name);
}

/** Validates the arguments, then runs the tool; invalid arguments are request.validation_failed. */
export async function runTool(
  tool: McpTool,
  args: unknown,
  services: Services,
): Promise<CallOutcome> {
  const parsed = v.safeParse(tool.input, args ?? {});
  if (!parsed.success) {
    const error = validationError(parsed.issues);
    return {
      ok: false,
      status: error.status,
      error: { code: error.code, message: error.message, details: error.details },
    };
  }
  return tool.call(parsed.output, services);
}

/** The tool's arguments as JSON Schema (an object schema, as MCP's inputSchema must be). */
export function toolInputSchema(tool: McpTool): { type: 'object'; [key: string]: unknown } {
  const { $schema: _dialect, ...schema } = toJsonSchema(tool.input, {
    errorMode: 'ignore',
    typeMode: 'input',
  }) as Record<string, unknown>;
  return { ...schema, type: 'object' };
}

/** The names of the tool's number arguments, which arrive as text in a query string. */
export function numericArguments(tool: McpTool): string[] {
  const properties = (toolInputSchema(tool).properties ?? {}) as Record<string, { type?: string }>;
  return Object.entries(properties)
    .filter(([, property]) => property.type === 'number' || property.type === 'integer')
    .map(([name]) => name);
}

async function dispatchJson(
  services: Services,
  method: string,
  path: string,
  body?: unknown,
): Promise<CallOutcome> {
  const response = await services.dispatch(method, path, body);
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : null;
  if (response.ok) return { ok: true, result: parsed };
  const error = (parsed as { error?: ToolError } | null)?.error;
  return {
    ok: false,
    status: response.status,
    error: error ?? { code: 'internal.error', message: 'unexpected answer' },
  };
}

/** The path with the arguments as a query string; list routes are asked for their envelope. */
function withQuery(path: string, args: Record<string, unknown>, isList = true): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    if (value !== undefined) query.set(key, String(value));
  }
  if (isList) query.set('envelope', 'true');
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
