import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { Services } from '../context';
import { findTool, MCP_TOOLS, runTool, toolInputSchema } from './tools';

const INSTRUCTIONS =
  'CWS finds and prices idle cloud resources. Start with run_scan (demo_mode: true needs no cloud account), poll get_scan until status is completed, failed or canceled, then list_findings. Nothing here changes cloud resources.';

/**
 * A Model Context Protocol server offering the MCP tools. Every call goes through the same
 * table as the REST tool routes; a refusal of the route behind a tool is a tool error
 * (`isError`) carrying the API's error code and message, so an agent can read and correct it.
 */
export function createMcpServer(services: Services): Server {
  const server = new Server(
    { name: 'cws', version: services.app.version },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  const tools = MCP_TOOLS.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: toolInputSchema(tool),
  }));

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = findTool(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `unknown tool ${request.params.name}`);
    const outcome = await runTool(tool, request.params.arguments ?? {}, services);
    if (!outcome.ok) {
      return { isError: true, content: [{ type: 'text', text: JSON.stringify(outcome.error) }] };
    }
    const result = outcome.result;
    const isRecord = typeof result === 'object' && result !== null && !Array.isArray(result);
    return {
      content: [{ type: 'text', text: JSON.stringify(result) }],
      ...(isRecord ? { structuredContent: result as Record<string, unknown> } : {}),
    };
  });

  return server;
}
