/**
 * The real-node half of `npm run demo` (see demo.ts): every URL the platform prints is served.
 * Build steps print their progress and durations; the first run builds Kubernetes and Traefik
 * from Go modules (minutes), later runs find them cached.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  buildExampleImage,
  connectPlatformRegistry,
  fetchResolvingTo,
  memoryByComponent,
  obtainBinaries,
  provideGatewayImage,
  providePlatformImage,
  startControlPlane,
  startHostTraefik,
  waitFor,
} from '../src/local-cluster/index.js';
import { obtainTraefik } from '../src/local-cluster/real-node/node-images.js';
import { findCondition, type MCPServerStatus } from '../src/api/v1alpha1/index.js';
import { LIVE_META_KEY, type LiveMeta } from '../src/catalog/types.js';

export interface RealNodeDemo {
  workDir: string;
  host: string;
  metadata: string;
  timeoutSeconds: number;
  keep: boolean;
  step: (text: string) => void;
  cli: (...args: string[]) => Promise<string>;
  waitForReady: (kubeconfig: string, timeoutSeconds: number) => Promise<void>;
  onCluster: (stop: () => Promise<void>) => void;
}

/** The example servers and the tool call that shows each one answers. */
const EXAMPLES = [
  { name: 'weather', tool: 'get_forecast', arguments: { city: 'Amsterdam', days: 1 } },
  { name: 'notes', tool: 'add_note', arguments: { text: 'written through Traefik by the demo' } },
] as const;
const EXAMPLE_TAG = '0.1.0';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const indent = (line: string) => console.log(`   ${line}`);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await fn();
  console.log(`   (${label}: ${seconds(performance.now() - started)})`);
  return value;
}

export async function mainRealNode(d: RealNodeDemo): Promise<void> {
  d.step('Obtaining Kubernetes (with kubelet, kube-proxy) and Traefik binaries: built from Go modules on the first run (minutes), cached afterwards');
  const binaries = await timed('binaries', () => obtainBinaries({ log: indent }));
  await timed('Traefik', () => obtainTraefik(indent));

  d.step('Starting a local control plane with a real node (containerd, kubelet, kube-proxy as host processes)');
  const cp = await timed('cluster start', () => startControlPlane({ realNode: true, binaries: binaries.paths, log: indent }));
  const node = cp.realNode;
  if (node === undefined) throw new Error('the control plane started without its real node');
  const running: { traefik?: { stop(): Promise<void> } } = {};
  d.onCluster(async () => {
    await running.traefik?.stop();
    await cp.stop();
  });
  const kubeconfig = cp.kubeconfigPath;
  console.log(`   real node ${node.name} (${node.ip}) Ready; pods in traefik stay simulated: Traefik runs on this host`);

  d.step("Building the platform image from the Dockerfile (the operator and the catalog) into the node's containerd");
  const platformImage = await timed('platform image', () => providePlatformImage({ repoRoot: resolve('.'), ctr: node.ctr, log: indent }));

  d.step("Building the gateway's image (one esbuild bundle on the local Node.js base) into the node's containerd");
  const gatewayImage = await timed('gateway image', () =>
    provideGatewayImage({ entry: resolve('src/gateway/main.ts'), baseImage: node.images.node.reference, baseArchive: node.images.node.archive, ctr: node.ctr, log: indent }),
  );

  d.step('Installing the platform: CRD, namespaces, operator, catalog, registry, Traefik, the gateway (all but Traefik run as pods on the real node)');
  await timed('setup', () =>
    d.cli('setup', '--kubeconfig', kubeconfig, '--timeout', '180', '--default-ingress-host', d.host, '--operator-image', platformImage, '--gateway-image', gatewayImage),
  );

  d.step('Starting Traefik on this host, configured by the Deployment setup installed');
  const kc = await cp.kubeConfig();
  const traefik = await timed('Traefik start', () =>
    startHostTraefik({ kc, server: cp.server, caFile: cp.caCertPath, dir: node.dir, controlPlaneDir: cp.dir, log: indent }),
  );
  running.traefik = traefik;

  d.step(`Building the example images with podman on a local Node.js base image (${node.images.node.reference})`);
  for (const example of EXAMPLES) {
    const tag = `localhost/examples/${example.name}:${EXAMPLE_TAG}`;
    await timed(`${example.name} image`, () =>
      buildExampleImage({
        dir: resolve('examples', example.name),
        tag,
        baseImage: node.images.node.reference,
        baseArchive: node.images.node.archive,
        log: indent,
      }),
    );
  }

  d.step('Pushing them into the platform registry with mcp-runtime registry push');
  const registry = await connectPlatformRegistry(kc, node);
  console.log(`   the node pulls ${registry.imageHost} images over plain HTTP from ${registry.pushAddress} (containerd hosts.toml for that host only)`);
  for (const example of EXAMPLES) {
    await timed(`push ${example.name}`, async () =>
      d.cli(
        'registry', 'push',
        '--image', `localhost/examples/${example.name}:${EXAMPLE_TAG}`,
        '--name', `examples/${example.name}:${EXAMPLE_TAG}`,
        '--registry', registry.pushAddress,
        '--mode', 'direct', '--insecure-registry', '--kubeconfig', kubeconfig,
      ),
    );
  }

  const manifests = join(d.workDir, 'manifests');
  d.step(`Generating MCPServer manifests from ${d.metadata}`);
  await d.cli('pipeline', 'generate', '--dir', d.metadata, '--output-dir', manifests);

  d.step('Deploying them');
  await d.cli('pipeline', 'deploy', '--dir', manifests, '--kubeconfig', kubeconfig);

  d.step('Waiting until every server is Ready (image pulled by the node, probes passing, route published)');
  await timed('deploy to Ready', () => d.waitForReady(kubeconfig, d.timeoutSeconds));
  await d.cli('server', 'list', '-A', '--kubeconfig', kubeconfig);

  d.step(`Calling a tool of each server with the MCP SDK client through Traefik and the gateway (${d.host} is resolved to 127.0.0.1 by the client)`);
  for (const example of EXAMPLES) {
    const url = new URL(`http://${d.host}:${traefik.webPort}/${example.name}/mcp`);
    const client = new Client({ name: 'mcp-runtime-demo', version: '0.1.0' });
    const transport = new StreamableHTTPClientTransport(url, { fetch: fetchResolvingTo() });
    const started = performance.now();
    const result = await (async () => {
      // Ready means the route is published; Traefik serves it from its next refresh (~2 s).
      // Traefik answers "404 page not found" for a route it has not loaded; the server answers
      // an empty JSON-RPC body with its own error at once.
      const probe = { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' };
      await waitFor(`${url.href} routed`, async () => (await fetchResolvingTo()(url, probe)).text(), {
        until: (text) => !text.includes('404 page not found'),
        timeoutMs: 30_000,
        intervalMs: 250,
      });
      await client.connect(transport);
      return client.callTool({ name: example.tool, arguments: { ...example.arguments } });
    })().catch(async (error: unknown) => {
      const log = (await readFile(traefik.logFile, 'utf8').catch(() => '')).split('\n').slice(-25).join('\n');
      throw new Error(`${example.name} through ${url.href}: ${(error as Error).message}\nTraefik's log (${traefik.logFile}):\n${log}`);
    });
    const text = (result.content as { type: string; text?: string }[]).find((c) => c.type === 'text')?.text ?? JSON.stringify(result);
    const shown = text.split('\n').filter((l) => l.trim() !== '').slice(0, 2).join(' | ');
    console.log(`${example.name}: tools/call ${example.tool} via ${url.href} -> ${shown} (${seconds(performance.now() - started)})`);
    if (transport.sessionId !== undefined) await transport.terminateSession();
    await client.close();
  }

  d.step('What the gateway saw: tool calls per server and tool (its Prometheus metrics) and its audit lines');
  // Informational: a failure to read them is reported, and the demo goes on.
  await (async () => {
    const core = kc.makeApiClient((await import('@kubernetes/client-node')).CoreV1Api);
    const gatewayPods = (await core.listNamespacedPod({ namespace: 'mcp-gateway', labelSelector: 'app.kubernetes.io/name=mcp-gateway' })).items;
    const calls = new Map<string, number>();
    for (const pod of gatewayPods) {
      const text = await (await fetch(`http://${pod.status?.podIP}:9090/metrics`)).text();
      for (const m of text.matchAll(/^mcp_gateway_requests_total\{([^}]*)\} (\d+)/gm)) {
        const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
        if (labels.method !== 'tools/call') continue;
        const key = `${labels.server} ${labels.tool} (HTTP ${labels.code})`;
        calls.set(key, (calls.get(key) ?? 0) + Number(m[2]));
      }
      const audit = (await core.readNamespacedPodLog({ namespace: 'mcp-gateway', name: pod.metadata!.name! })).split('\n').filter((l) => l.includes('"event":"tools/call"'));
      for (const line of audit) console.log(`gateway audit (${pod.metadata!.name}): ${line}`);
    }
    for (const [key, n] of calls) console.log(`gateway: tools/call ${key}: ${n}`);
  })().catch((error: unknown) => console.log(`   (could not read the gateway's metrics or logs: ${(error as Error).message})`));

  d.step('What the operator found when it verified each server over MCP (initialize + tools/list against every ready pod)');
  const custom = kc.makeApiClient((await import('@kubernetes/client-node')).CustomObjectsApi);
  for (const example of EXAMPLES) {
    const verified = await waitFor(
      `${example.name} Verified`,
      async () => ((await custom.getNamespacedCustomObject({ group: 'mcp.agent-hellboy.io', version: 'v1alpha1', namespace: 'mcp-servers', plural: 'mcpservers', name: example.name })) as { status?: MCPServerStatus }).status,
      { until: (st) => (findCondition(st, 'Verified')?.status ?? 'Unknown') !== 'Unknown', timeoutMs: 60_000, intervalMs: 500 },
    );
    const condition = findCondition(verified, 'Verified');
    console.log(`${example.name}: Verified=${condition?.status} (${condition?.reason}) ${condition?.message}`);
    await d.cli('server', 'tools', example.name, '--kubeconfig', kubeconfig);
  }

  d.step(`The catalog's pods (MCP Registry API) through Traefik: GET http://${d.host}/v0.1/servers`);
  const catalogUrl = `http://${d.host}:${traefik.webPort}/v0.1/servers`;
  const catalog = await waitFor(
    'the catalog to list every example as verified',
    async () => (await (await fetchResolvingTo()(catalogUrl)).json()) as { servers: { server: { name: string; remotes?: { url: string }[] }; _meta?: Record<string, LiveMeta | undefined> }[] },
    { until: (list) => EXAMPLES.every((e) => list.servers.some((s) => s._meta?.[LIVE_META_KEY]?.name === e.name && s._meta[LIVE_META_KEY]?.verified === true)), timeoutMs: 60_000, intervalMs: 1000 },
  );
  for (const { server, _meta } of catalog.servers) {
    const live = _meta?.[LIVE_META_KEY];
    console.log(`catalog: ${server.name} at ${server.remotes?.[0]?.url ?? '?'} (verified ${live?.verified ?? '?'}, ${live?.toolCount ?? '?'} tools)`);
  }

  d.step('Resident memory of the cluster\'s processes, by component');
  for (const m of await memoryByComponent(cp.dir)) indent(`${m.component.padEnd(26)} ${String(m.processes).padStart(3)} process${m.processes === 1 ? ' ' : 'es'} ${String(m.rssMiB).padStart(6)} MiB`);

  console.log('\nDemo complete: every server is Ready, verified over MCP and served through its public path.');
  if (d.keep) {
    console.log(`\nKeeping everything running. Try:\n  node bin/run.js status --kubeconfig ${kubeconfig}\n  routes: ${traefik.url} (Host: ${d.host})\nPress Ctrl-C to stop.`);
    const keepAlive = setInterval(() => {}, 60_000);
    await new Promise<void>((r) => process.once('SIGINT', () => r()));
    clearInterval(keepAlive);
  }
}
