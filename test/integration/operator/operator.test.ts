/**
 * The operator against the real API server, running under its own ServiceAccount with the
 * synthesized ClusterRole: create, update, drift, route conflicts, deletion and idle writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Manager } from '../../../src/runtime/index.js';
import { apiServerRequestCounts, diffRequestCounts, freshNamespace, waitFor, WRITE_VERBS, type FreshNamespace } from '../harness/index.js';
import { admin, get, installAllCrds, mcpServer, operatorIdentity, paths, removeIdentity, serverPath, startOperator } from './fixture.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ns: FreshNamespace;
let operator: Manager;

beforeAll(async () => {
  await installAllCrds();
  ns = await freshNamespace('operator', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  // A short resync makes idleness observable: every server is looked at every 2 s, and the
  // idle test counts those reconciles instead of sleeping.
  operator = await startOperator(await operatorIdentity(ns.name), ns.name, {}, { RESYNC_PERIOD_SECONDS: '2' });
});

afterAll(async () => {
  await operator?.stop();
  await removeIdentity(ns.name);
  await ns?.cleanup();
});

const create = (name: string, spec: Obj) => admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, name, spec) });
const server = (name: string) => get<Obj>(serverPath(ns.name, name));
/** From the operator's own metrics: write requests sent, reconciles done, renders, Event writes pending. */
async function operatorCounters(): Promise<{ writes: number; reconciles: number; renders: number; eventsPending: number }> {
  const text = await (await fetch(`http://127.0.0.1:${operator.metricsPort}/metrics`)).text();
  let writes = 0;
  let reconciles = 0;
  for (const match of text.matchAll(/^rest_client_requests_total\{([^}]*)\} (\d+)/gm)) {
    if (/method="(POST|PUT|PATCH|DELETE)"/.test(match[1]!)) writes += Number(match[2]);
  }
  for (const match of text.matchAll(/^controller_runtime_reconcile_total\{([^}]*)\} (\d+)/gm)) reconciles += Number(match[2]);
  const eventsPending = Number(/^mcp_runtime_event_writes_pending (\d+)/m.exec(text)?.[1] ?? NaN);
  const renders = Number(/^mcp_runtime_server_renders_total (\d+)/m.exec(text)?.[1] ?? NaN);
  return { writes, reconciles, renders, eventsPending };
}

const condition = (s: Obj | undefined, type: string) => (s?.status?.conditions ?? []).find((c: Obj) => c.type === type);

describe('MCPServer reconciliation', () => {
  it('creates the Deployment, Service, Ingress and Middleware and becomes Ready with a URL', async () => {
    await create('weather', { image: 'registry.example.com/team/weather', replicas: 2, envVars: [{ name: 'UNITS', value: 'metric' }] });
    const ready = await waitFor('weather Ready', async () => server('weather'), { until: (s) => s?.status?.phase === 'Ready', timeoutMs: 60_000 });
    expect(ready?.status).toMatchObject({ observedGeneration: 1, url: '/weather/mcp', readyReplicas: 2, deploymentReady: true, serviceReady: true, ingressReady: true });
    expect(condition(ready, 'Ready')).toMatchObject({ status: 'True', observedGeneration: 1 });

    const deployment = (await get<Obj>(paths.deployment(ns.name, 'weather')))!;
    const container = deployment.spec.template.spec.containers[0];
    expect(deployment.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'MCPServer', name: 'weather', controller: true })]);
    expect(deployment.spec.replicas).toBe(2);
    expect(container).toMatchObject({ name: 'weather', image: 'registry.example.com/team/weather:latest', imagePullPolicy: 'Always', ports: [expect.objectContaining({ name: 'http', containerPort: 8088 })] });
    expect(container.env).toEqual([{ name: 'UNITS', value: 'metric' }]);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.readinessProbe.tcpSocket).toBeDefined();

    const service = (await get<Obj>(paths.service(ns.name, 'weather')))!;
    expect(service.spec).toMatchObject({ type: 'ClusterIP', ports: [expect.objectContaining({ port: 80, targetPort: 'http' })] });

    const ingress = (await get<Obj>(paths.ingress(ns.name, 'weather')))!;
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.spec.rules[0].http.paths[0]).toMatchObject({ path: '/weather/mcp', pathType: 'Prefix', backend: { service: { name: 'weather', port: { number: 80 } } } });
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toBe(`${ns.name}-weather-path-rewrite@kubernetescrd`);

    const middleware = (await get<Obj>(paths.middleware(ns.name, 'weather-path-rewrite')))!;
    expect(middleware.spec).toEqual({ stripPrefix: { prefixes: ['/weather'] } });
  });

  it('applies spec updates, advances observedGeneration and honours a custom ingressPath', async () => {
    await admin().request('PATCH', serverPath(ns.name, 'weather'), {
      body: { spec: { replicas: 1, ingressPath: '/tools/weather', imageTag: 'v2' } },
      contentType: 'application/merge-patch+json',
    });
    const updated = await waitFor('generation 2 observed', () => server('weather'), { until: (s) => s?.status?.observedGeneration === 2 && s.status.phase === 'Ready', timeoutMs: 60_000 });
    expect(updated?.status?.url).toBe('/tools/weather');
    const deployment = (await get<Obj>(paths.deployment(ns.name, 'weather')))!;
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ image: 'registry.example.com/team/weather:v2', imagePullPolicy: 'IfNotPresent' });
    const ingress = (await get<Obj>(paths.ingress(ns.name, 'weather')))!;
    expect(ingress.spec.rules[0].http.paths[0].path).toBe('/tools/weather');
    const middleware = (await get<Obj>(paths.middleware(ns.name, 'weather-path-rewrite')))!;
    expect(middleware.spec).toEqual({ replacePathRegex: { regex: '^/tools/weather(.*)', replacement: '/mcp$1' } });
  });

  it('restores drift: replicas and image edited on the Deployment, a deleted Service', async () => {
    await admin().request('PATCH', paths.deployment(ns.name, 'weather'), {
      body: { spec: { replicas: 5, template: { spec: { containers: [{ name: 'weather', image: 'evil/image:1' }] } } } },
      contentType: 'application/strategic-merge-patch+json',
    });
    await waitFor('Deployment restored', () => get<Obj>(paths.deployment(ns.name, 'weather')), {
      until: (d) => d?.spec.replicas === 1 && d.spec.template.spec.containers[0].image === 'registry.example.com/team/weather:v2',
      timeoutMs: 30_000,
    });
    const before = (await get<Obj>(paths.service(ns.name, 'weather')))!;
    await admin().request('DELETE', paths.service(ns.name, 'weather'));
    const recreated = await waitFor('Service recreated', () => get<Obj>(paths.service(ns.name, 'weather')), {
      until: (s) => s !== undefined && s.metadata.uid !== before.metadata.uid,
      timeoutMs: 30_000,
    });
    expect(recreated?.spec.ports[0].port).toBe(80);
  });

  it('gives a contested host+path to the first server and the Ingress to the next once it is freed', async () => {
    // (Waits for garbage collection at the end, which the controller-manager may take a minute for.)
    await create('first', { image: 'first', ingressPath: '/shared/mcp' });
    await waitFor('first routed', () => server('first'), { until: (s) => condition(s, 'Routed')?.status === 'True', timeoutMs: 30_000 });
    await create('second', { image: 'second', ingressPath: '/shared/mcp' });
    const second = await waitFor('second in conflict', () => server('second'), { until: (s) => condition(s, 'Routed')?.reason === 'Conflict', timeoutMs: 30_000 });
    expect(second?.status?.phase).toBe('Error');
    expect(condition(second, 'Routed')?.message).toContain(`${ns.name}/first`);
    expect(await get(paths.ingress(ns.name, 'second'))).toBeUndefined();

    await admin().request('DELETE', serverPath(ns.name, 'first'));
    await waitFor('second routed after first is gone', () => server('second'), { until: (s) => condition(s, 'Routed')?.status === 'True', timeoutMs: 30_000 });
    expect(await get(paths.ingress(ns.name, 'second'))).toBeDefined();
    // The garbage collector removes first's children; let it finish so later tests see a settled cluster.
    await waitFor("first's children collected", async () => [await get(paths.deployment(ns.name, 'first')), await get(paths.service(ns.name, 'first'))], {
      until: (objs) => objs.every((o) => o === undefined),
      timeoutMs: 120_000,
    });
  }, 180_000);

  it("accepts an original object it renders differently, and says so in Configured and an Event", async () => {
    // The original's CRD defaulted imageTag: latest, so objects exported from it pin a digest and carry a tag.
    const digest = `registry.example.com/team/pinned@sha256:${'a'.repeat(64)}`;
    await create('pinned', { image: digest, imageTag: 'latest' });
    const configured = await waitFor('Configured reported', () => server('pinned'), { until: (s) => condition(s, 'Configured')?.status === 'False', timeoutMs: 30_000 });
    expect(condition(configured, 'Configured')).toMatchObject({ reason: 'ImageTagIgnored', message: expect.stringContaining('imageTag') });
    expect((await get<Obj>(paths.deployment(ns.name, 'pinned')))!.spec.template.spec.containers[0].image).toBe(digest);
    const events = await waitFor('the Warning Event', async () => ((await admin().request<Obj>('GET', `/apis/events.k8s.io/v1/namespaces/${ns.name}/events`)).items as Obj[]).filter((e) => e.regarding?.name === 'pinned' && e.reason === 'ImageTagIgnored'), { until: (e) => e.length > 0, timeoutMs: 30_000 });
    expect(events[0]).toMatchObject({ type: 'Warning', action: 'Render' });
    await admin().request('DELETE', serverPath(ns.name, 'pinned'));
  });

  it('counts reconcile failures as errors: an apply failure is retried, an invalid image is terminal', async () => {
    const metric = async (pattern: RegExp) => {
      const text = await (await fetch(`http://127.0.0.1:${operator.metricsPort}/metrics`)).text();
      return Number(pattern.exec(text)?.[1] ?? NaN);
    };
    const errors = () => metric(/^controller_runtime_reconcile_errors_total\{controller="mcpserver"\} (\d+)/m);
    const retries = () => metric(/^workqueue_retries_total\{name="mcpserver"\} (\d+)/m);
    // An invalid image is terminal: counted once, not retried. (First, while no other key fails,
    // so the queue's retry counter is this key's alone.)
    const errorsBefore = await errors();
    const retriesBefore = await retries();
    await create('badimage', { image: 'registry.example.com/Team/UPPER:1' });
    const invalid = await waitFor('InvalidImage reported', () => server('badimage'), { until: (s) => s?.status?.phase === 'Error', timeoutMs: 30_000 });
    expect(invalid?.status?.message).toContain('invalid image reference');
    const counted = await waitFor('the terminal error counted', errors, { until: (n) => n > errorsBefore, timeoutMs: 30_000 });
    expect(await retries()).toBe(retriesBefore);
    // A new generation brings it back: fixing the image makes it Ready, with no further error.
    await admin().request('PATCH', serverPath(ns.name, 'badimage'), { body: { spec: { image: 'registry.example.com/team/upper:1' } }, contentType: 'application/merge-patch+json' });
    await waitFor('badimage Ready after the fix', () => server('badimage'), { until: (s) => s?.status?.phase === 'Ready', timeoutMs: 30_000 });
    expect(await errors()).toBe(counted);
    expect(await retries()).toBe(retriesBefore);
    await admin().request('DELETE', serverPath(ns.name, 'badimage'));

    // An apply failure: a Service of that name already belongs to another controller.
    const owner = await admin().request<Obj>('POST', `/api/v1/namespaces/${ns.name}/configmaps`, { body: { metadata: { name: 'foreign-owner' } } });
    await admin().request('POST', `/api/v1/namespaces/${ns.name}/services`, {
      body: {
        metadata: { name: 'taken', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'foreign-owner', uid: owner.metadata.uid, controller: true }] },
        spec: { ports: [{ port: 80 }] },
      },
    });
    await create('taken', { image: 'registry.example.com/team/taken:1' });
    const failing = await waitFor('ApplyFailed', () => server('taken'), { until: (s) => condition(s, 'Ready')?.reason === 'ApplyFailed', timeoutMs: 30_000 });
    // (The foreign Service is not in the operator's label-filtered cache, so the API server refuses the apply.)
    expect(condition(failing, 'Ready')?.message).toMatch(/Service taken: .*422.*Only one reference can have Controller set to true/);
    // Retried with backoff: errors and retries keep rising.
    const first = await waitFor('an error counted', errors, { until: (n) => n > counted, timeoutMs: 30_000 });
    await waitFor('a retry counted too', errors, { until: (n) => n > first, timeoutMs: 60_000 });
    expect(await retries()).toBeGreaterThan(retriesBefore);
    await admin().request('DELETE', serverPath(ns.name, 'taken'));
    await waitFor('taken gone', () => server('taken'), { until: (s) => s === undefined, timeoutMs: 30_000 });
  }, 120_000);

  it('sends no write request while idle after convergence', async () => {
    await waitFor('every server Ready', async () => (await admin().request<Obj>('GET', serverPath(ns.name))).items as Obj[], {
      until: (items) => items.every((s) => s.status?.phase === 'Ready' && s.status.observedGeneration === s.metadata.generation),
      timeoutMs: 30_000,
    });
    const servers = ((await admin().request<Obj>('GET', serverPath(ns.name))).items as Obj[]).length;
    // Settled: every Event is written, and a full resync round (every server reconciled again)
    // sent no write.
    let last = await operatorCounters();
    const settled = await waitFor('operator settled', async () => {
      const now = await operatorCounters();
      const quiet = now.eventsPending === 0 && now.writes === last.writes && now.reconciles >= last.reconciles + servers;
      const seen = { ...now, quiet, since: last };
      if (now.writes !== last.writes || now.reconciles >= last.reconciles + servers) last = now;
      return seen;
    }, { until: (c) => c.quiet, timeoutMs: 60_000, intervalMs: 250 });
    const before = { server: await apiServerRequestCounts(), operator: settled! };
    // The window: three more full rounds of reconciles, counted, not timed.
    const after = {
      operator: (await waitFor('three resync rounds', operatorCounters, { until: (c) => c.reconciles >= before.operator.reconciles + 3 * servers, timeoutMs: 60_000, intervalMs: 250 })),
      server: undefined as Awaited<ReturnType<typeof apiServerRequestCounts>> | undefined,
    };
    after.server = await apiServerRequestCounts();
    // The operator's own count of its write requests (controller-runtime's rest_client_requests_total):
    // exact, whatever else the shared cluster is doing (e.g. the namespace controller cleaning up
    // earlier test files).
    expect(before.operator.writes).toBeGreaterThan(10); // the counter does count: every create above wrote
    expect(after.operator.writes - before.operator.writes).toBe(0);
    // Nor a render: nothing a render reads changed, so the resync rounds compared versions only
    // (the counter counts: every server above was rendered at least once).
    expect(before.operator.renders).toBeGreaterThanOrEqual(servers);
    expect(after.operator.renders - before.operator.renders).toBe(0);
    // And the API server agrees on the one kind only operators write: MCPServer status.
    const statusWrites = diffRequestCounts(before.server, after.server!).samples.filter((s) => WRITE_VERBS.has(s.verb) && s.resource === 'mcpservers/status');
    expect(statusWrites).toEqual([]);
  }, 90_000);

  it('garbage-collects every child when the MCPServer is deleted', async () => {
    await admin().request('DELETE', serverPath(ns.name, 'weather'));
    await waitFor('children gone', async () => [await get(paths.deployment(ns.name, 'weather')), await get(paths.service(ns.name, 'weather')), await get(paths.ingress(ns.name, 'weather')), await get(paths.middleware(ns.name, 'weather-path-rewrite'))], {
      until: (objs) => objs.every((o) => o === undefined),
      timeoutMs: 60_000,
    });
  });
});
