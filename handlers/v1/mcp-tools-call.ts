import * as v from 'valibot';
import { CwsError } from '../../core/errors';
import type { Handler } from '../context';
import { json, queryObject, readJsonBody } from '../http';
import { numericArguments, runTool, type McpTool } from '../mcp/tools';
import type { RouteSpec } from '../route-spec';

/** The route of one tool: `POST` tools take a JSON body, `GET` tools a query or the path id. */
export function toolRoute(tool: McpTool): RouteSpec {
  return {
    method: tool.method,
    path: tool.path,
    handler: createToolHandler(tool),
    summary: `MCP tool ${tool.name}`,
    group: 'mcp',
    ...(tool.args.from === 'body' ? { body: tool.input, isBodyOptional: true } : {}),
    ...(tool.args.from === 'query' ? { query: tool.input } : {}),
    response: v.object({ tool: v.literal(tool.name), result: v.unknown() }),
  };
}

/**
 * Runs one tool over REST and answers `{tool, result}`; when the route behind the tool refuses,
 * its status and error body come through unchanged.
 */
export function createToolHandler(tool: McpTool): Handler {
  const numeric = numericArguments(tool);
  return async (request, { params, query, services, requestId }) => {
    const args = await readArguments(tool, request, params, query, numeric);

    const outcome = await runTool(tool, args, services);
    if (!outcome.ok && outcome.error.code === 'request.validation_failed') {
      throw new CwsError('request.validation_failed', outcome.error.message, outcome.error.details);
    }

    if (!outcome.ok) return json({ error: outcome.error, request_id: requestId }, outcome.status);
    return json({ tool: tool.name, result: outcome.result });
  };
}

async function readArguments(
  tool: McpTool,
  request: Request,
  params: Record<string, string>,
  query: URLSearchParams,
  numeric: string[],
): Promise<unknown> {
  switch (tool.args.from) {
    case 'body':
      return (await readJsonBody(request)) ?? {};
    case 'path':
      return { [tool.args.argument]: params.id };
    case 'query': {
      // Page controls of the REST route are not tool arguments.
      const { envelope: _envelope, ...args }: Record<string, unknown> = queryObject(query);
      for (const name of numeric) {
        const text = args[name];
        if (typeof text === 'string' && /^-?\d+(\.\d+)?$/.test(text)) args[name] = Number(text);
      }
      return args;
    }
  }
}
