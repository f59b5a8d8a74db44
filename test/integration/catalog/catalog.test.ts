// The catalog (MCP Registry API) against the real API server: 250 MCPServers whose live state
// is written through the status subresource (no operator, no pods: the catalog reads only the
// MCPServer objects), a catalog fed by an informer that runs as a ServiceAccount allowed only
// to list and watch mcpservers, and its HTTP server on 127.0.0.1:0. Every response is validated
// against the official OpenAPI document (test/fixtures/mcp-registry).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asServiceAccount, freshNamespace, installCrds, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin } from '../cli/fixtures/cluster.js';
import { runCli, spawnCli, tempDir, writeKubeconfig } from '../cli/cli.js';
import type { KubeRest } from '../../../src/kube/rest.js';
import { KubeRest as Rest } from '../../../src/kube/rest.js';
import { LiveCatalog } from '../../../src/catalog/live.js';
import { serveCatalog, type CatalogServer } from '../../../src/catalog/http-server.js';
import type { ServerList, ServerResponse } from '../../../src/catalog/types.js';
import CatalogList from '../../../src/commands/catalog/list.js';
import CatalogGet from '../../../src/commands/catalog/get.js';
import CatalogServe from '../../../src/commands/catalog/serve.js';
import { registrySchemaErrors } from '../../fixtures/mcp-registry/validator.js';

const COUNT = 250;
const PREFIX = 'io.example.mcp';
const LIVE = 'io.agent-hellboy.mcp-runtime/live';
const OFFICIAL = 'io.modelcontextprotocol.registry/official';

let rest: KubeRest;
let ns: FreshNamespace;
let catalog: LiveCatalog;
let server: CatalogServer;
let readerKubeconfig: string;
let dir: Awaited<ReturnType<typeof tempDir>>;

const serverName = (i: number) => `s${String(i).padStart(3, '0')}`;
const path = (name: string) => `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers/${name}`;
const registryName = (name: string) => `${PREFIX}.${ns.name}/${name}`;

function liveStatus(i: number, readyReplicas: number, now: string): Record<string, unknown> {
  return {
    phase: readyReplicas > 0 ? 'Ready' : 'Pending',
    url: `http://mcp.example.com/${serverName(i)}/mcp`,
    image: `registry.example.com/team/${serverName(i)}:1.${i}.0`,
    replicas: 1,
    readyReplicas,
    observedGeneration: 1,
    conditions: [
      { type: 'Ready', status: readyReplicas > 0 ? 'True' : 'False', reason: readyReplicas > 0 ? 'Ready' : 'PodsNotReady', message: 'test', lastTransitionTime: now },
      { type: 'Verified', status: 'True', reason: i % 10 === 0 ? 'AuthRequired' : 'Verified', message: 'test', lastTransitionTime: now },
    ],
    mcp: {
      protocolVersion: '2025-06-18',
      serverInfo: { name: `server ${i}`, version: `1.${i}.0` },
      capabilities: ['tools'],
      tools: [{ name: 'echo' }, { name: `tool-${i}` }],
      toolCount: 2,
      toolsDigest: `d${i}`,
      podsReady: readyReplicas,
      podsVerified: readyReplicas,
      observedTime: now,
    },
  };
}

async function writeStatus(name: string, status: Record<string, unknown>): Promise<void> {
  await rest.request('PATCH', `${path(name)}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
}

/** Runs `fn` over items, `width` at a time. */
async function inBatches<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn));
}

async function api<T>(target: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${target}`);
  return { status: res.status, body: (await res.json()) as T };
}

/** GET a list, asserting it validates against the official schema. */
async function listPage(query: string): Promise<ServerList> {
  const { status, body } = await api<ServerList>(`/v0.1/servers${query}`);
  expect(status).toBe(200);
  expect(registrySchemaErrors('ServerList', body)).toEqual([]);
  return body;
}

async function pageAll(limit: number, extra = ''): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listPage(`?limit=${limit}${extra}${cursor !== undefined ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.servers.length).toBeLessThanOrEqual(limit);
    expect(page.metadata.count).toBe(page.servers.length);
    names.push(...page.servers.map((s) => s.server.name));
    cursor = page.metadata.nextCursor;
    pages += 1;
  } while (cursor !== undefined);
  return { names, pages };
}

const names = (list: ServerList) => list.servers.map((s) => s.server.name).sort();

/** A moment in a later second than every updatedAt so far (Kubernetes keeps whole seconds). */
async function afterEverything(): Promise<string> {
  const all = await pageAll(100, '&include_deleted=true');
  expect(all.names.length).toBeGreaterThan(0);
  const latest = Math.max(...catalog.entries().map((e) => e.updatedMs));
  await waitFor('the clock to pass the second of the last update', () => Date.now(), { until: (now) => Math.floor(now / 1000) * 1000 > latest, timeoutMs: 5_000 });
  return new Date().toISOString();
}

beforeAll(async () => {
  await installCrds();
  rest = await admin();
  ns = await freshNamespace('catalog');
  const now = new Date().toISOString();
  const indexes = Array.from({ length: COUNT }, (_, i) => i);
  await inBatches(indexes, 25, (i) =>
    rest.request('POST', `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers`, {
      body: { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name: serverName(i) }, spec: { image: `registry.example.com/team/${serverName(i)}:1.${i}.0` } },
    }),
  );
  await rest.request('POST', `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers`, {
    body: { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name: 'private' }, spec: { image: 'registry.example.com/team/private:1.0.0', catalog: { publish: false } } },
  });
  await inBatches(indexes, 25, (i) => writeStatus(serverName(i), liveStatus(i, 1, now)));

  // The catalog runs with what its Deployment will get: list and watch on mcpservers, nothing else.
  const kc = await asServiceAccount(ns.name, 'catalog-reader', {
    create: true,
    rules: [{ apiGroups: ['mcp.agent-hellboy.io'], resources: ['mcpservers'], verbs: ['list', 'watch'] }],
  });
  dir = await tempDir('catalog');
  readerKubeconfig = await writeKubeconfig(kc, dir.path);
  catalog = new LiveCatalog({ client: new Rest(kc).client, namespaces: [ns.name], namePrefix: PREFIX });
  catalog.start();
  expect(await catalog.waitForSync(AbortSignal.timeout(60_000))).toBe(true);
  server = await serveCatalog(catalog, '127.0.0.1', 0);
}, 240_000);

afterAll(async () => {
  await server?.close();
  await catalog?.stop();
  await ns?.cleanup();
  await dir?.cleanup();
});

describe('catalog: the MCP Registry API over the real API server', () => {
  const expected = () => Array.from({ length: COUNT }, (_, i) => registryName(serverName(i)));

  it('pages through 250 servers with limit 100 and 7: each exactly once, the opted-out one never', async () => {
    const hundred = await pageAll(100);
    expect(hundred.pages).toBe(3);
    expect(hundred.names).toEqual(expected());
    const seven = await pageAll(7);
    expect(seven.pages).toBe(36);
    expect(seven.names).toEqual(expected());
    expect(new Set(seven.names).size).toBe(COUNT);
    expect(seven.names).not.toContain(registryName('private'));
    expect((await listPage('')).servers).toHaveLength(30);
  });

  it('shows the live state written to status, and finds a server by its URL-encoded name', async () => {
    const encoded = encodeURIComponent(registryName('s010'));
    const { status, body } = await api<ServerResponse>(`/v0.1/servers/${encoded}/versions/latest`);
    expect(status).toBe(200);
    expect(registrySchemaErrors('ServerResponse', body)).toEqual([]);
    expect(body.server).toMatchObject({
      name: registryName('s010'),
      version: '1.10.0',
      title: 'server 10',
      remotes: [{ type: 'streamable-http', url: 'http://mcp.example.com/s010/mcp' }],
      packages: [{ registryType: 'oci', identifier: 'registry.example.com/team/s010:1.10.0' }],
    });
    expect(body._meta[LIVE]).toMatchObject({ ready: true, verified: true, authRequired: true, verifiedReason: 'AuthRequired', replicas: 1, readyReplicas: 1, tools: ['echo', 'tool-10'], toolCount: 2, protocolVersion: '2025-06-18', observedGeneration: 1 });
    expect(body._meta[OFFICIAL]).toMatchObject({ status: 'active', isLatest: true });
    const versions = await api<ServerList>(`/v0.1/servers/${encoded}/versions`);
    expect(registrySchemaErrors('ServerList', versions.body)).toEqual([]);
    expect(versions.body.servers.map((s) => s.server.version)).toEqual(['1.10.0']);
    expect((await api(`/v0.1/servers/${encoded}/versions/1.10.0`)).body).toEqual(body);
    expect(await api(`/v0.1/servers/${encodeURIComponent(registryName('private'))}/versions/latest`)).toEqual({ status: 404, body: { error: 'Server not found' } });
    expect((await api('/v0.1/servers?limit=500')).status).toBe(400);
  });

  it('speaks plain HTTP as a public read-only API: JSON, CORS for browsers, HEAD, 405 on writes, /healthz', async () => {
    const res = await fetch(`${server.url}/v0.1/servers?limit=1`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${server.url}/v0.1/servers`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    const head = await fetch(`${server.url}/v0.1/servers`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${server.url}/v0.1/publish`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await api('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('updated_since returns exactly the servers whose status or spec changed after the timestamp', async () => {
    const since = await afterEverything();
    const statusChanged = ['s003', 's100', 's249'];
    for (const name of statusChanged) await writeStatus(name, { readyReplicas: 0 });
    // A spec edit (no status change) counts too: metadata.managedFields records its time.
    await rest.request('PATCH', path('s042'), { body: { spec: { catalog: { description: 'Answers questions about the number 42' } } }, contentType: 'application/merge-patch+json' });
    const changed = [...statusChanged, 's042'].map(registryName).sort();
    const found = await waitFor(
      'the catalog to see the four changes',
      () => listPage(`?updated_since=${encodeURIComponent(since)}&limit=100`),
      { until: (list) => names(list).length === changed.length && list.servers.every((s) => s.server.name !== registryName('s042') || s.server.description.includes('42')) },
    );
    expect(names(found)).toEqual(changed);
    for (const s of found.servers) expect(Date.parse(s._meta[OFFICIAL].updatedAt)).toBeGreaterThanOrEqual(Math.floor(Date.parse(since) / 1000) * 1000);
    expect(found.servers.find((s) => s.server.name === registryName('s100'))?._meta[LIVE]).toMatchObject({ readyReplicas: 0 });
    // Nothing else moved: the full list still has all 250, each once.
    expect((await pageAll(100)).names).toEqual(expected());
  });

  it('a deleted or opted-out server disappears, and updated_since reports it as deleted', async () => {
    const since = await afterEverything();
    await rest.request('DELETE', path('s077'));
    await rest.request('PATCH', path('s078'), { body: { spec: { catalog: { publish: false } } }, contentType: 'application/merge-patch+json' });
    const gone = [registryName('s077'), registryName('s078')];
    await waitFor('both servers to leave the catalog', () => pageAll(100), { until: (all) => all.names.length === COUNT - 2 });
    const all = await pageAll(100);
    expect(all.names).toEqual(expected().filter((n) => !gone.includes(n)));
    expect((await api(`/v0.1/servers/${encodeURIComponent(gone[0]!)}/versions/latest`)).status).toBe(404);
    const sync = await listPage(`?updated_since=${encodeURIComponent(since)}`);
    expect(names(sync)).toEqual(gone);
    for (const s of sync.servers) expect(s._meta[OFFICIAL].status).toBe('deleted');
  });

  it('catalog serve runs from a kubeconfig with list/watch rights only, prints its address and stops cleanly on SIGTERM', async () => {
    let announce: (url: string) => void = () => undefined;
    const announced = new Promise<string>((resolve) => (announce = resolve));
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    const run = spawnCli('catalog/serve', ['--kubeconfig', readerKubeconfig, '--listen', '127.0.0.1:0', '--namespaces', ns.name, '--name-prefix', PREFIX], {
      timeoutMs: 90_000,
      onLine: (line, c) => {
        child = c;
        const m = /at (http:\/\/127\.0\.0\.1:\d+)\/v0\.1\/servers/.exec(line);
        if (m !== null) announce(m[1]!);
      },
    });
    const url = await Promise.race([announced, run.then((r) => Promise.reject(new Error(`catalog serve ended: ${r.exitCode} ${r.stderr}`)))]);
    const res = await fetch(`${url}/v0.1/servers?limit=100&search=${encodeURIComponent('/s2')}`);
    const body = (await res.json()) as ServerList;
    expect(registrySchemaErrors('ServerList', body)).toEqual([]);
    expect(body.servers.map((s) => s.server.name)).toEqual(expected().filter((n) => n.split('/')[1]!.startsWith('s2')));
    // The same process serves the catalog page (what it shows: test/integration/catalog/page.test.ts).
    const page = await fetch(`${url}/?q=s249`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain(`<code>${registryName(serverName(249))}</code>`);
    child!.kill('SIGTERM');
    const ended = await run;
    expect(ended.exitCode).toBe(0);
    expect(ended.stdout).toMatch(new RegExp(`Serving the MCP Registry API for ${COUNT - 2} server\\(s\\) at http://127\\.0\\.0\\.1:\\d+/v0\\.1/servers and the catalog page at http://127\\.0\\.0\\.1:\\d+/ `));
  }, 120_000);

  it('catalog serve refuses a bad --listen (2), a kubeconfig without rights (5) and a port in use (1)', async () => {
    const bad = await runCli(CatalogServe, ['--kubeconfig', readerKubeconfig, '--listen', 'localhost']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--listen "localhost" must be host:port');
    const nobody = await asServiceAccount(ns.name, 'catalog-nobody', { create: true });
    const forbidden = await runCli(CatalogServe, ['--kubeconfig', await writeKubeconfig(nobody, dir.path, 'nobody'), '--namespaces', ns.name]);
    expect(forbidden.exitCode).toBe(5);
    expect(forbidden.stderr).toMatch(/may not list mcpservers\.mcp\.agent-hellboy\.io in namespace/);
    const inUse = await runCli(CatalogServe, ['--kubeconfig', readerKubeconfig, '--namespaces', ns.name, '--listen', `127.0.0.1:${server.port}`]);
    expect(inUse.exitCode).toBe(1);
    expect(inUse.stderr).toContain(`cannot listen on 127.0.0.1:${server.port}: the address is already in use`);
  });

  it('catalog list and get read the API as a user would (table, json, errors with exit codes)', async () => {
    const json = await runCli(CatalogList, ['--url', server.url, '--search', 's1', '-o', 'json']);
    expect(json.exitCode).toBe(0);
    const listed = JSON.parse(json.stdout) as ServerList;
    // The names are s000-s249: "s1" is in s100-s199.
    expect(listed.servers.map((s) => s.server.name)).toEqual(expected().filter((n) => n.split('/')[1]!.startsWith('s1')));
    expect(listed.servers).toHaveLength(100);
    for (const s of listed.servers) expect(registrySchemaErrors('ServerResponse', s)).toEqual([]);

    const table = await runCli(CatalogList, ['--url', `${server.url}/v0.1/servers`]);
    expect(table.exitCode).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+VERSION\s+STATUS\s+READY\s+VERIFIED\s+TOOLS\s+URL\s+UPDATED$/);
    expect(lines).toHaveLength(1 + COUNT - 2);
    expect(lines.find((l) => l.startsWith(`${registryName('s010')} `))).toMatch(/1\.10\.0\s+active\s+1\/1\s+yes \(auth\)\s+2\s+http:\/\/mcp\.example\.com\/s010\/mcp/);

    const get = await runCli(CatalogGet, [registryName('s005'), '--url', server.url]);
    expect(get.exitCode).toBe(0);
    expect(get.stdout).toContain('Tools: echo, tool-5');

    const missing = await runCli(CatalogGet, [registryName('s077'), '--url', server.url]);
    expect(missing.exitCode).toBe(6);
    expect(missing.stderr).toContain(`has no server named "${registryName('s077')}"`);
    const badUrl = await runCli(CatalogList, ['--url', 'ftp://example.com']);
    expect(badUrl.exitCode).toBe(2);
    expect(badUrl.stderr).toContain('must start with http:// or https://');
    const down = await server.close().then(() => runCli(CatalogList, ['--url', server.url]));
    expect(down.exitCode).toBe(4);
    expect(down.stderr).toMatch(/cannot reach the catalog at http:\/\/127\.0\.0\.1:\d+: connection refused/);
    expect(down.stderr).not.toMatch(/\n\s+at /);
  });
});
