/**
 * Stateless Streamable HTTP MCP server. No Mcp-Session-Id: every POST gets a fresh McpServer and
 * transport, so any replica can answer any request and the platform may scale it freely.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createHttpServer, readConfig, sendJsonRpcError, serve } from './http.js';
import { createWeatherServer } from './tools.js';

async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Without sessions there is nothing to stream to (GET) or to end (DELETE).
  if (req.method !== 'POST') {
    sendJsonRpcError(res, 405, 'Method not allowed: this server is stateless', { Allow: 'POST' });
    return;
  }
  const server = createWeatherServer();
  // JSON responses instead of SSE: tools answer at once, and plain JSON passes any proxy.
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

const config = readConfig();
serve(createHttpServer(config, handleMcp), config);
