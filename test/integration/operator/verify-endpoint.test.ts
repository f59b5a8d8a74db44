/**
 * The operator's MCP handshake against real servers of both protocol eras: both examples
 * (2025-x, stateless and with sessions) run as processes, a 2026-07-28 server (v2 SDK), and real HTTP servers that are not MCP, that guard with 401,
 * that never answer, and a port where nothing listens. Each gets its own reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { summarize, toolsDigest, verifyEndpoint } from '../../../src/operator/verify/handshake.js';
import { initializeRequest, postMcp, startExample, type RunningExample } from '../../unit/examples/spawn-example.js';
import { startModernServer } from '../../fixtures/modern-mcp-server.js';

let weather: RunningExample;
let notes: RunningExample;
const servers: Server[] = [];

async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

beforeAll(async () => {
  [weather, notes] = await Promise.all([startExample('weather'), startExample('notes')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([weather?.stop(), notes?.stop()]);
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

describe('verifyEndpoint', () => {
  it('verifies the stateless weather example with its exact tool list', async () => {
    const outcome = await verifyEndpoint(weather.mcpUrl);
    expect(outcome).toMatchObject({ reason: 'Verified', reachable: true });
    expect(outcome.server).toMatchObject({ protocolVersion: '2025-11-25', serverInfo: { name: 'weather', version: '0.1.0' }, toolCount: 2 });
    expect(outcome.server?.tools.map((t) => [t.name, t.title])).toEqual([
      ['convert_temperature', 'Convert temperature'],
      ['get_forecast', 'Weather forecast'],
    ]);
    expect(outcome.server?.capabilities).toContain('tools');
    expect(outcome.server?.toolsDigest).toMatch(/^[0-9a-f]{16}$/);
  });

  it('verifies a 2026-07-28 server with server/discover: no initialize, no session, its tools', async () => {
    const modern = await startModernServer();
    try {
      const outcome = await verifyEndpoint(modern.url);
      expect(outcome).toMatchObject({ reason: 'Verified', reachable: true });
      expect(outcome.server).toMatchObject({ protocolVersion: '2026-07-28', serverInfo: { name: 'modern-fixture', version: '2.0.0' }, toolCount: 2 });
      expect(outcome.server?.tools.map((t) => t.name)).toEqual(['add', 'echo']);
      expect(modern.methods[0]).toBe('server/discover');
      expect(modern.methods).toContain('tools/list');
      expect(modern.methods).not.toContain('initialize');
    } finally {
      await modern.stop();
    }
  });

  it('verifies the notes example (sessions) and ends without DELETE', async () => {
    const outcome = await verifyEndpoint(notes.mcpUrl);
    expect(outcome.reason).toBe('Verified');
    expect(outcome.server?.tools.map((t) => t.name)).toEqual(['add_note', 'list_notes']);
    // The session was opened by initialize and never deleted by the verifier.
    const requests = notes.logs.filter((l) => l.msg === 'request' && l.path === '/mcp');
    expect(notes.logs.some((l) => l.msg === 'session opened')).toBe(true);
    expect(requests.some((l) => l.method === 'DELETE')).toBe(false);
    expect(notes.logs.some((l) => l.msg === 'session closed')).toBe(false);
  });

  it('gives the same digest for the same tools, and a different one when they change', async () => {
    const again = await verifyEndpoint(weather.mcpUrl);
    const first = await verifyEndpoint(weather.mcpUrl);
    expect(again.server?.toolsDigest).toBe(first.server?.toolsDigest);
    const other = await verifyEndpoint(notes.mcpUrl);
    expect(other.server?.toolsDigest).not.toBe(first.server?.toolsDigest);
  });

  it('bounds the tool list and descriptions it keeps, but counts every tool', async () => {
    const outcome = await verifyEndpoint(weather.mcpUrl, { maxTools: 1, maxDescription: 12 });
    expect(outcome.server?.toolCount).toBe(2);
    expect(outcome.server?.tools).toHaveLength(1);
    expect(outcome.server?.tools[0]?.description).toHaveLength(12);
    expect(outcome.server?.tools[0]?.description?.endsWith('…')).toBe(true);
  });

  it('an example run with AUTH_TOKEN answers 401 without the token (AuthRequired) and MCP with it', async () => {
    const guarded = await startExample('weather', { AUTH_TOKEN: 'tok-123' });
    try {
      const outcome = await verifyEndpoint(guarded.mcpUrl);
      expect(outcome).toMatchObject({ reason: 'AuthRequired', reachable: true });
      expect(outcome.message).toContain('401');
      const wrong = await postMcp(guarded.mcpUrl, initializeRequest, { Authorization: 'Bearer nope' });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="mcp"');
      const right = await postMcp(guarded.mcpUrl, initializeRequest, { Authorization: 'Bearer tok-123' });
      expect(right.status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });

  it('calls a listening server that is not MCP NotMCP, naming the HTTP status', async () => {
    const url = await httpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    const outcome = await verifyEndpoint(url);
    expect(outcome).toMatchObject({ reason: 'NotMCP', reachable: false });
    expect(outcome.message).toContain('containerPath');
    const missing = await httpServer((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'));
    expect(await verifyEndpoint(missing)).toMatchObject({ reason: 'NotMCP', message: expect.stringContaining('HTTP 404') });
  });

  it('calls a port where nothing listens Unreachable, pointing at spec.port', async () => {
    const url = await httpServer(() => undefined);
    const server = servers.pop()!;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const outcome = await verifyEndpoint(url);
    expect(outcome).toMatchObject({ reason: 'Unreachable', reachable: false, message: expect.stringContaining('ECONNREFUSED') });
    expect(outcome.message).toContain('spec.port');
  });

  it('calls a 401 or 403 AuthRequired: reachable, not a failure', async () => {
    for (const status of [401, 403]) {
      const url = await httpServer((_req, res) =>
        res.writeHead(status, { 'www-authenticate': 'Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"', 'content-type': 'application/json' }).end('{"error":"unauthorized"}'),
      );
      const outcome = await verifyEndpoint(url);
      expect(outcome).toMatchObject({ reason: 'AuthRequired', reachable: true, message: expect.stringContaining(String(status)) });
    }
  });

  it('gives up on a server that never answers: Timeout', async () => {
    const url = await httpServer(() => undefined); // accepts, never responds
    const outcome = await verifyEndpoint(url, { timeoutMs: 1_000 });
    expect(outcome).toMatchObject({ reason: 'Timeout', reachable: false });
  });
});

describe('tool summaries (pure)', () => {
  const tools = [
    { name: 'b', description: 'x'.repeat(300), inputSchema: { type: 'object' as const } },
    { name: 'a', title: 'A', inputSchema: { type: 'object' as const } },
  ];
  it('sorts by name and digests independently of order', () => {
    expect(summarize(tools, 10, 200).map((t) => t.name)).toEqual(['a', 'b']);
    expect(toolsDigest(tools)).toBe(toolsDigest([...tools].reverse()));
    expect(toolsDigest(tools)).not.toBe(toolsDigest([{ ...tools[0]!, description: 'changed' }, tools[1]!]));
  });
});
