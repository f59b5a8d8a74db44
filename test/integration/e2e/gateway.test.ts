/**
 * The gateway end to end on a real node with a real Traefik: stateful servers with several pods
 * keep their sessions (each pinned to the pod that issued it by the sealed id the client holds),
 * losing a pod costs only that pod's sessions, any gateway replica serves any session, every
 * tools/call is counted and audited, and the gateway itself rolls over without failing a call.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { NODE_IP } from '../../../src/local-cluster/real-node/network.js';
import { startOidcProvider } from '../../fixtures/oidc-provider.js';
import { createTestCa } from '../../fixtures/test-ca.js';
import { request as httpsRequest } from 'node:https';
import { lookupResolvingTo, waitFor } from '../../../src/local-cluster/index.js';
import { accessLogEntries, gatewayPodFetch } from './gateway-access.js';
import { condition, mcpServers, NAMESPACE, type Servers } from './mcpservers.js';
import { INGRESS_HOST, realNodeUnsupported, startRealCluster, type RealCluster } from './real-node-cluster.js';

const GATEWAY_NAMESPACE = 'mcp-gateway';
const unsupported = realNodeUnsupported();
if (unsupported !== undefined) console.warn(`[e2e gateway] skipped: ${unsupported}`);
const describeRealNode = unsupported === undefined ? describe : describe.skip;

let c: RealCluster;
let servers: Servers;

const exampleSpec = (example: 'weather' | 'notes', replicas: number, extra: Record<string, unknown> = {}) => ({
  ingressPath: `/${example}/mcp`,
  image: c.image(example),
  port: 8088,
  replicas,
  probe: { type: 'http', path: '/healthz' },
  ...extra,
});

async function core(kc: KubeConfig) {
  const k8s = await import('@kubernetes/client-node');
  return kc.makeApiClient(k8s.CoreV1Api);
}

async function readyPods(namespace: string, selector: string): Promise<V1Pod[]> {
  const pods = (await (await core(c.kc)).listNamespacedPod({ namespace, labelSelector: selector })).items;
  return pods.filter((p) => p.metadata?.deletionTimestamp === undefined && p.status?.conditions?.some((k) => k.type === 'Ready' && k.status === 'True') === true);
}

async function podLog(namespace: string, name: string): Promise<string[]> {
  return (await (await core(c.kc)).readNamespacedPodLog({ namespace, name })).split('\n');
}

/**
 * An MCP session through the public route (Traefik → gateway → a pod). `errors` collects what the
 * transport reports outside any request (a POST's stream that broke off after its headers only
 * shows there; the request itself then times out), for a failure's message.
 */
async function routeClient(path: string, fetchImpl: typeof fetch = c.fetch): Promise<{ client: Client; transport: StreamableHTTPClientTransport; errors: string[] }> {
  const client = new Client({ name: 'mcp-runtime-e2e-gateway', version: '0.1.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${c.base}${path}`), { fetch: fetchImpl });
  await client.connect(transport);
  const errors: string[] = [];
  client.onerror = (error) => errors.push(`${new Date().toISOString()} ${error.message}`);
  return { client, transport, errors };
}

const httpStatusOf = (error: unknown): number | undefined => (error as { code?: unknown }).code as number | undefined;

interface NotesSession {
  readonly index: number;
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  readonly errors: string[];
  added: number;
}

/** When each failed call went out: the failure's message shows what every hop logged around then. */
const failedCallTimes: number[] = [];

async function addAndList(s: NotesSession, calls: number): Promise<string[]> {
  const failures: string[] = [];
  for (let i = 0; i < calls; i++) {
    const sentAt = Date.now();
    try {
      if (i % 2 === 0) {
        const r = await s.client.callTool({ name: 'add_note', arguments: { text: `session ${s.index} note ${s.added + 1}` } });
        if (r.isError === true) failures.push(`session ${s.index}: add_note: ${JSON.stringify(r.content)}`);
        else s.added++;
      } else {
        // The notes live in one pod's memory: the count proves the call reached the session's own pod.
        const r = await s.client.callTool({ name: 'list_notes', arguments: {} });
        const notes = (r.structuredContent as { notes?: unknown[] } | undefined)?.notes ?? [];
        if (notes.length !== s.added) failures.push(`session ${s.index}: list_notes saw ${notes.length} notes, expected ${s.added}`);
      }
    } catch (error) {
      failedCallTimes.push(sentAt);
      const said = s.errors.length > 0 ? ` (the transport said: ${s.errors.join('; ')})` : '';
      failures.push(`session ${s.index}: call ${i} sent ${new Date(sentAt).toISOString()}, failed ${new Date().toISOString()}: ${(error as Error).message}${said}`);
    }
  }
  return failures;
}

/** Live sessions per notes pod, from each pod's own log ("session opened" / "session closed"). */
async function sessionsPerPod(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const pod of await readyPods(NAMESPACE, 'app=notes')) {
    const lines = await podLog(NAMESPACE, pod.metadata!.name!);
    const count = (msg: string) => lines.filter((l) => l.includes(`"msg":"${msg}"`)).length;
    out.set(pod.metadata!.name!, count('session opened') - count('session closed'));
  }
  return out;
}

/** Prints what the gateways, the notes pods and Traefik said when `failures` is not empty. */
async function explain(failures: string[]): Promise<void> {
  if (failures.length === 0) return;
  console.log(`[e2e gateway] ${failures.length} calls failed; what the gateways, notes pods and Traefik said:\n${(await unusualLogLines()).join('\n')}`);
}

/**
 * For a failure's message: the gateways' warnings and errors, their audit lines that are not
 * "ok", the notes pods' errors and failed or slow POSTs (what a person would grep for first),
 * and every line and Traefik access-log entry from around a failed call's sending.
 */
async function unusualLogLines(): Promise<string[]> {
  const out: string[] = [];
  // Every pod, ready or not: a gateway whose readiness flapped under load is a suspect too.
  const all = async (namespace: string, selector: string) => (await (await core(c.kc)).listNamespacedPod({ namespace, labelSelector: selector })).items;
  const pods = [...(await all(GATEWAY_NAMESPACE, 'app.kubernetes.io/name=mcp-gateway')), ...(await all(NAMESPACE, 'app=notes'))];
  const sources: [string, string][] = pods.map((p): [string, string] => [p.metadata!.namespace!, p.metadata!.name!]);
  // A container that restarted took its log with it: say so, with how it ended and its last lines.
  for (const p of pods) {
    for (const cs of p.status?.containerStatuses ?? []) {
      if (cs.restartCount === 0) continue;
      const last = cs.lastState?.terminated;
      out.push(`${p.metadata!.name}: container ${cs.name} restarted ${cs.restartCount} times; last ended ${last?.finishedAt?.toISOString() ?? '?'}: ${last?.reason ?? '?'} (exit ${last?.exitCode ?? '?'})`);
      const previous = await (await core(c.kc)).readNamespacedPodLog({ namespace: p.metadata!.namespace!, name: p.metadata!.name!, previous: true, tailLines: 20 }).catch(() => '');
      out.push(...previous.split('\n').filter((l) => l.trim() !== '').map((l) => `${p.metadata!.name} (previous): ${l}`));
    }
  }
  for (const [namespace, pod] of sources) {
    for (const line of await podLog(namespace, pod).catch((error: Error) => [`(no log: ${error.message})`])) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        if (line.trim() !== '') out.push(`${pod}: ${line}`);
        continue;
      }
      // pino's numeric levels (the gateway) and the examples' names.
      const warning = (typeof entry.level === 'number' && entry.level >= 40) || entry.level === 'error';
      const badCall = typeof entry.tool === 'string' && entry.status !== 'ok';
      const slowOrFailedPost = entry.msg === 'request' && entry.method === 'POST' && (Number(entry.status) >= 400 || Number(entry.durationMs) >= 5_000);
      // Info, not a warning, for the gateway (a client may leave): here it says who cut a stream.
      const clientLeft = entry.msg === 'client left before the answer ended';
      if (warning || badCall || slowOrFailedPost || clientLeft || nearFailedCall(Date.parse(String(entry.time)))) out.push(`${pod}: ${line}`);
    }
  }
  // Traefik's own errors (a backend connection that broke, a timeout) come before the gateway's.
  const traefik = (await readFile(c.traefik.logFile, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim() !== '');
  const problems = traefik.filter((l) => /level=(warn|error)|"level":"(warn|error)"| ERR | WRN /i.test(l));
  out.push(...problems.slice(-40).map((l) => `traefik: ${l}`));
  // Traefik logs a backend body copy that broke off only at DEBUG: its last lines show what it did meanwhile.
  out.push(...traefik.slice(-15).map((l) => `traefik (tail): ${l}`));
  out.push(...(await unusualAccesses('/notes/')));
  return out;
}

/** True when [at, at + lastedMs] overlaps the moments around a failed call's sending. */
function nearFailedCall(at: number, lastedMs = 0): boolean {
  if (Number.isNaN(at)) return false;
  return failedCallTimes.some((sent) => at <= sent + 1_000 && at + lastedMs >= sent - 250);
}

/**
 * Traefik's access-log entries under `prefix` that did not end as a whole answer (an error status,
 * a status Traefik changed, a body shorter than the backend's) — those near a failed call first,
 * each with the other requests its client connection carried (ClientPort): which hop cut it.
 */
async function unusualAccesses(prefix: string): Promise<string[]> {
  const entries = (await accessLogEntries(c.traefik)).filter((e) => String(e.RequestPath ?? '').startsWith(prefix));
  if (entries.length === 0) return [];
  const broken = (e: Record<string, unknown>) =>
    Number(e.DownstreamStatus) >= 400 || e.DownstreamStatus !== e.OriginStatus || e.DownstreamContentSize !== e.OriginContentSize;
  const near = (e: Record<string, unknown>) => nearFailedCall(Date.parse(String(e.StartUTC)), Number(e.Duration) / 1e6);
  const fields = ['StartUTC', 'ClientPort', 'RequestMethod', 'OriginStatus', 'DownstreamStatus', 'OriginContentSize', 'DownstreamContentSize', 'Duration', 'OriginDuration', 'ServiceAddr', 'RetryAttempts'];
  const show = (label: string, e: Record<string, unknown>) => `traefik access (${label}): ${JSON.stringify(Object.fromEntries(fields.map((f) => [f, e[f]])))}`;
  const suspects = entries.filter((e) => broken(e) && near(e));
  const out = [`traefik access log: ${entries.length} requests under ${prefix}, ${entries.filter(broken).length} not whole, ${suspects.length} of them near a failed call`];
  for (const suspect of suspects.slice(0, 5)) {
    out.push(show('near a failed call', suspect));
    const sameConnection = entries.filter((e) => e !== suspect && e.ClientPort === suspect.ClientPort);
    out.push(...sameConnection.slice(-10).map((e) => show(`same client port ${String(suspect.ClientPort)}`, e)));
  }
  out.push(...entries.filter((e) => broken(e) && !near(e)).slice(-10).map((e) => show('not whole', e)));
  return out;
}

/** A JSON-RPC POST over HTTPS to the route, connecting to 127.0.0.1 with the route's host name for SNI and verification. */
function httpsPost(url: string, body: string, ca?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        servername: u.hostname,
        ...(ca === undefined ? {} : { ca }),
        lookup: lookupResolvingTo(),
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let sessions: NotesSession[] = [];

describeRealNode('the gateway on a real node', () => {
  beforeAll(async () => {
    c = await startRealCluster();
    servers = mcpServers(c.kc);
    // No verification for notes: the verifier's handshakes open sessions in every pod (and, as the
    // spec advises for probes, never DELETE them), which would blur the per-pod session counts below.
    await servers.create('notes', exampleSpec('notes', 3, { envVars: [{ name: 'ALLOWED_ORIGINS', value: '' }], verification: { enabled: false } }));
    await servers.create('weather', exampleSpec('weather', 2, { stateless: true }));
    for (const name of ['notes', 'weather']) {
      await servers.waitFor(name, 'Ready with every pod', (s) => s.phase === 'Ready' && s.readyReplicas === s.replicas);
      const { client, transport } = await waitFor(`an MCP session through /${name}/mcp`, () => routeClient(`/${name}/mcp`), { timeoutMs: 30_000, intervalMs: 500 });
      // DELETE: the session count per pod below starts from zero.
      await transport.terminateSession();
      await client.close();
    }
  }, 900_000);

  afterAll(async () => {
    for (const s of sessions) await s.client.close().catch(() => undefined);
    await c?.stop();
  }, 120_000);

  it('routes through the gateway and says sessions are safe; without it, a stateful server with 2 pods is flagged', async () => {
    const notes = await servers.status('notes');
    expect(condition(notes, 'Routed')).toMatchObject({ status: 'True', reason: 'GatewayRoute' });
    expect(condition(notes, 'SessionSafe')).toMatchObject({ status: 'True', reason: 'GatewayPinsSessions' });
    expect(condition(await servers.status('weather'), 'SessionSafe')).toMatchObject({ status: 'True', reason: 'Stateless' });

    await servers.create('notes-direct', exampleSpec('notes', 2, { ingressPath: '/notes-direct/mcp', gateway: { enabled: false } }));
    const direct = await servers.waitFor('notes-direct', 'SessionSafe reported', (s) => condition(s, 'SessionSafe') !== undefined && condition(s, 'Routed')?.status === 'True');
    expect(condition(direct, 'SessionSafe')).toMatchObject({ status: 'False', reason: 'StatefulWithoutGateway' });
    expect(condition(direct, 'SessionSafe')?.message).toContain('spec.gateway.enabled');
    // Opting out keeps the plain Ingress to the pods.
    expect(condition(direct, 'Routed')?.reason).toBe('IngressReady');
  }, 180_000);

  it('notes with 3 pods: 20 concurrent sessions x 20 calls through /notes/mcp, each answered by the pod that holds its session', async () => {
    sessions = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => ({ index, ...(await routeClient('/notes/mcp')), added: 0 })),
    );
    const failures = (await Promise.all(sessions.map((s) => addAndList(s, 20)))).flat();
    console.log(`[e2e gateway] 20 sessions x 20 calls through /notes/mcp: ${400 - failures.length} answered, ${failures.length} failed`);
    await explain(failures);
    expect(failures).toEqual([]);
    // The sessions are spread over the pods (not all pinned to one by accident).
    const perPod = await sessionsPerPod();
    console.log(`[e2e gateway] live sessions per notes pod: ${JSON.stringify(Object.fromEntries(perPod))}`);
    expect([...perPod.values()].reduce((a, b) => a + b, 0)).toBe(20);
    expect([...perPod.values()].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('a killed pod costs only its own sessions: they get 404 and initialize again, the others keep their notes', async () => {
    const perPod = await sessionsPerPod();
    const [victim, victimSessions] = [...perPod.entries()].sort((a, b) => b[1] - a[1])[0]!;
    expect(victimSessions).toBeGreaterThan(0);
    // A 1 s grace (SIGTERM, then SIGKILL), not 0: with 0 the API object goes at once while the
    // container may still answer for a moment; with a grace the object is removed only once the
    // kubelet has stopped the container, so "gone" below means the process is gone.
    await (await core(c.kc)).deleteNamespacedPod({ namespace: NAMESPACE, name: victim, gracePeriodSeconds: 1 });
    await waitFor(`pod ${victim} gone`, async () => (await (await core(c.kc)).listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=notes' })).items, {
      until: (pods) => !pods.some((p) => p.metadata?.name === victim),
      timeoutMs: 60_000,
      intervalMs: 250,
    });

    const lost: NotesSession[] = [];
    const otherFailures: string[] = [];
    for (const s of sessions) {
      const sentAt = Date.now();
      try {
        const r = await s.client.callTool({ name: 'list_notes', arguments: {} });
        const notes = (r.structuredContent as { notes?: unknown[] }).notes ?? [];
        if (notes.length !== s.added) otherFailures.push(`session ${s.index}: ${notes.length} notes, expected ${s.added}`);
      } catch (error) {
        if (httpStatusOf(error) === 404) lost.push(s);
        else {
          failedCallTimes.push(sentAt);
          otherFailures.push(`session ${s.index}: call sent ${new Date(sentAt).toISOString()}: ${(error as Error).message}`);
        }
      }
    }
    console.log(`[e2e gateway] after deleting ${victim} (${victimSessions} sessions): ${lost.length} sessions got 404, ${sessions.length - lost.length - otherFailures.length} unaffected`);
    await explain(otherFailures);
    expect(otherFailures).toEqual([]);
    expect(lost).toHaveLength(victimSessions);

    // As the protocol says: a 404 means initialize again; the new session works at once.
    for (const s of lost) {
      await s.client.close().catch(() => undefined);
      const fresh = { ...(await routeClient('/notes/mcp')), index: s.index, added: 0 };
      const failures = await addAndList(fresh, 4);
      await explain(failures);
      expect(failures).toEqual([]);
      sessions[sessions.indexOf(s)] = fresh;
    }
  }, 180_000);

  it('two gateway replicas: one session\'s requests alternate between them and stay pinned; tampered and foreign ids get 404', async () => {
    const gateways = await waitFor('2 ready gateway pods', () => readyPods(GATEWAY_NAMESPACE, 'app.kubernetes.io/name=mcp-gateway'), {
      until: (pods) => pods.length === 2,
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const ips = gateways.map((p) => p.status!.podIP!);
    const used = new Map<string, number>();
    let turn = 0;
    // Straight to a gateway pod, alternating.
    const alternating = gatewayPodFetch(`${NAMESPACE}/notes`, () => {
      const ip = ips[turn++ % ips.length]!;
      used.set(ip, (used.get(ip) ?? 0) + 1);
      return ip;
    });
    const s: NotesSession = { index: 100, ...(await routeClient('/notes/mcp', alternating)), added: 0 };
    expect(await addAndList(s, 12)).toEqual([]);
    expect([...used.values()].every((n) => n >= 5)).toBe(true);

    const sealed = s.transport.sessionId!;
    expect(sealed).toMatch(/^[\x21-\x7e]+$/);
    const post = (url: string, session: string) =>
      c.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
    const flipped = sealed.slice(0, 10) + (sealed[10] === 'A' ? 'B' : 'A') + sealed.slice(11);
    expect((await post(`${c.base}/notes/mcp`, flipped)).status).toBe(404);
    // The same id on another server's path: sealed for notes, so it does not open for weather.
    expect((await post(`${c.base}/weather/mcp`, sealed)).status).toBe(404);
    expect((await post(`${c.base}/notes/mcp`, sealed)).status).toBe(200);
    await s.client.close();
  }, 120_000);

  it('counts every tools/call per server and tool, and audits each without arguments or raw session ids', async () => {
    const gateways = await readyPods(GATEWAY_NAMESPACE, 'app.kubernetes.io/name=mcp-gateway');
    let addNote = 0;
    let histogramCount = 0;
    let opened = 0;
    for (const pod of gateways) {
      const text = await (await fetch(`http://${pod.status!.podIP!}:9090/metrics`)).text();
      const value = (re: RegExp) => [...text.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
      addNote += value(/^mcp_gateway_requests_total\{[^}]*server="mcp-servers\/notes"[^}]*method="tools\/call"[^}]*tool="add_note"[^}]*\} (\d+)/gm);
      histogramCount += value(/^mcp_gateway_request_duration_seconds_count\{[^}]*server="mcp-servers\/notes"[^}]*tool="list_notes"[^}]*\} (\d+)/gm);
      opened += value(/^mcp_gateway_sessions_opened_total\{[^}]*server="mcp-servers\/notes"[^}]*\} (\d+)/gm);
    }
    expect(addNote).toBeGreaterThanOrEqual(200);
    expect(histogramCount).toBeGreaterThanOrEqual(200);
    expect(opened).toBeGreaterThanOrEqual(20);

    const audit = (await Promise.all(gateways.map((p) => podLog(GATEWAY_NAMESPACE, p.metadata!.name!))))
      .flat()
      .filter((l) => l.includes('"event":"tools/call"'));
    const notesLines = audit.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.server === 'mcp-servers/notes');
    expect(notesLines.length).toBeGreaterThanOrEqual(400);
    expect(notesLines[0]).toEqual(
      expect.objectContaining({ tool: expect.stringMatching(/^(add_note|list_notes)$/), status: expect.any(String), httpStatus: expect.any(Number), durationMs: expect.any(Number) }),
    );
    expect(notesLines.every((l) => !('arguments' in l) && !('result' in l))).toBe(true);
    // Arguments never appear, nor the session ids clients hold.
    const joined = audit.join('\n');
    expect(joined).not.toContain('note 1');
    for (const s of sessions) expect(joined).not.toContain(s.transport.sessionId!);
  }, 60_000);

  it('a rolling update of the gateway under a steady stream of tool calls to a stateless server fails no call', async () => {
    const k8s = await import('@kubernetes/client-node');
    const apps = c.kc.makeApiClient(k8s.AppsV1Api);
    const before = await apps.readNamespacedDeployment({ name: 'mcp-gateway', namespace: GATEWAY_NAMESPACE });
    const oldPods = (await readyPods(GATEWAY_NAMESPACE, 'app.kubernetes.io/name=mcp-gateway')).map((p) => p.metadata!.name!);

    const { client } = await routeClient('/weather/mcp');
    let calls = 0;
    const failures: string[] = [];
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        calls++;
        try {
          const r = await client.callTool({ name: 'convert_temperature', arguments: { value: calls, from: 'celsius', to: 'kelvin' } });
          if (r.isError === true) failures.push(JSON.stringify(r.content));
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    })();
    // What `kubectl rollout restart` does: a new template annotation.
    await apps.patchNamespacedDeployment(
      { name: 'mcp-gateway', namespace: GATEWAY_NAMESPACE, body: { spec: { template: { metadata: { annotations: { 'e2e.mcp-runtime/restartedAt': new Date().toISOString() } } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await waitFor(
      'the gateway rolled out and every old pod gone',
      async () => ({
        d: await apps.readNamespacedDeployment({ name: 'mcp-gateway', namespace: GATEWAY_NAMESPACE }),
        pods: (await (await core(c.kc)).listNamespacedPod({ namespace: GATEWAY_NAMESPACE, labelSelector: 'app.kubernetes.io/name=mcp-gateway' })).items,
      }),
      {
        until: ({ d, pods }) =>
          d.metadata!.generation! > before.metadata!.generation! &&
          d.status?.observedGeneration === d.metadata!.generation &&
          d.status?.updatedReplicas === 2 &&
          d.status?.availableReplicas === 2 &&
          pods.length === 2 &&
          pods.every((p) => !oldPods.includes(p.metadata!.name!)),
        timeoutMs: 180_000,
        intervalMs: 500,
      },
    );
    streaming = false;
    await stream;
    await client.close();
    console.log(`[e2e gateway] gateway rolling update: ${calls} tool calls to weather, ${failures.length} failed`);
    expect(calls).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  }, 240_000);

  it('OAuth through Traefik: a 401 points to the metadata, and the MCP SDK client gets a token from a real OpenID provider and calls a tool', async () => {
    // The provider listens on the node's address, which the gateway pods reach (as they reach the API server).
    const agent = { clientId: 'e2e-agent', clientSecret: randomBytes(24).toString('base64url'), scope: 'mcp:tools' };
    const provider = await startOidcProvider({ host: NODE_IP, clients: [agent] });
    try {
      await servers.create('weather-secure', exampleSpec('weather', 1, { ingressPath: '/weather-secure/mcp', stateless: true, auth: { issuer: provider.issuer, scopes: ['mcp:tools'] } }));
      await servers.waitFor('weather-secure', 'Ready and routed', (s) => s.phase === 'Ready' && condition(s, 'Routed')?.status === 'True');
      const url = `${c.base}/weather-secure/mcp`;
      const metadataUrl = `${c.base}/.well-known/oauth-protected-resource/weather-secure/mcp`;
      // Traefik may take a moment to load the new route: wait for the gateway's 401.
      const refused = await waitFor(
        'the 401 of /weather-secure/mcp',
        () => c.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) }),
        { until: (r) => r.status === 401, timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(refused.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl}", scope="mcp:tools"`);
      const metadata = await waitFor('the metadata through Traefik', () => c.fetch(metadataUrl), { until: (r) => r.status === 200, timeoutMs: 30_000, intervalMs: 250 });
      const document = await metadata.json();
      expect(document).toMatchObject({ resource: url, authorization_servers: [provider.issuer], scopes_supported: ['mcp:tools'] });
      // RFC 9728's root fallback, for clients that got no resource_metadata: the only protected server on this host answers it.
      const root = await waitFor('the root metadata through Traefik', () => c.fetch(`${c.base}/.well-known/oauth-protected-resource`), { until: (r) => r.status === 200, timeoutMs: 30_000, intervalMs: 250 });
      expect(await root.json()).toEqual(document);

      const authProvider = new ClientCredentialsProvider({ ...agent, expectedIssuer: provider.issuer });
      const client = new Client({ name: 'mcp-runtime-e2e-oauth', version: '0.1.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: c.fetch, authProvider }));
      const result = await client.callTool({ name: 'get_forecast', arguments: { city: 'Amsterdam' } });
      expect(result.isError).not.toBe(true);
      await client.close();
      // A token for another server's URL is refused here.
      const foreign = await provider.token({ clientId: agent.clientId, resource: `${c.base}/weather/mcp` });
      const wrongAudience = await c.fetch(url, { method: 'POST', headers: { authorization: `Bearer ${foreign}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
      expect(wrongAudience.status).toBe(401);
      expect(wrongAudience.headers.get('www-authenticate')).toContain('error="invalid_token"');
      console.log(`[e2e gateway] OAuth through Traefik: 401 with resource_metadata, metadata served (path-inserted and root), SDK client-credentials call answered, foreign-audience token refused`);
    } finally {
      await provider.stop();
    }
  }, 240_000);

  it('TLS: after setup --with-tls every route is HTTPS with the platform certificate: a client trusting the test CA calls a tool, one that does not is refused, plain HTTP redirects', async () => {
    const ca = await createTestCa();
    try {
      const { certPem, keyPem } = await ca.issueServerCert(INGRESS_HOST);
      const b64 = (pem: string) => Buffer.from(pem).toString('base64');
      await (await core(c.kc)).createNamespacedSecret({
        namespace: 'traefik',
        body: { metadata: { name: 'platform-tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(certPem), 'tls.key': b64(keyPem) } },
      });
      const secureBase = await c.enableTls('platform-tls');
      // Traefik was restarted: its plain-HTTP port is a new one.
      const plainBase = `http://${INGRESS_HOST}:${c.traefik.webPort}`;
      const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_forecast', arguments: { city: 'Amsterdam' } } });
      // The restarted operator moves each route to the HTTPS entry point.
      const answered = await waitFor('weather over HTTPS', () => httpsPost(`${secureBase}/weather/mcp`, call, ca.caPem).catch((error: Error) => ({ status: 0, body: error.message })), {
        until: (r) => r.status === 200,
        timeoutMs: 90_000,
        intervalMs: 500,
      });
      expect((JSON.parse(answered.body) as { result?: unknown }).result).toBeDefined();
      // The system's CA store does not know the test CA: the handshake fails.
      await expect(httpsPost(`${secureBase}/weather/mcp`, call)).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNED|VERIFY|ISSUER/) });
      // Plain HTTP only redirects.
      const redirect = await c.fetch(`${plainBase}/weather/mcp`, { method: 'POST', body: call, redirect: 'manual', headers: { 'content-type': 'application/json' } });
      expect([301, 302, 307, 308]).toContain(redirect.status);
      expect(redirect.headers.get('location')).toMatch(/^https:\/\//);
      // And the status says where clients connect now.
      const weather = await servers.waitFor('weather', 'an https URL', (st) => st.url?.startsWith('https://') === true);
      expect(weather.url).toBe(`https://${INGRESS_HOST}/weather/mcp`);
      console.log(`[e2e gateway] TLS: tools/call over HTTPS with the test CA answered, untrusted client refused, HTTP ${redirect.status} redirect`);
    } finally {
      await ca.remove();
    }
  }, 300_000);
});
