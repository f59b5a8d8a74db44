/**
 * The gateway process against the real API server and real MCP servers, without a node: the
 * example servers run as processes on 127.0.0.1, and the EndpointSlices that a Service's
 * controller would publish for their pods are written here (one slice per "pod", since each
 * listens on its own port). The gateway reads them with a ServiceAccount that has exactly its
 * Deployment's rules. Requests carry the header a server's route sets.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { GATEWAY_RULES } from '../../../charts-ts/platform/gateway.js';
import { startGateway, type RunningGateway } from '../../../src/gateway/gateway.js';
import { generateSessionKey, parseSessionKeys } from '../../../src/gateway/session-keys.js';
import { KubeRest } from '../../../src/kube/rest.js';
import { createLogger } from '../../../src/runtime/index.js';
import { asServiceAccount, freshNamespace, hostAddress, installCrds, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin } from '../cli/fixtures/cluster.js';
import { startExample, type RunningExample } from '../../unit/examples/spawn-example.js';
import { startModernServer, type ModernServer } from '../../fixtures/modern-mcp-server.js';

let rest: KubeRest;
let ns: FreshNamespace;
let gateway: RunningGateway;
let keysDir: string;
const audit: string[] = [];
/** The gateway's own log lines (JSON), as it writes them. */
const logs: Record<string, unknown>[] = [];
const notes: { example: RunningExample; uid: string }[] = [];
let weather: RunningExample;
let modern: ModernServer;

const portOf = (url: string) => Number(new URL(url).port);

const HOST_IP = hostAddress();

async function createServer(name: string, spec: Record<string, unknown> = {}): Promise<void> {
  await rest.request('POST', `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers`, {
    body: { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name }, spec: { image: `example/${name}:1`, ...spec } },
  });
}

/** What the EndpointSlice controller writes for one ready pod of Service `service`. */
async function publishPod(service: string, pod: string, uid: string, port: number): Promise<void> {
  await rest.request('POST', `/apis/discovery.k8s.io/v1/namespaces/${ns.name}/endpointslices`, {
    body: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${service}-${pod}`,
        labels: { 'kubernetes.io/service-name': service, 'app.kubernetes.io/component': 'mcp-server', 'app.kubernetes.io/managed-by': 'mcp-runtime' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [HOST_IP], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', name: pod, namespace: ns.name, uid } }],
      ports: [{ name: 'http', port, protocol: 'TCP' }],
    },
  });
}

/** fetch through the gateway as the server's route would send it. */
const routed = (server: string): typeof fetch =>
  ((input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('X-Mcp-Runtime-Server', `${ns.name}/${server}`);
    return fetch(`${gateway.url}/mcp`, { ...init, headers });
  }) as typeof fetch;

async function session(server: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'gateway-test', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), { fetch: routed(server) });
  await client.connect(transport);
  return { client, transport };
}

const metrics = async () => (await fetch(`${gateway.adminUrl}/metrics`)).text();

/** A JSON-RPC request to a server of this test's namespace through the gateway (a tools/call calls `tool`, default 'act'). */
const postTo = (server: string, method: string, session?: string, options: { tool?: string; signal?: AbortSignal } = {}) =>
  fetch(`${gateway.url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'X-Mcp-Runtime-Server': `${ns.name}/${server}`,
      ...(session === undefined ? {} : { 'mcp-session-id': session }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(method === 'tools/call' ? { params: { name: options.tool ?? 'act', arguments: {} } } : {}) }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });

/**
 * A pod that reads the second request on each connection and then resets it, unanswered: from the
 * gateway's side this looks like the pod's keep-alive timer closing the socket as the request went
 * out, and like a pod that read a call and failed. It records every request it read.
 */
async function resettingPod(): Promise<{ port: number; reads: { method: string | undefined; session: string | undefined; answered: boolean }[]; close(): Promise<void> }> {
  const reads: { method: string | undefined; session: string | undefined; answered: boolean }[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    let buffered = '';
    let onThisSocket = 0;
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const body = buffered.slice(end + 4, end + 4 + length);
        buffered = buffered.slice(end + 4 + length);
        const method = body === '' ? undefined : (JSON.parse(body) as { method?: string }).method;
        const session = /\r\nmcp-session-id: *([^\r]+)/i.exec(head)?.[1];
        const answered = onThisSocket++ !== 1;
        reads.push({ method, session, answered });
        if (!answered) {
          socket.resetAndDestroy();
          return;
        }
        const answer = JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} });
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nmcp-session-id: upstream-session-1\r\nkeep-alive: timeout=60\r\ncontent-length: ${answer.length}\r\n\r\n${answer}`);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    reads,
    close: async () => {
      // The gateway keeps its keep-alive socket: close it from this side.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
/**
 * A pod (plain node:http) that answers `ping` at once and hands a `tools/call` to `onCall`, so a
 * test can wait for the route with pings and then make exactly one call.
 */
async function callPod(onCall: (res: ServerResponse) => void): Promise<{ port: number; close(): Promise<void> }> {
  const upstream = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { method } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { method?: string };
      if (method !== 'tools/call') {
        const answer = JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length }).end(answer);
        return;
      }
      onCall(res);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '0.0.0.0', resolve));
  return {
    port: (upstream.address() as AddressInfo).port,
    close: async () => {
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    },
  };
}

const PROGRESS_EVENT = 'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}\n\n';

const metric = (text: string, name: string, labels: Record<string, string>) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

async function writeKeys(keys: { current: string; previous?: string }): Promise<void> {
  await writeFile(join(keysDir, 'current'), keys.current);
  if (keys.previous !== undefined) await writeFile(join(keysDir, 'previous'), keys.previous);
  else await rm(join(keysDir, 'previous'), { force: true });
}

beforeAll(async () => {
  await installCrds();
  rest = await admin();
  ns = await freshNamespace('gateway');
  keysDir = await mkdtemp(join(tmpdir(), 'gateway-keys-'));
  await writeKeys({ current: generateSessionKey() });
  const all = { HOST: '0.0.0.0' };
  const [a, b, w, m] = await Promise.all([startExample('notes', all), startExample('notes', all), startExample('weather', all), startModernServer('0.0.0.0')]);
  notes.push({ example: a, uid: randomUUID() }, { example: b, uid: randomUUID() });
  weather = w;
  modern = m;
  await createServer('notes');
  await createServer('weather', { stateless: true });
  await createServer('modern', { stateless: true });
  await createServer('guarded', { stateless: true, tools: { deny: ['get_forecast'] } });
  for (const [i, n] of notes.entries()) await publishPod('notes', `notes-${i}`, n.uid, portOf(n.example.mcpUrl));
  await publishPod('weather', 'weather-0', randomUUID(), portOf(weather.mcpUrl));
  // The same weather process behind a server with a tool policy.
  await publishPod('guarded', 'guarded-0', randomUUID(), portOf(weather.mcpUrl));
  await publishPod('modern', 'modern-0', randomUUID(), portOf(modern.url));

  // Exactly the gateway Deployment's permissions.
  const kc = await asServiceAccount(ns.name, 'gateway', { create: true, rules: GATEWAY_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })) });
  gateway = await startGateway({
    client: new KubeRest(kc).client,
    settings: {
      listen: { host: '127.0.0.1', port: 0 },
      adminListen: { host: '127.0.0.1', port: 0 },
      sessionKeysDir: keysDir,
      auditPayloads: false,
      drainSeconds: 1,
      namespaces: [ns.name],
    },
    logger: createLogger({ destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } }),
    audit: (line) => audit.push(line),
    keyReloadMs: 200,
  });
  await waitFor('the gateway ready', async () => (await fetch(`${gateway.adminUrl}/readyz`)).status, { until: (s) => s === 200, timeoutMs: 30_000 });
}, 90_000);

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.client.close().catch(() => undefined)));
  await Promise.all([...notes.map((n) => n.example.stop()), weather?.stop(), modern?.stop(), gateway?.stop(1_000)]);
  await ns?.cleanup();
  if (keysDir !== undefined) await rm(keysDir, { recursive: true, force: true });
});

let sessions: { client: Client; transport: StreamableHTTPClientTransport; added: number }[] = [];

describe('the gateway against real servers', () => {
  it('pins every session to the pod that issued it: sessions spread over both notes pods, each sees only its own notes', async () => {
    sessions = await Promise.all(Array.from({ length: 6 }, async () => ({ ...(await session('notes')), added: 0 })));
    for (let round = 0; round < 4; round++) {
      for (const s of sessions) {
        await s.client.callTool({ name: 'add_note', arguments: { text: `secret-argument-${round}` } });
        s.added++;
        const listed = await s.client.callTool({ name: 'list_notes', arguments: {} });
        expect((listed.structuredContent as { notes: unknown[] }).notes).toHaveLength(s.added);
      }
    }
    const opened = notes.map((n) => n.example.logs.filter((l) => l.msg === 'session opened').length);
    expect(opened.reduce((a, b) => a + b, 0)).toBe(6);
    expect(opened.every((n) => n === 3)).toBe(true);
    // The client holds a sealed id (visible ASCII), never the pod's own UUID.
    const ids = sessions.map((s) => s.transport.sessionId!);
    expect(ids.every((id) => /^[\x21-\x7e]+$/.test(id) && !/^[0-9a-f-]{36}$/.test(id))).toBe(true);
  });

  it('answers 404 to a tampered id, to an id sealed for another server, and when no server is named', async () => {
    const sealed = sessions[0]!.transport.sessionId!;
    const post = (server: string | undefined, id: string) =>
      fetch(`${gateway.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': id,
          ...(server === undefined ? {} : { 'x-mcp-runtime-server': `${ns.name}/${server}` }),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    const tampered = sealed.slice(0, 20) + (sealed[20] === 'x' ? 'y' : 'x') + sealed.slice(21);
    const tamperedAnswer = await post('notes', tampered);
    expect(tamperedAnswer.status).toBe(404);
    expect(await tamperedAnswer.json()).toMatchObject({ error: { code: -32001, message: 'Session not found' } });
    expect((await post('weather', sealed)).status).toBe(404);
    expect((await post(undefined, sealed)).status).toBe(404);
    expect((await post('no-such-server', sealed)).status).toBe(404);
    expect((await post('notes', sealed)).status).toBe(200);
  });

  it('streams a GET stream through as it opens, counts it while open, and passes DELETE on', async () => {
    // By hand: the SDK client opens its own GET stream, and a session may have only one.
    const post = (body: object, id?: string) =>
      routed('notes')(`${gateway.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(id === undefined ? {} : { 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' }) },
        body: JSON.stringify(body),
      });
    const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    expect(init.status).toBe(200);
    await init.text();
    const id = init.headers.get('mcp-session-id')!;
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, id)).status).toBe(202);
    const abort = new AbortController();
    const stream = await routed('notes')(`${gateway.url}/mcp`, {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    await waitFor('the open stream counted', metrics, { until: (t) => metric(t, 'mcp_gateway_streams_open', { server: `${ns.name}/notes` }) >= 1, timeoutMs: 5_000 });
    const openWithIt = metric(await metrics(), 'mcp_gateway_streams_open', { server: `${ns.name}/notes` });
    abort.abort();
    await waitFor('the stream closed', metrics, { until: (t) => metric(t, 'mcp_gateway_streams_open', { server: `${ns.name}/notes` }) === openWithIt - 1, timeoutMs: 5_000 });

    const closedBefore = notes.reduce((n, x) => n + x.example.logs.filter((l) => l.msg === 'session closed').length, 0);
    const deleted = await routed('notes')(`${gateway.url}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' } });
    expect(deleted.status).toBe(200);
    await waitFor('the pod closed the session', async () => notes.reduce((n, x) => n + x.example.logs.filter((l) => l.msg === 'session closed').length, 0), { until: (n) => n === closedBefore + 1, timeoutMs: 5_000 });
    expect((await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, id)).status).toBe(404);
  });

  it('routes a 2026-07-28 server (no session) and counts its tools', async () => {
    const client = new ModernClient({ name: 'gateway-test', version: '1' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    await client.connect(new ModernTransport(new URL(`${gateway.url}/mcp`), { fetch: routed('modern') }));
    const r = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(JSON.stringify(r.content)).toContain('5');
    await client.close();
    expect(modern.methods).not.toContain('initialize');
    const text = await metrics();
    expect(metric(text, 'mcp_gateway_requests_total', { server: `${ns.name}/modern`, method: 'tools/call', tool: 'add' })).toBe(1);
    expect(metric(text, 'mcp_gateway_sessions_opened_total', { server: `${ns.name}/modern` })).toBe(0);
  });

  it('enforces spec.tools: a denied tool is absent from tools/list and its call is refused before the pod, both audited', async () => {
    const { client } = await session('guarded');
    const listed = await client.listTools();
    expect(listed.tools.map((t) => t.name)).toEqual(['convert_temperature']);
    // Refused by the gateway (its message names the policy), not by the server.
    await expect(client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo', days: 1 } })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('not allowed on this server (spec.tools)'),
    });
    const allowed = await client.callTool({ name: 'convert_temperature', arguments: { value: 100, from: 'celsius', to: 'fahrenheit' } });
    expect(JSON.stringify(allowed.content)).toContain('212');
    await client.close();
    const lines = audit.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.server === `${ns.name}/guarded`);
    expect(lines.map((l) => [l.tool, l.decision, l.status])).toEqual([
      ['get_forecast', 'denied', 'denied'],
      ['convert_temperature', 'allowed', 'ok'],
    ]);
  });

  it('audits every tools/call with server, tool, status and a session fingerprint, never arguments or ids', async () => {
    const lines = audit.map((l) => JSON.parse(l) as Record<string, unknown>);
    const notesCalls = lines.filter((l) => l.server === `${ns.name}/notes`);
    expect(notesCalls.filter((l) => l.tool === 'add_note' && l.status === 'ok' && l.httpStatus === 200)).toHaveLength(24);
    expect(notesCalls.every((l) => typeof l.durationMs === 'number' && /^[0-9a-f]{16}$/.test(String(l.session)) && l.caller === null)).toBe(true);
    const joined = audit.join('\n');
    expect(joined).not.toContain('secret-argument');
    for (const s of sessions) expect(joined).not.toContain(s.transport.sessionId!);
    expect(lines.some((l) => l.server === `${ns.name}/modern` && l.tool === 'add' && l.status === 'ok')).toBe(true);
  });

  it('a pod that is gone costs only its sessions (404); the others go on; a new session lands on the live pod', async () => {
    await notes[0]!.example.stop();
    const outcomes = await Promise.all(
      sessions.map((s) => s.client.callTool({ name: 'list_notes', arguments: {} }).then(() => 'ok', (e: { code?: number }) => `error ${e.code}`)),
    );
    // Three of the six were on the stopped pod.
    expect(outcomes.filter((o) => o === 'error 404')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    // New sessions skip the refused pod (a retry, counted) and work.
    const fresh = await session('notes');
    expect((await fresh.client.callTool({ name: 'list_notes', arguments: {} })).isError).not.toBe(true);
    await fresh.transport.terminateSession();
  });

  it('opens ids sealed with the previous key after a rotation, and none sealed with a retired key', async () => {
    const alive: typeof sessions = [];
    for (const s of sessions) {
      if (await s.client.callTool({ name: 'list_notes', arguments: {} }).then(() => true, () => false)) alive.push(s);
    }
    expect(alive.length).toBeGreaterThan(0);
    const old = (await readFile(join(keysDir, 'current'), 'utf8')).trim();
    const rotated = { current: generateSessionKey(), previous: old };
    await writeKeys(rotated);
    const expected = parseSessionKeys(rotated, 'test').keyIds;
    await waitFor('the gateway to load the rotated keys', async () => gateway.keyIds(), { until: (ids) => JSON.stringify(ids) === JSON.stringify(expected), timeoutMs: 10_000, intervalMs: 100 });
    // Sealed before the rotation: still opens. A new session works too (sealed with the new key).
    expect((await alive[0]!.client.callTool({ name: 'list_notes', arguments: {} })).isError).not.toBe(true);
    const fresh = await session('notes');
    expect((await fresh.client.callTool({ name: 'list_notes', arguments: {} })).isError).not.toBe(true);
    // Retire the old key: ids sealed with it no longer open; the new session's still does.
    const retired = { current: rotated.current };
    await writeKeys(retired);
    await waitFor('the gateway to retire the old key', async () => gateway.keyIds(), { until: (ids) => ids.length === 1, timeoutMs: 10_000, intervalMs: 100 });
    await expect(alive[0]!.client.callTool({ name: 'list_notes', arguments: {} })).rejects.toMatchObject({ code: 404 });
    expect((await fresh.client.callTool({ name: 'list_notes', arguments: {} })).isError).not.toBe(true);
    await fresh.transport.terminateSession();
  });

  it('sends a session request again to its pod when the pod had just closed the idle keep-alive socket it went out on', async () => {
    const pod = await resettingPod();
    try {
      await createServer('idle-closing');
      await publishPod('idle-closing', 'idle-closing-0', randomUUID(), pod.port);
      const retriesBefore = metric(await metrics(), 'mcp_gateway_upstream_retries_total', { server: `${ns.name}/idle-closing` });
      const first = await waitFor('the idle-closing pod routed', () => postTo('idle-closing', 'ping'), { until: (r) => r.status === 200, timeoutMs: 15_000 });
      const sealed = first.headers.get('mcp-session-id')!;
      await first.text();
      const second = await postTo('idle-closing', 'ping', sealed);
      expect(second.status).toBe(200);
      expect(second.headers.get('mcp-session-id')).toBe(sealed);
      // The pod read the second request and reset; the retry reached it with the pod's own session id restored.
      expect(pod.reads).toEqual([
        { method: 'ping', session: undefined, answered: true },
        { method: 'ping', session: 'upstream-session-1', answered: false },
        { method: 'ping', session: 'upstream-session-1', answered: true },
      ]);
      expect(metric(await metrics(), 'mcp_gateway_upstream_retries_total', { server: `${ns.name}/idle-closing` })).toBe(retriesBefore + 1);
    } finally {
      await pod.close();
    }
  });

  it('never sends a tools/call twice: after such a reset it answers 502 and the pod saw the call once', async () => {
    const pod = await resettingPod();
    try {
      await createServer('at-most-once');
      await publishPod('at-most-once', 'at-most-once-0', randomUUID(), pod.port);
      const retriesBefore = metric(await metrics(), 'mcp_gateway_upstream_retries_total', { server: `${ns.name}/at-most-once` });
      const first = await waitFor('the at-most-once pod routed', () => postTo('at-most-once', 'ping'), { until: (r) => r.status === 200, timeoutMs: 15_000 });
      const sealed = first.headers.get('mcp-session-id')!;
      await first.text();
      const call = await postTo('at-most-once', 'tools/call', sealed);
      expect(call.status).toBe(502);
      expect(await call.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32603, message: expect.stringContaining('not sent again') } });
      expect(pod.reads.filter((r) => r.method === 'tools/call')).toEqual([{ method: 'tools/call', session: 'upstream-session-1', answered: false }]);
      expect(metric(await metrics(), 'mcp_gateway_upstream_retries_total', { server: `${ns.name}/at-most-once` })).toBe(retriesBefore);
      // The session still works: the next call goes out on a new connection.
      const again = await postTo('at-most-once', 'tools/call', sealed);
      expect(again.status).toBe(200);
      expect(pod.reads.filter((r) => r.method === 'tools/call')).toHaveLength(2);
    } finally {
      await pod.close();
    }
  });

  it('a client that hangs up mid-call: logged with the pod and tool, audited as client_left, not a failure of the server, and the pod\'s answer is cut off', async () => {
    let podSawClose = false;
    // A long tool: the answer's stream opens with a progress event, the result never comes.
    const pod = await callPod((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(PROGRESS_EVENT);
      res.on('close', () => (podSawClose = true));
    });
    const abort = new AbortController();
    try {
      await createServer('hangup', { stateless: true });
      await publishPod('hangup', 'hangup-0', randomUUID(), pod.port);
      const server = `${ns.name}/hangup`;
      await waitFor('hangup routed', () => postTo('hangup', 'ping'), { until: (r) => r.status === 200, timeoutMs: 15_000 });
      const failuresBefore = metric(await metrics(), 'mcp_gateway_request_errors_total', { server });
      const call = await postTo('hangup', 'tools/call', undefined, { tool: 'slow_tool', signal: abort.signal });
      expect(call.status).toBe(200);
      const { value } = await call.body!.getReader().read();
      expect(new TextDecoder().decode(value)).toContain('notifications/progress');
      abort.abort();

      const line = await waitFor('the log line', () => logs.find((l) => l.msg === 'client left before the answer ended' && l.pod === 'hangup-0'), { timeoutMs: 5_000, intervalMs: 50 });
      expect(line).toMatchObject({ level: 30, method: 'tools/call', tool: 'slow_tool', sse: true });
      await waitFor('the pod\'s answer cut off', () => podSawClose, { timeoutMs: 5_000, intervalMs: 50 });
      const audited = await waitFor('the call audited', () => audit.map((a) => JSON.parse(a) as Record<string, unknown>).filter((a) => a.server === server), { until: (lines) => lines.length > 0, timeoutMs: 5_000, intervalMs: 50 });
      expect(audited).toEqual([expect.objectContaining({ tool: 'slow_tool', status: 'client_left', httpStatus: 200 })]);
      expect(metric(await metrics(), 'mcp_gateway_request_errors_total', { server })).toBe(failuresBefore);
      expect(metric(await metrics(), 'mcp_gateway_requests_total', { server, method: 'tools/call', code: '200' })).toBe(1);
    } finally {
      abort.abort();
      await pod.close();
    }
  });

  it('a pod that breaks its answer off mid-call: the client\'s stream ends, audited and counted as upstream_error, logged as the pod\'s doing', async () => {
    const pod = await callPod((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(PROGRESS_EVENT);
      // The pod dies before the result: its side of the connection is reset.
      setTimeout(() => res.socket?.resetAndDestroy(), 50);
    });
    try {
      await createServer('breaks-off', { stateless: true });
      await publishPod('breaks-off', 'breaks-off-0', randomUUID(), pod.port);
      const server = `${ns.name}/breaks-off`;
      await waitFor('breaks-off routed', () => postTo('breaks-off', 'ping'), { until: (r) => r.status === 200, timeoutMs: 15_000 });
      const failuresBefore = metric(await metrics(), 'mcp_gateway_request_errors_total', { server, reason: 'upstream_error' });
      const call = await postTo('breaks-off', 'tools/call', undefined, { tool: 'fragile_tool' });
      expect(call.status).toBe(200);
      // The client gets what the pod sent, then the stream breaks instead of carrying a result.
      const body = await call.text().catch((error: unknown) => `broken: ${String(error)}`);
      expect(body).not.toContain('"result"');

      const audited = await waitFor('the call audited', () => audit.map((a) => JSON.parse(a) as Record<string, unknown>).filter((a) => a.server === server), { until: (lines) => lines.length > 0, timeoutMs: 5_000, intervalMs: 50 });
      expect(audited).toEqual([expect.objectContaining({ tool: 'fragile_tool', status: 'upstream_error', httpStatus: 200 })]);
      expect(metric(await metrics(), 'mcp_gateway_request_errors_total', { server, reason: 'upstream_error' })).toBe(failuresBefore + 1);
      const mine = logs.filter((l) => l.pod === 'breaks-off-0');
      expect(mine.map((l) => l.msg)).toEqual(['upstream answer broke off']);
      expect(mine[0]).toMatchObject({ level: 40, method: 'tools/call', sse: true });
    } finally {
      await pod.close();
    }
  });

  it('closes an idle connection to a pod before the pod does (at its Keep-Alive hint, else after 4 s); a quiet stream in use stays open', async () => {
    // A real node:http pod. Who closed each connection tells the race apart: when the gateway
    // closes, the pod's socket sees the end of input first; when the pod's own keep-alive timer
    // fires, it destroys the socket without one.
    const closes: { peerClosedFirst: boolean }[] = [];
    const closed = () => closes.length;
    const streams: ServerResponse[] = [];
    let sendHint = true;
    const upstream = createHttpServer((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.flushHeaders();
        streams.push(res);
        return;
      }
      req.resume();
      req.on('end', () => {
        const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} });
        // An explicit Connection header stops Node from sending its Keep-Alive hint (as the MCP SDK's servers do).
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'mcp-session-id': 'upstream-session-2', ...(sendHint ? {} : { connection: 'keep-alive' }) });
        res.end(body);
      });
    });
    upstream.on('connection', (socket: Socket) => {
      let peerEnded = false;
      socket.on('end', () => (peerEnded = true));
      socket.on('close', () => closes.push({ peerClosedFirst: peerEnded }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '0.0.0.0', resolve));
    const abort = new AbortController();
    try {
      await createServer('idle-pod');
      await publishPod('idle-pod', 'idle-pod-0', randomUUID(), (upstream.address() as AddressInfo).port);
      const post = (session?: string) =>
        fetch(`${gateway.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'X-Mcp-Runtime-Server': `${ns.name}/idle-pod`, ...(session === undefined ? {} : { 'mcp-session-id': session }) },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
        });

      // The hint: Node's server says `Keep-Alive: timeout=2`; the gateway closes after 1 s.
      upstream.keepAliveTimeout = 2_000;
      const first = await waitFor('the idle pod routed', () => post(), { until: (r) => r.status === 200, timeoutMs: 15_000 });
      const sealed = first.headers.get('mcp-session-id')!;
      await first.text();
      await waitFor('the idle connection closed', async () => closed(), { until: (n) => n >= 1, timeoutMs: 10_000, intervalMs: 100 });
      expect(closes.every((c) => c.peerClosedFirst)).toBe(true);

      // A quiet SSE stream through the gateway, then no hint with the pod's 5 s default.
      const stream = await fetch(`${gateway.url}/mcp`, {
        method: 'GET',
        headers: { accept: 'text/event-stream', 'X-Mcp-Runtime-Server': `${ns.name}/idle-pod`, 'mcp-session-id': sealed },
        signal: abort.signal,
      });
      expect(stream.status).toBe(200);
      sendHint = false;
      upstream.keepAliveTimeout = 5_000;
      const before = closed();
      const noHint = await post(sealed);
      expect(noHint.status).toBe(200);
      await noHint.text();
      await waitFor('the idle connection closed', async () => closed(), { until: (n) => n > before, timeoutMs: 10_000, intervalMs: 100 });
      expect(closes.every((c) => c.peerClosedFirst)).toBe(true);

      // The stream was quiet for longer than the idle timeout and still carries an event.
      expect(streams).toHaveLength(1);
      streams[0]!.write('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"still here"}}\n\n');
      const reader = stream.body!.getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toContain('still here');
    } finally {
      abort.abort();
      for (const res of streams) res.destroy();
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });

  it('drains on stop: /readyz fails at once while requests are still served, then it closes', async () => {
    const client = new Client({ name: 'gateway-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), { fetch: routed('weather') }));
    const stopping = gateway.stop(5_000);
    await waitFor('/readyz failing', async () => (await fetch(`${gateway.adminUrl}/readyz`)).status, { until: (s) => s === 503, timeoutMs: 2_000, intervalMs: 50 });
    const r = await client.callTool({ name: 'convert_temperature', arguments: { value: 0, from: 'celsius', to: 'kelvin' } });
    expect(JSON.stringify(r.content)).toContain('273.15');
    await client.close();
    await stopping;
    await expect(fetch(`${gateway.url}/mcp`)).rejects.toThrow();
  });
});
