/**
 * Stateful Streamable HTTP MCP server. `initialize` creates a session (Mcp-Session-Id) with its
 * own transport and McpServer; later POSTs, the GET SSE stream and DELETE carry that id.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createHttpServer, isStopping, log, readConfig, sendJsonRpcError, serve } from './http.js';
import { createNotesServer } from './tools.js';

/** Open sessions of this process. In memory: a session only works on the replica that made it. */
const sessions = new Map<string, StreamableHTTPServerTransport>();

async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const sessionId = req.headers['mcp-session-id'];
  if (typeof sessionId === 'string') {
    const transport = sessions.get(sessionId);
    // 404 tells the client that the session is gone and that it should initialize again.
    if (!transport) return sendJsonRpcError(res, 404, 'Session not found');
    return transport.handleRequest(req, res);
  }
  if (req.method !== 'POST') return sendJsonRpcError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
  // A session opened now would die with this process in a moment: let the client go elsewhere.
  if (isStopping()) return sendJsonRpcError(res, 503, 'Server is shutting down', { 'Retry-After': '1' });

  // No session yet: only `initialize` is valid, and the transport itself rejects anything else.
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
      log('info', 'session opened', { sessions: sessions.size });
    },
  });
  // Set before connect(): the SDK chains its own onclose after this one. Runs on DELETE too.
  transport.onclose = () => {
    if (transport.sessionId && sessions.delete(transport.sessionId)) {
      log('info', 'session closed', { sessions: sessions.size });
    }
  };
  const server = createNotesServer();
  await server.connect(transport);
  await transport.handleRequest(req, res);
  if (transport.sessionId === undefined) await server.close(); // not an initialize: drop it
}

/** On shutdown, end every session: closes their SSE streams so the HTTP server can stop. */
async function closeSessions(): Promise<void> {
  await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
}

const config = readConfig();
serve(createHttpServer(config, handleMcp), config, closeSessions);
