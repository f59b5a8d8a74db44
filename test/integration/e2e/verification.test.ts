/**
 * The operator verifies servers over MCP, on a real node with real pods (real-node-cluster.ts):
 * every ready pod gets an MCP handshake from the operator (its pods run the platform image on the
 * real node and dial the server pods' IPs over the CNI bridge), and status says what it found.
 * Each broken server gets its documented reason, and fixing its spec recovers. The catalog's pods
 * serve what the operator found, reached through Traefik as clients reach them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CoreV1Event } from '@kubernetes/client-node';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { waitFor } from '../../../src/local-cluster/index.js';
import { condition, mcpServers, NAMESPACE, type Servers } from './mcpservers.js';
import { INGRESS_HOST, realNodeUnsupported, startRealCluster, type RealCluster } from './real-node-cluster.js';
import { LIVE_META_KEY as LIVE, type LiveMeta } from '../../../src/catalog/types.js';
import { registrySchemaErrors } from '../../fixtures/mcp-registry/validator.js';

interface CatalogEntry {
  server: { name: string; remotes?: { type: string; url: string }[] };
  _meta: Record<string, LiveMeta | undefined>;
}
const entry = (list: CatalogEntry[], name: string) => list.find((e) => e._meta[LIVE]?.name === name);

const unsupported = realNodeUnsupported();
if (unsupported !== undefined) console.warn(`[e2e verification] skipped: ${unsupported}`);
const describeRealNode = unsupported === undefined ? describe : describe.skip;

let c: RealCluster;
let servers: Servers;

const WEATHER_TOOLS = ['convert_temperature', 'get_forecast'];
const NOTES_TOOLS = ['add_note', 'list_notes'];

const spec = (example: 'weather' | 'notes', extra: Record<string, unknown> = {}) => ({
  image: c.image(example),
  port: 8088,
  replicas: 1,
  probe: { type: 'http', path: '/healthz' },
  ...extra,
});

const verified = (name: string, reason: string, status: 'True' | 'False' | 'Unknown' = 'False') =>
  servers.waitFor(name, `Verified=${status} (${reason})`, (s) => condition(s, 'Verified')?.status === status && condition(s, 'Verified')?.reason === reason);

async function events(name: string): Promise<CoreV1Event[]> {
  const k8s = await import('@kubernetes/client-node');
  const list = await c.kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({ namespace: NAMESPACE, fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

describeRealNode('the operator verifies servers over MCP on a real node', () => {
  beforeAll(async () => {
    c = await startRealCluster();
    servers = mcpServers(c.kc);
    const k8s = await import('@kubernetes/client-node');
    // The token reaches the pod from a Secret, never from the manifest.
    await c.kc.makeApiClient(k8s.CoreV1Api).createNamespacedSecret({
      namespace: NAMESPACE,
      body: { metadata: { name: 'guarded-token' }, stringData: { token: 'e2e-secret-token' } },
    });
    // The two examples are verified again every 30 s (the operator's default is 300 s): the
    // last test waits for such a round.
    const every30s = { verification: { intervalSeconds: 30 } };
    await Promise.all([
      servers.create('weather', spec('weather', every30s)),
      servers.create('notes', spec('notes', { ...every30s, envVars: [{ name: 'ALLOWED_ORIGINS', value: '' }] })),
      // Listens and answers HTTP, but not MCP, on the path the operator is told to use.
      servers.create('not-mcp', spec('weather', { containerPath: '/healthz' })),
      // Nothing listens on spec.port (the image listens on 8088); no probe, so the pod is ready.
      servers.create('wrong-port', spec('weather', { port: 9090, probe: { type: 'none' } })),
      // An off-the-shelf server (tcp probe: it has no health path).
      servers.create('everything', { image: c.image('everything'), port: 3001 }),
      servers.create('guarded', spec('weather', { secretEnvVars: [{ name: 'AUTH_TOKEN', secretKeyRef: { name: 'guarded-token', key: 'token' } }] })),
    ]);
  }, 900_000);

  afterAll(async () => {
    await c?.stop();
  }, 120_000);

  it('both examples become Verified with their exact tool lists, shown by `server tools` and `server list`', async () => {
    for (const [name, tools] of [['weather', WEATHER_TOOLS], ['notes', NOTES_TOOLS]] as const) {
      const status = await verified(name, 'Verified', 'True');
      expect(status.mcp).toMatchObject({ serverInfo: { name, version: '0.1.0' }, toolCount: tools.length, podsReady: 1, podsVerified: 1 });
      expect(status.mcp?.tools.map((t) => t.name)).toEqual(tools);
      expect(status.mcp?.capabilities).toContain('tools');
      expect(status.phase).toBe('Ready');
      const out = await c.cli('server', 'tools', name, '-o', 'json', '--kubeconfig', c.cp.kubeconfigPath);
      expect(out.code).toBe(0);
      expect((JSON.parse(out.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual(tools);
    }
    // The off-the-shelf server: status lists exactly what the pod itself lists.
    const everything = await verified('everything', 'Verified', 'True');
    const k8s = await import('@kubernetes/client-node');
    const [pod] = (await c.kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=everything' })).items;
    const direct = new Client({ name: 'e2e-direct', version: '1' });
    await direct.connect(new StreamableHTTPClientTransport(new URL(`http://${pod!.status!.podIP}:3001/mcp`)));
    const listed = (await direct.listTools()).tools.map((t) => t.name).sort();
    await direct.close();
    expect(listed.length).toBeGreaterThan(3);
    expect(everything.mcp?.toolCount).toBe(listed.length);
    expect(everything.mcp?.tools.map((t) => t.name)).toEqual(listed);
    console.log(`[e2e verification] everything: ${listed.length} tools verified: ${listed.join(', ')}`);

    const list = await c.cli('server', 'list', '--kubeconfig', c.cp.kubeconfigPath);
    const weatherRow = list.stdout.split('\n').find((l) => l.startsWith('weather '));
    expect(weatherRow?.split(/\s+/).slice(0, 6)).toEqual(['weather', NAMESPACE, 'Ready', '1/1', 'True', '2']);
    expect((await events('weather')).some((e) => e.reason === 'Verified')).toBe(true);
  }, 300_000);

  it('the catalog lists exactly the published servers with their live, verified state, valid per the official schema', async () => {
    await servers.create('hidden', spec('weather', { catalog: { publish: false } }));
    // The catalog's pods, through Traefik on the platform host (its Ingress: /v0.1 and /).
    const list = await waitFor(
      'the catalog to list the verified examples',
      async () => (await (await c.fetch(`${c.base}/v0.1/servers?limit=100`)).json()) as { servers: CatalogEntry[] },
      { until: (l) => ['weather', 'notes', 'everything'].every((n) => entry(l.servers, n)?._meta[LIVE]?.verified === true), timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(registrySchemaErrors('ServerList', list)).toEqual([]);
    const k8s = await import('@kubernetes/client-node');
    const all = (await c.kc.makeApiClient(k8s.CustomObjectsApi).listNamespacedCustomObject({ group: 'mcp.agent-hellboy.io', version: 'v1alpha1', namespace: NAMESPACE, plural: 'mcpservers' })) as {
      items: { metadata: { name: string } }[];
    };
    const published = all.items.map((i) => i.metadata.name).filter((n) => n !== 'hidden').sort();
    expect(list.servers.map((s) => s._meta[LIVE]!.name).sort()).toEqual(published);
    const weather = entry(list.servers, 'weather')!;
    expect(weather.server.remotes).toEqual([{ type: 'streamable-http', url: `http://${INGRESS_HOST}/weather/mcp` }]);
    expect(weather._meta[LIVE]).toMatchObject({ ready: true, verified: true, verifiedReason: 'Verified', authRequired: false, tools: WEATHER_TOOLS, toolCount: 2 });
    expect(entry(list.servers, 'guarded')!._meta[LIVE]).toMatchObject({ verified: true, verifiedReason: 'AuthRequired', authRequired: true });
    expect(entry(list.servers, 'not-mcp')!._meta[LIVE]).toMatchObject({ ready: true, verified: false, verifiedReason: 'NotMCP' });
    // The catalog page shows the same servers (names escaped into HTML, the hidden one absent).
    const page = await (await c.fetch(`${c.base}/`)).text();
    for (const name of published) expect(page).toContain(`${NAMESPACE}/${name}`);
    expect(page).not.toContain(`${NAMESPACE}/hidden`);
    console.log(`[e2e verification] catalog: ${list.servers.length} servers listed and on the page (hidden one absent), schema-valid`);
  }, 300_000);

  it('once settled, a whole verification round (seen by the servers themselves) writes nothing', async () => {
    const names = ['weather', 'notes', 'everything', 'not-mcp', 'wrong-port', 'guarded', 'hidden'];
    for (const name of names) {
      await servers.waitFor(name, 'Ready with a verification verdict', (s) => s.phase === 'Ready' && ['True', 'False'].includes(condition(s, 'Verified')?.status ?? ''));
    }
    const k8s = await import('@kubernetes/client-node');
    const core = c.kc.makeApiClient(k8s.CoreV1Api);
    const custom = c.kc.makeApiClient(k8s.CustomObjectsApi);
    const versions = async () => {
      const list = (await custom.listNamespacedCustomObject({ group: 'mcp.agent-hellboy.io', version: 'v1alpha1', namespace: NAMESPACE, plural: 'mcpservers' })) as {
        items: { metadata: { name: string; resourceVersion: string } }[];
      };
      return Object.fromEntries(list.items.map((i) => [i.metadata.name, i.metadata.resourceVersion]));
    };
    const before = await versions();
    const since = new Date();
    // The examples log every request: POSTs to /mcp after `since` are the verifier's next round
    // (nothing else calls these pods now; the kubelet probes /healthz).
    const verifiedAgain = async (app: string) => {
      const pods = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `app=${app}` })).items;
      const logs = await Promise.all(pods.map((p) => core.readNamespacedPodLog({ name: p.metadata!.name!, namespace: NAMESPACE })));
      return logs.every((log) =>
        log.split('\n').some((line) => {
          if (!line.startsWith('{')) return false;
          const entry = JSON.parse(line) as { msg?: string; method?: string; path?: string; time?: string };
          return entry.msg === 'request' && entry.method === 'POST' && entry.path === '/mcp' && new Date(entry.time ?? 0) > since;
        }),
      );
    };
    // weather and notes ask for a round every 30 s (jittered by up to 10 %).
    await waitFor('a new verification round on weather and notes', async () => (await verifiedAgain('weather')) && (await verifiedAgain('notes')), {
      until: (done) => done,
      timeoutMs: 90_000,
      intervalMs: 2000,
    });
    expect(await versions()).toEqual(before);
  }, 300_000);

  it('a server that listens but is not MCP is NotMCP; pointing containerPath at /mcp recovers', async () => {
    const status = await verified('not-mcp', 'NotMCP');
    expect(condition(status, 'Verified')?.message).toMatch(/HTTP 404.*spec\.containerPath/s);
    // Serving and verified are separate: the pod is ready, the route is up.
    expect(status.phase).toBe('Ready');
    await servers.patch('not-mcp', { containerPath: '/mcp' });
    const fixed = await verified('not-mcp', 'Verified', 'True');
    expect(fixed.mcp?.tools.map((t) => t.name)).toEqual(WEATHER_TOOLS);
  }, 300_000);

  it('a server on the wrong port is Unreachable, naming spec.port; the right port recovers', async () => {
    const status = await verified('wrong-port', 'Unreachable');
    expect(condition(status, 'Verified')?.message).toMatch(/ECONNREFUSED.*spec\.port/s);
    expect((await events('wrong-port')).some((e) => e.reason === 'VerificationFailed' && e.type === 'Warning')).toBe(true);
    await servers.patch('wrong-port', { port: 8088 });
    await verified('wrong-port', 'Verified', 'True');
  }, 300_000);

  it('a server answering 401 is reachable and protected: Verified=True, reason AuthRequired, no tools', async () => {
    const status = await verified('guarded', 'AuthRequired', 'True');
    expect(condition(status, 'Verified')?.message).toContain('401');
    expect(status.mcp).toBeUndefined();
  }, 300_000);

  it('only ready pods are verified: a pod that cannot be scheduled is counted by Ready, not by Verified', async () => {
    const k8s = await import('@kubernetes/client-node');
    const core = c.kc.makeApiClient(k8s.CoreV1Api);
    const [node] = (await core.listNode({ labelSelector: 'type!=kwok' })).items;
    // Two replicas that each take 60 % of the CPU still free on the real node: one runs, the
    // other stays Pending (Insufficient cpu).
    const scheduled = (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node!.metadata!.name},status.phase!=Succeeded,status.phase!=Failed` })).items;
    const requested = scheduled.flatMap((p) => p.spec?.containers ?? []).reduce((sum, ct) => sum + parseCpu(ct.resources?.requests?.cpu ?? '0'), 0);
    const free = parseCpu(node!.status!.allocatable!.cpu!) - requested;
    const cpu = `${Math.floor(free * 0.6 * 1000)}m`;
    await servers.create('half', spec('weather', { replicas: 2, resources: { requests: { cpu }, limits: { cpu } } }));
    const partly = await servers
      .waitFor('half', 'one of two pods verified', (s) => s.mcp?.podsVerified === 1 && condition(s, 'Verified')?.status === 'True')
      .catch(async (error: Error) => {
        const pods = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=half' })).items;
        const why = pods.map((p) => `${p.metadata?.name} ${p.status?.phase} ${JSON.stringify(p.status?.conditions?.map((x) => [x.type, x.status, x.reason, x.message]))}`);
        throw new Error(`${error.message}\nnode ${node!.metadata!.name}: allocatable ${node!.status!.allocatable!.cpu}, requested ${requested}, asked ${cpu} per pod\n${why.join('\n')}`);
      });
    expect(partly.phase).toBe('PartiallyReady');
    expect(partly.readyReplicas).toBe(1);
    expect(partly.mcp?.podsReady).toBe(1);
    await servers.patch('half', { resources: { requests: { cpu: '50m' }, limits: { cpu: '500m' } } });
    const whole = await servers.waitFor('half', 'two of two pods verified', (s) => s.mcp?.podsVerified === 2 && s.phase === 'Ready');
    expect(condition(whole, 'Verified')?.message).toContain('2/2 ready pods speak MCP');
  }, 300_000);

  it('a new image with other tools updates status.mcp.tools and emits ToolsChanged naming them', async () => {
    await servers.patch('weather', { image: c.image('notes'), envVars: [{ name: 'ALLOWED_ORIGINS', value: '' }] });
    const status = await servers.waitFor('weather', 'the new image\'s tools in status', (s) => s.mcp?.tools.map((t) => t.name).join() === NOTES_TOOLS.join() && s.mcp?.podsVerified === 1);
    expect(status.mcp?.serverInfo.name).toBe('notes');
    const changed = await waitFor('a ToolsChanged Event on weather', async () => (await events('weather')).find((e) => e.reason === 'ToolsChanged'), {
      until: (e) => e !== undefined,
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    expect(changed?.message).toContain('added add_note, list_notes; removed convert_temperature, get_forecast');
  }, 300_000);

  it('spec.verification.enabled: false turns verification off for that server (Unknown, Disabled); removing it turns it back on', async () => {
    await servers.patch('notes', { verification: { enabled: false } });
    const off = await verified('notes', 'Disabled', 'Unknown');
    expect(off.mcp).toBeUndefined();
    await servers.patch('notes', { verification: null });
    const on = await verified('notes', 'Verified', 'True');
    expect(on.mcp?.tools.map((t) => t.name)).toEqual(NOTES_TOOLS);
  }, 180_000);
});

/** A Kubernetes CPU quantity ("2", "1500m") in cores. */
function parseCpu(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}
