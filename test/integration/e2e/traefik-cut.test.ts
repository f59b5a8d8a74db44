/**
 * A known failure, kept as a reproduction (opt-in: MCP_E2E_TRAEFIK_CUT=1; it takes ~3 min and is
 * expected to fail until it is fixed). Through Traefik, about 1 tool call in 1,000–7,000 loses
 * its answer: Traefik's read of the backend's SSE body fails with "use of closed network
 * connection" on its own side, its recovery middleware aborts the client's connection after the
 * 200 headers ("net/http: abort Handler"), and the client waits until its timeout. The same calls
 * straight to a gateway pod lose none. Ten sessions call a notes pod through Traefik without the
 * gateway, ten call a gateway pod directly; both groups must lose nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { waitFor } from '../../../src/local-cluster/index.js';
import { accessLogEntries, gatewayPodFetch } from './gateway-access.js';
import { mcpServers, NAMESPACE, type Servers } from './mcpservers.js';
import { realNodeUnsupported, startRealCluster, type RealCluster } from './real-node-cluster.js';

const CALL_SECONDS = 60;
const wanted = process.env.MCP_E2E_TRAEFIK_CUT === '1' && realNodeUnsupported() === undefined;
const describeWanted = wanted ? describe : describe.skip;

let c: RealCluster;
let servers: Servers;
const notesSpec = (replicas: number, extra: Record<string, unknown>) => ({
  image: c.image('notes'), port: 8088, replicas, probe: { type: 'http', path: '/healthz' },
  envVars: [{ name: 'ALLOWED_ORIGINS', value: '' }], verification: { enabled: false }, ...extra,
});

describeWanted('Traefik cutting answers (known failure, opt-in)', () => {
  beforeAll(async () => {
    c = await startRealCluster();
    servers = mcpServers(c.kc);
    await servers.create('notes', notesSpec(2, { ingressPath: '/notes/mcp' }));
    await servers.create('notes-direct', notesSpec(1, { ingressPath: '/notes-direct/mcp', gateway: { enabled: false } }));
    for (const name of ['notes', 'notes-direct']) await servers.waitFor(name, 'every pod ready', (s) => s.phase === 'Ready' && s.readyReplicas === s.replicas);
    await waitFor('the route /notes-direct/mcp', () => connect(`${c.base}/notes-direct/mcp`, c.fetch).then((client) => client.close().then(() => true)), { timeoutMs: 60_000, intervalMs: 500 });
  }, 900_000);

  afterAll(async () => {
    await c?.stop();
  }, 120_000);

  it(`loses no answer in ${CALL_SECONDS} s of calls, through Traefik or straight to a gateway pod`, async () => {
    const core = c.kc.makeApiClient((await import('@kubernetes/client-node')).CoreV1Api);
    const gatewayIp = (await core.listNamespacedPod({ namespace: 'mcp-gateway' })).items.find((p) => p.status?.podIP !== undefined)!.status!.podIP!;
    const toGateway = gatewayPodFetch(`${NAMESPACE}/notes`, () => gatewayIp);
    const groups = { 'through Traefik': { ok: 0, lost: [] as string[] }, 'straight to a gateway pod': { ok: 0, lost: [] as string[] } };
    const clients = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => ({
        group: i < 10 ? groups['through Traefik'] : groups['straight to a gateway pod'],
        client: i < 10 ? await connect(`${c.base}/notes-direct/mcp`, c.fetch) : await connect(`${c.base}/notes/mcp`, toGateway),
      })),
    );
    const until = Date.now() + CALL_SECONDS * 1000;
    await Promise.all(
      clients.map(async ({ group, client }) => {
        while (Date.now() < until) {
          const sent = new Date().toISOString();
          try {
            await client.callTool({ name: 'list_notes', arguments: {} }, undefined, { timeout: 5_000 });
            group.ok++;
          } catch (error) {
            group.lost.push(`${sent}: ${(error as Error).message}`);
          }
        }
        await client.close();
      }),
    );
    const cut = (await accessLogEntries(c.traefik)).filter((e) => String(e.RequestPath).startsWith('/notes-direct/') && e.OriginStatus === 0 && e.DownstreamStatus === 200);
    console.log(`[traefik cut] ${Object.entries(groups).map(([name, g]) => `${name}: ${g.ok} answered, ${g.lost.length} lost`).join('; ')}; Traefik entries with headers but no origin answer: ${cut.length}`);
    expect(Object.fromEntries(Object.entries(groups).map(([name, g]) => [name, g.lost.slice(0, 5)]))).toEqual({ 'through Traefik': [], 'straight to a gateway pod': [] });
  }, 600_000);
});

async function connect(url: string, fetchImpl: typeof fetch): Promise<Client> {
  const client = new Client({ name: 'mcp-runtime-e2e-traefik-cut', version: '0.1.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: fetchImpl }));
  return client;
}
