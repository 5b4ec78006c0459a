import * as v from 'valibot';
import type { Handler } from '../context';
import { json } from '../http';
import { MCP_TOOLS, toolInputSchema } from '../mcp/tools';

/** The tools with their JSON input schemas, and where the protocol is served. */
export const McpCapabilitiesResponse = v.object({
  server: v.object({ name: v.string(), version: v.string() }),
  protocol: v.object({
    endpoint: v.string(),
    transport: v.string(),
    stdio_command: v.string(),
  }),
  tools: v.array(
    v.object({
      name: v.string(),
      description: v.string(),
      input_schema: v.record(v.string(), v.unknown()),
      method: v.string(),
      path: v.string(),
    }),
  ),
});

/** Lists the MCP tools: name, description, JSON input schema and REST route. */
export const getMcpCapabilities: Handler = (_request, { services }) => {
  return json({
    server: { name: 'cws', version: services.app.version },
    protocol: {
      endpoint: '/mcp',
      transport: 'streamable-http (stateless, JSON responses, bearer token)',
      stdio_command: 'cws mcp',
    },
    tools: MCP_TOOLS.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: toolInputSchema(tool),
      method: tool.method,
      path: tool.path.replace(/:id$/, '{id}'),
    })),
  });
};
