import * as v from 'valibot';
import type { Handler } from '../context';
import { BODY_LIMIT_BYTES } from '../http';

/** A JSON-RPC 2.0 message or batch, as the Model Context Protocol defines them. */
export const JsonRpcMessage = v.union([
  v.record(v.string(), v.unknown()),
  v.array(v.record(v.string(), v.unknown())),
]);

/** The refusal of GET and DELETE: a JSON-RPC error without an id. */
export const McpRefusal = v.object({
  jsonrpc: v.literal('2.0'),
  error: v.object({ code: v.number(), message: v.string() }),
  id: v.null(),
});

/**
 * POST /mcp: the Model Context Protocol over streamable HTTP, stateless: each request gets its own
 * server and transport, answers with JSON, and needs the bearer token like every route. No
 * session is kept, so any client (and any number of them) can call at any time.
 */
export const serveMcp: Handler = async (request, { services }) => {
  // Loaded on first use: the protocol SDK is not needed to start the server.
  const [{ WebStandardStreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    import('../mcp/server'),
  ]);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    maxRequestBodySize: BODY_LIMIT_BYTES,
  });
  const server = createMcpServer(services);
  await server.connect(transport);

  const response = await transport.handleRequest(request);

  void server.close();
  return response;
};

/**
 * GET and DELETE /mcp: a stateless server has no stream to open and no session to end, which the
 * transport specification answers with 405.
 */
export const refuseMcpStream: Handler = () => {
  return new Response(
    JSON.stringify({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed: this server is stateless; use POST.' },
      id: null,
    }),
    { status: 405, headers: { allow: 'POST', 'content-type': 'application/json' } },
  );
};
