/** The stateful notes example, run as a real process: sessions, per-session state, SSE, DELETE. */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { probeMcp } from './mcp-probe.js';
import { initializeRequest, postMcp, readMessages, startExample, type RunningExample } from './spawn-example.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const listNotesRequest = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_notes', arguments: {} } };

interface Session {
  client: Client;
  transport: StreamableHTTPClientTransport;
}

describe('examples/notes (stateful)', () => {
  let server: RunningExample | undefined;
  const sessions: Session[] = [];

  async function connect(): Promise<Session> {
    const transport = new StreamableHTTPClientTransport(new URL(server!.mcpUrl));
    const client = new Client({ name: 'notes-test', version: '1.0.0' });
    await client.connect(transport);
    const session = { client, transport };
    sessions.push(session);
    return session;
  }

  /** Opens a session by hand (initialize + initialized) and returns its id. */
  async function rawSession(): Promise<string> {
    const response = await postMcp(server!.mcpUrl, initializeRequest);
    const id = response.headers.get('mcp-session-id') ?? '';
    await response.text();
    const initialized = await postMcp(
      server!.mcpUrl,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { 'Mcp-Session-Id': id, 'MCP-Protocol-Version': '2025-11-25' },
    );
    expect(initialized.status).toBe(202);
    return id;
  }

  const withSession = (id: string) => ({ 'Mcp-Session-Id': id, 'MCP-Protocol-Version': '2025-11-25' });
  const noteTexts = (result: unknown) =>
    (result as { structuredContent: { notes: { text: string }[] } }).structuredContent.notes.map((note) => note.text);

  beforeAll(async () => {
    server = await startExample('notes');
  }, 30_000);

  afterAll(async () => {
    await Promise.allSettled(sessions.map(({ client }) => client.close()));
    await server?.stop();
  });

  it('issues a distinct session id per client and lists the tools', async () => {
    const [a, b] = [await connect(), await connect()];
    expect(a.transport.sessionId).toMatch(UUID);
    expect(b.transport.sessionId).toMatch(UUID);
    expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    expect(a.client.getServerVersion()).toEqual({ name: 'notes', version: '0.1.0' });

    const { tools } = await a.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add_note', 'list_notes']);
    expect(tools.find((tool) => tool.name === 'add_note')?.inputSchema).toMatchObject({
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string', minLength: 1, maxLength: 1000 } },
    });
    expect(tools.find((tool) => tool.name === 'list_notes')?.inputSchema).toMatchObject({ type: 'object' });
  });

  it('keeps notes per session', async () => {
    const [a, b] = sessions as [Session, Session];
    const added = await a.client.callTool({ name: 'add_note', arguments: { text: 'buy milk' } });
    expect(added.structuredContent).toEqual({ id: 1, text: 'buy milk', count: 1 });
    await a.client.callTool({ name: 'add_note', arguments: { text: 'call mom' } });
    await b.client.callTool({ name: 'add_note', arguments: { text: 'only in b' } });

    expect(noteTexts(await a.client.callTool({ name: 'list_notes', arguments: {} }))).toEqual(['buy milk', 'call mom']);
    expect(noteTexts(await b.client.callTool({ name: 'list_notes', arguments: {} }))).toEqual(['only in b']);
  });

  it('serves the notes of the session as a resource', async () => {
    const [a] = sessions as [Session];
    const { resources } = await a.client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(['notes://session']);
    const { contents } = await a.client.readResource({ uri: 'notes://session' });
    const [content] = contents;
    expect(content && 'text' in content ? JSON.parse(content.text) : undefined).toEqual([
      { id: 1, text: 'buy milk' },
      { id: 2, text: 'call mom' },
    ]);
  });

  it('ties the state to the session id: a raw request with the id sees that session', async () => {
    const [a] = sessions as [Session];
    const id = a.transport.sessionId!;
    const response = await postMcp(server!.mcpUrl, listNotesRequest, withSession(id));
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBe(id);
    const [message] = await readMessages(response);
    expect(noteTexts(message?.result)).toEqual(['buy milk', 'call mom']);
    expect(a.transport.sessionId).toBe(id); // the client kept reusing the id it was issued
  });

  it('opens a server-to-client SSE stream on GET', async () => {
    const id = await rawSession();
    const abort = new AbortController();
    const response = await fetch(server!.mcpUrl, {
      headers: { Accept: 'text/event-stream', ...withSession(id) },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    abort.abort();
  });

  it('ends a session on DELETE; its id then gets 404 while other sessions live on', async () => {
    const [a, b] = sessions as [Session, Session];
    const id = a.transport.sessionId!;
    await a.transport.terminateSession(); // DELETE /mcp with the session id
    const stale = await postMcp(server!.mcpUrl, listNotesRequest, withSession(id));
    expect(stale.status).toBe(404);
    expect(noteTexts(await b.client.callTool({ name: 'list_notes', arguments: {} }))).toEqual(['only in b']);

    const raw = await rawSession();
    const deleted = await fetch(server!.mcpUrl, { method: 'DELETE', headers: withSession(raw) });
    expect(deleted.status).toBe(200);
    expect((await postMcp(server!.mcpUrl, listNotesRequest, withSession(raw))).status).toBe(404);
  });

  it('answers 400 to a non-initialize request without a session id', async () => {
    expect((await postMcp(server!.mcpUrl, listNotesRequest)).status).toBe(400);
    expect((await fetch(server!.mcpUrl, { headers: { Accept: 'text/event-stream' } })).status).toBe(400);
  });

  it('is reported as sessionful by the probe', async () => {
    await expect(probeMcp(server!.mcpUrl)).resolves.toEqual({
      serverName: 'notes',
      serverVersion: '0.1.0',
      protocolVersion: '2025-11-25',
      sessionful: true,
      tools: ['add_note', 'list_notes'],
    });
  });

  it('serves /healthz, refuses a foreign Origin (403) and a narrow Accept (406)', async () => {
    const health = await fetch(`${server!.baseUrl}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok']);
    expect((await postMcp(server!.mcpUrl, initializeRequest, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await postMcp(server!.mcpUrl, initializeRequest, { Accept: 'application/json' })).status).toBe(406);
  });

  it('ends open sessions and exits cleanly on SIGTERM', async () => {
    // Session b still holds its GET stream open: shutdown must end it rather than hang.
    await expect(server!.stop()).resolves.toBe(0);
    const messages = server!.logs.map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['shutting down', 'session closed', 'stopped']));
  });
});
