/**
 * End to end through the route, on a real node with a real Traefik and the platform registry
 * (real-node-cluster.ts): every request below goes http://<host>:<port>/<name>/mcp → Traefik →
 * the path Middleware → the gateway's pods → a container the node pulled and probed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { waitFor } from '../../../src/local-cluster/index.js';
import { installConformanceRunner, runConformanceSuite, type ConformanceRunner } from '../../conformance/conformance-suite.js';
import { realNodeUnsupported, startRealCluster, type RealCluster } from './real-node-cluster.js';

const NAMESPACE = 'mcp-servers';
const EVERYTHING_PORT = 3001;
const unsupported = realNodeUnsupported();
if (unsupported !== undefined) console.warn(`[e2e real node] skipped: ${unsupported}`);
const describeRealNode = unsupported === undefined ? describe : describe.skip;

let c: RealCluster;
/** Installed (or found in the cache) while the cluster starts; awaited by the conformance test. */
let conformanceRunner: Promise<ConformanceRunner>;

interface ServerStatus {
  phase?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

async function custom() {
  const k8s = await import('@kubernetes/client-node');
  return c.kc.makeApiClient(k8s.CustomObjectsApi);
}

async function createServer(name: string, spec: Record<string, unknown>): Promise<void> {
  await (await custom()).createNamespacedCustomObject({
    group: 'mcp.agent-hellboy.io',
    version: 'v1alpha1',
    namespace: NAMESPACE,
    plural: 'mcpservers',
    body: { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name, namespace: NAMESPACE }, spec },
  });
}

async function serverStatus(name: string): Promise<ServerStatus> {
  const obj = (await (await custom()).getNamespacedCustomObject({
    group: 'mcp.agent-hellboy.io',
    version: 'v1alpha1',
    namespace: NAMESPACE,
    plural: 'mcpservers',
    name,
  })) as { status?: ServerStatus };
  return obj.status ?? {};
}

const exampleSpec = (example: 'weather' | 'notes', replicas: number) => ({
  ingressPath: `/${example}/mcp`,
  image: c.image(example),
  port: 8088,
  replicas,
  probe: { type: 'http', path: '/healthz' },
  ...(example === 'notes' ? { envVars: [{ name: 'ALLOWED_ORIGINS', value: '' }] } : {}),
});

async function mcpClient(path: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'mcp-runtime-e2e', version: '0.1.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${c.base}${path}`), { fetch: c.fetch });
  await client.connect(transport);
  return { client, transport };
}

describeRealNode('through the route on a real node', () => {
  beforeAll(async () => {
    conformanceRunner = installConformanceRunner();
    conformanceRunner.catch(() => undefined); // reported by the conformance test, not as unhandled
    c = await startRealCluster();
    console.log(`[e2e real node] images built and pushed (s): ${JSON.stringify(c.imageSeconds)}`);
    await createServer('weather', exampleSpec('weather', 2));
    await createServer('notes', exampleSpec('notes', 1));
    // server-everything has no health endpoint: the default probe (TCP on its port) applies.
    await createServer('everything', { image: c.image('everything'), port: EVERYTHING_PORT, ingressPath: '/everything/mcp' });
    for (const name of ['weather', 'notes', 'everything']) {
      await waitFor(`${name} Ready`, () => serverStatus(name), { until: (s) => s.phase === 'Ready', timeoutMs: 180_000, intervalMs: 1000 });
      // Ready means the route is published; Traefik serves it after its next refresh (~2 s).
      const { client } = await waitFor(`an MCP session through /${name}/mcp`, () => mcpClient(`/${name}/mcp`), { timeoutMs: 30_000, intervalMs: 500 });
      await client.close();
    }
  }, 900_000);

  afterAll(async () => {
    await c?.stop();
  }, 120_000);

  it('notes: a session, its GET stream and DELETE, all through /notes/mcp', async () => {
    const url = `${c.base}/notes/mcp`;
    const post = (body: unknown, session?: string) =>
      c.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(session === undefined ? {} : { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' }),
        },
        body: JSON.stringify(body),
      });
    const init = await post({
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } },
    });
    expect(init.status).toBe(200);
    const session = init.headers.get('mcp-session-id');
    expect(session).toMatch(/\S+/);
    await init.text();
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session!)).status).toBe(202);
    const added = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'add_note', arguments: { text: 'via Traefik' } } }, session!);
    expect(added.status).toBe(200);
    expect(await added.text()).toContain('Saved note 1');

    const abort = new AbortController();
    const stream = await c.fetch(url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-session-id': session!, 'mcp-protocol-version': '2025-06-18' },
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    abort.abort();
    await stream.body?.cancel().catch(() => undefined);

    const deleted = await c.fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': session!, 'mcp-protocol-version': '2025-06-18' } });
    expect(deleted.status).toBe(200);
    const after = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_notes', arguments: {} } }, session!);
    expect(after.status).toBe(404);
  }, 60_000);

  it('weather with 2 replicas: tool calls reach both pods, and `server logs` shows the containers\' real output', async () => {
    const { client } = await mcpClient('/weather/mcp');
    for (let i = 0; i < 12; i++) {
      const result = await client.callTool({ name: 'convert_temperature', arguments: { value: i, from: 'celsius', to: 'kelvin' } });
      expect(result.isError).not.toBe(true);
    }
    await client.close();
    const k8s = await import('@kubernetes/client-node');
    const pods = await c.kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=weather' });
    const names = pods.items.map((p) => p.metadata!.name!);
    expect(names).toHaveLength(2);
    const logs = await waitFor(
      'request lines of both pods in `server logs weather`',
      async () => (await c.cli('server', 'logs', 'weather', '-n', NAMESPACE, '--kubeconfig', c.cp.kubeconfigPath)).stdout,
      { until: (out) => names.every((n) => out.split('\n').some((l) => l.includes(n) && l.includes('"msg":"request"'))), timeoutMs: 30_000, intervalMs: 1000 },
    );
    // Lines the server itself wrote (JSON with its own fields), not a simulated log file.
    expect(logs).toContain('"msg":"listening"');
  }, 120_000);

  it('the MCP conformance suite passes the same scenarios through /everything/mcp (Traefik and the gateway) as against the pod directly', async () => {
    const runner = await conformanceRunner;
    // The route is the platform's default one: Traefik, then the gateway, then the pod.
    expect((await serverStatus('everything')).conditions?.find((cond) => cond.type === 'Routed')?.reason).toBe('GatewayRoute');
    const k8s = await import('@kubernetes/client-node');
    const pods = await c.kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=everything' });
    expect(pods.items).toHaveLength(1);
    const podIP = pods.items[0]!.status?.podIP;
    expect(podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The host reaches pod IPs over the node's CNI bridge: the same server without Traefik.
    const direct = await runConformanceSuite(runner, `http://${podIP}:${EVERYTHING_PORT}/mcp`);
    const routed = await runConformanceSuite(runner, `${c.base}/everything/mcp`);
    const show = (passing: Set<string>) => [...passing].sort();
    console.log(
      `[e2e real node] conformance: ${direct.passing.size}/${direct.scenarios.length} scenarios pass against the pod directly: ${show(direct.passing).join(', ')}\n` +
        `[e2e real node] conformance: ${routed.passing.size}/${routed.scenarios.length} scenarios pass through /everything/mcp: ${show(routed.passing).join(', ')}`,
    );
    // Neither run may be vacuous: the basics pass directly, and both runs saw the same scenarios.
    expect(show(direct.passing)).toEqual(expect.arrayContaining(['server-initialize', 'tools-list']));
    expect(routed.scenarios).toEqual(direct.scenarios);
    expect(show(routed.passing)).toEqual(show(direct.passing));
  }, 300_000);

  it('probes: the kubelet runs the http probe on /healthz (port 8088), and the pods are Ready with no restart', async () => {
    const k8s = await import('@kubernetes/client-node');
    const core = c.kc.makeApiClient(k8s.CoreV1Api);
    const pods = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app in (weather,notes)' })).items;
    expect(pods.map((p) => p.metadata!.labels!.app).sort()).toEqual(['notes', 'weather', 'weather']);
    for (const pod of pods) {
      const container = pod.spec!.containers[0]!;
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        expect(probe?.httpGet?.path).toBe('/healthz');
        // The probe names the container port; that port is 8088.
        expect(container.ports?.find((p) => p.name === probe?.httpGet?.port)?.containerPort).toBe(8088);
      }
      expect(pod.status?.conditions?.find((cond) => cond.type === 'Ready')?.status).toBe('True');
      expect(pod.status?.containerStatuses?.[0]?.ready).toBe(true);
      expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    }
    // No test requests /healthz: GET /healthz lines in each container's own log are the kubelet's probes.
    for (const pod of pods) {
      const name = pod.metadata!.name!;
      await waitFor(
        `GET /healthz answered 200 in the log of ${name}`,
        async () => (await core.readNamespacedPodLog({ name, namespace: NAMESPACE })).split('\n'),
        {
          until: (lines) => lines.some((l) => l.includes('"method":"GET"') && l.includes('"path":"/healthz"') && l.includes('"status":200')),
          timeoutMs: 30_000,
          intervalMs: 1000,
        },
      );
    }
  }, 120_000);

  it('a pod reaches the API server as in-cluster clients do: the kubernetes Service, its ServiceAccount token, TLS verified', async () => {
    const k8s = await import('@kubernetes/client-node');
    const core = c.kc.makeApiClient(k8s.CoreV1Api);
    // POST a SelfSubjectReview: any authenticated identity may, and the answer names it.
    const script = [
      "const fs = require('node:fs');",
      "const sa = '/var/run/secrets/kubernetes.io/serviceaccount';",
      "const url = 'https://' + process.env.KUBERNETES_SERVICE_HOST + ':' + process.env.KUBERNETES_SERVICE_PORT + '/apis/authentication.k8s.io/v1/selfsubjectreviews';",
      "fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + fs.readFileSync(sa + '/token', 'utf8'), 'content-type': 'application/json' },",
      "  body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }) })",
      "  .then(async (r) => console.log(JSON.stringify({ status: r.status, user: (await r.json()).status?.userInfo?.username })))",
      "  .catch((e) => { console.log(JSON.stringify({ error: String(e.cause ?? e) })); process.exit(1); });",
    ].join('\n');
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'in-cluster-client' },
        spec: {
          restartPolicy: 'Never',
          securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'client',
            image: c.cp.realNode!.images.node.reference,
            imagePullPolicy: 'Never',
            command: ['node', '-e', script],
            // The cluster CA the kubelet mounts with the token: TLS verification stays on.
            env: [{ name: 'NODE_EXTRA_CA_CERTS', value: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' }],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    });
    const pod = await waitFor('the in-cluster client pod to finish', () => core.readNamespacedPod({ name: 'in-cluster-client', namespace: NAMESPACE }), {
      until: (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const log = await core.readNamespacedPodLog({ name: 'in-cluster-client', namespace: NAMESPACE });
    expect({ phase: pod.status?.phase, log: log.trim() }).toEqual({
      phase: 'Succeeded',
      log: JSON.stringify({ status: 201, user: `system:serviceaccount:${NAMESPACE}:default` }),
    });
    await core.deleteNamespacedPod({ name: 'in-cluster-client', namespace: NAMESPACE });
  }, 120_000);

  it('a wrong probe path keeps the server from Ready, and says to look at probes', async () => {
    await createServer('badprobe', { ...exampleSpec('weather', 1), ingressPath: '/badprobe/mcp', probe: { type: 'http', path: '/no-such-health' } });
    const k8s = await import('@kubernetes/client-node');
    const core = c.kc.makeApiClient(k8s.CoreV1Api);
    // The kubelet really probes: an Unhealthy event with the 404 it got.
    await waitFor(
      'a failed readiness probe on badprobe',
      async () => (await core.listNamespacedEvent({ namespace: NAMESPACE })).items,
      {
        until: (events) => events.some((e) => e.involvedObject.name?.startsWith('badprobe') === true && e.reason === 'Unhealthy' && /404/.test(e.message ?? '')),
        timeoutMs: 90_000,
        intervalMs: 1000,
      },
    );
    const status = await serverStatus('badprobe');
    expect(status.phase).not.toBe('Ready');
    const ready = status.conditions?.find((cond) => cond.type === 'Ready');
    expect(ready?.status).toBe('False');
    // The message names the probe and what to change.
    expect(ready?.message).toContain('HTTP GET /no-such-health on port 8088 must answer 2xx or 3xx');
    expect(ready?.message).toContain('spec.probe.path');
  }, 120_000);

  it('a custom ingressPath is served through the path-replacement Middleware', async () => {
    await createServer('forecast', { ...exampleSpec('weather', 1), ingressPath: '/tools/forecast' });
    await waitFor('forecast Ready', () => serverStatus('forecast'), { until: (st) => st.phase === 'Ready', timeoutMs: 120_000, intervalMs: 1000 });
    // Ready means the route is published; Traefik loads it on its next refresh.
    const { client } = await waitFor('an MCP session through /tools/forecast', () => mcpClient('/tools/forecast'), { timeoutMs: 30_000, intervalMs: 500 });
    const result = await client.callTool({ name: 'get_forecast', arguments: { city: 'Cairo', days: 1 } });
    expect(JSON.stringify(result.content)).toContain('Cairo');
    await client.close();
  }, 180_000);

  it('a rolling update (env change) under a steady stream of tool calls fails no call', async () => {
    const k8s = await import('@kubernetes/client-node');
    const apps = c.kc.makeApiClient(k8s.AppsV1Api);
    const core = c.kc.makeApiClient(k8s.CoreV1Api);
    const live = await apps.readNamespacedDeployment({ name: 'weather', namespace: NAMESPACE });
    const before = live.metadata!.generation!;
    expect(live.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    expect(live.spec?.template.spec?.containers[0]?.lifecycle?.preStop).toEqual({ sleep: { seconds: 5 } });

    const { client } = await mcpClient('/weather/mcp');
    let calls = 0;
    const failures: string[] = [];
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        calls++;
        try {
          const r = await client.callTool({ name: 'convert_temperature', arguments: { value: calls, from: 'celsius', to: 'fahrenheit' } });
          if (r.isError === true) failures.push(JSON.stringify(r.content));
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    })();

    await (await custom()).patchNamespacedCustomObject(
      {
        group: 'mcp.agent-hellboy.io', version: 'v1alpha1', namespace: NAMESPACE, plural: 'mcpservers', name: 'weather',
        body: { spec: { envVars: [{ name: 'ROLLOUT', value: '2' }] } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await waitFor(
      'the new ReplicaSet rolled out and every old pod gone',
      async () => ({
        d: await apps.readNamespacedDeployment({ name: 'weather', namespace: NAMESPACE }),
        pods: (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=weather' })).items,
      }),
      {
        until: ({ d, pods }) =>
          d.metadata!.generation! > before &&
          d.status?.observedGeneration === d.metadata!.generation &&
          d.status?.updatedReplicas === 2 &&
          d.status?.availableReplicas === 2 &&
          pods.length === 2 &&
          pods.every((p) => p.metadata?.deletionTimestamp === undefined && p.spec?.containers[0]?.env?.some((e) => e.name === 'ROLLOUT') === true),
        timeoutMs: 180_000,
        intervalMs: 500,
      },
    );
    streaming = false;
    await stream;
    await client.close();
    console.log(`[e2e real node] rolling update: ${calls} tool calls, ${failures.length} failed`);
    expect(calls).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  }, 240_000);
});
