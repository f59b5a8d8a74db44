// server get / status / logs / delete against the real API server. No operator runs here, so
// the children it would create (Deployment, Service, Ingress, an Event) are made by the test,
// owned by the MCPServer exactly as the operator owns them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freshNamespace, installCrds, waitFor, type FreshNamespace } from '../harness/index.js';
import ServerGet from '../../../src/commands/server/get.js';
import ServerStatus from '../../../src/commands/server/status.js';
import ServerLogs from '../../../src/commands/server/logs.js';
import ServerDelete from '../../../src/commands/server/delete.js';
import ServerList from '../../../src/commands/server/list.js';
import type { KubeObject, KubeRest } from '../../../src/kube/rest.js';
import { runCli } from './cli.js';
import { admin, adminKubeconfig, applyAsTests } from './fixtures/cluster.js';

let rest: KubeRest;
let kubeconfig: string;
let ns: FreshNamespace;

const serverPath = (name: string) => `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers/${name}`;

async function createServer(name: string, withChildren: boolean): Promise<KubeObject> {
  const server = await applyAsTests(rest, {
    apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
    kind: 'MCPServer',
    metadata: { name, namespace: ns.name },
    spec: { image: `registry.example.com/${name}`, replicas: 2 },
  });
  if (!withChildren) return server;
  const owner = [{ apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', name, uid: server.metadata!.uid!, controller: true, blockOwnerDeletion: true }];
  const labels = { app: name, 'app.kubernetes.io/managed-by': 'mcp-runtime' };
  await applyAsTests(rest, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns.name, labels, ownerReferences: owner },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name, image: `registry.example.com/${name}:latest` }, { name: 'sidecar', image: 'sidecar:1' }] } },
    },
  });
  await applyAsTests(rest, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns.name, labels, ownerReferences: owner },
    spec: { selector: labels, ports: [{ port: 80, targetPort: 8088 }] },
  });
  await applyAsTests(rest, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns.name, labels, ownerReferences: owner },
    spec: {
      ingressClassName: 'traefik',
      rules: [{ http: { paths: [{ path: `/${name}/mcp`, pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }],
    },
  });
  await rest.request('POST', `/api/v1/namespaces/${ns.name}/events`, {
    body: {
      metadata: { generateName: `${name}.` },
      involvedObject: { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', name, namespace: ns.name, uid: server.metadata!.uid },
      type: 'Normal',
      reason: 'Reconciled',
      message: 'Deployment, Service and Ingress are up to date',
      firstTimestamp: new Date().toISOString(),
      lastTimestamp: new Date().toISOString(),
      count: 1,
      source: { component: 'mcp-runtime-operator' },
    },
  });
  // The status the operator would write.
  await rest.request('PATCH', `${serverPath(name)}/status`, {
    contentType: 'application/merge-patch+json',
    body: {
      status: {
        phase: 'PartiallyReady',
        observedGeneration: 1,
        url: `/${name}/mcp`,
        replicas: 2,
        readyReplicas: 1,
        conditions: [
          { type: 'Ready', status: 'False', reason: 'NotRouted', message: 'the Ingress has no address yet', lastTransitionTime: new Date().toISOString() },
          { type: 'Available', status: 'True', reason: 'PodsReady', message: '2/2 pods ready', lastTransitionTime: new Date().toISOString() },
        ],
      },
    },
  });
  await waitFor(`pods of ${name} running`, () => rest.list(`/api/v1/namespaces/${ns.name}/pods`, { labelSelector: `app=${name}` }), {
    until: (pods) => pods.length === 2 && pods.every((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running'),
    timeoutMs: 30_000,
  });
  // The Deployment controller reports the rollout a moment after the pods run.
  await waitFor(`Deployment ${name} rolled out`, () => rest.get<{ status?: { readyReplicas?: number; updatedReplicas?: number } }>(`/apis/apps/v1/namespaces/${ns.name}/deployments/${name}`), {
    until: (d) => d.status?.readyReplicas === 2 && d.status.updatedReplicas === 2,
    timeoutMs: 30_000,
  });
  return server;
}

beforeAll(async () => {
  rest = await admin();
  kubeconfig = adminKubeconfig();
  await installCrds();
  ns = await freshNamespace('cli-server');
  await createServer('weather', true);
  await createServer('lonely', false);
});

afterAll(async () => {
  await ns?.cleanup();
});

const flags = () => ['-n', ns.name, '--kubeconfig', kubeconfig];

describe('server get and list', () => {
  it('get prints one row; -o yaml prints the object without managedFields', async () => {
    const row = await runCli(ServerGet, ['weather', ...flags()]);
    expect(row.exitCode).toBe(0);
    expect(row.stdout.split('\n')[1]).toMatch(new RegExp(`^weather\\s+${ns.name}\\s+PartiallyReady\\s+1/2\\s+/weather/mcp\\s+registry\\.example\\.com/weather\\s+\\d+s$`));
    const yaml = await runCli(ServerGet, ['weather', ...flags(), '-o', 'yaml']);
    expect(yaml.stdout).toContain('kind: MCPServer');
    expect(yaml.stdout).toContain('phase: PartiallyReady');
    expect(yaml.stdout).not.toContain('managedFields');
  });

  it('list in an empty namespace says so on stderr and prints nothing on stdout', async () => {
    const empty = await freshNamespace('cli-server-empty');
    try {
      const run = await runCli(ServerList, ['-n', empty.name, '--kubeconfig', kubeconfig]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`No MCP servers in namespace ${empty.name}.`);
    } finally {
      await empty.cleanup();
    }
  });
});

describe('server status', () => {
  it('explains conditions and shows children, pods and events', async () => {
    const run = await runCli(ServerStatus, ['weather', ...flags()]);
    expect(run.exitCode).toBe(0);
    const out = run.stdout;
    expect(out).toContain(`MCPServer ${ns.name}/weather`);
    expect(out).toContain('  Phase:    PartiallyReady');
    expect(out).toContain('  NO  Ready=False (NotRouted) - the server can take traffic end to end');
    expect(out).toContain('      the Ingress has no address yet');
    expect(out).toContain('  OK  Available=True (PodsReady) - enough pods are ready');
    expect(out).toMatch(/ {2}OK {2}Deployment weather: 2\/2 ready, 2 up to date/);
    expect(out).toMatch(/ {2}OK {2}Service weather: ClusterIP 10\.\d+\.\d+\.\d+, ports 80->8088/);
    expect(out).toContain('  NO  Ingress weather: class traefik, */weather/mcp, no address yet');
    expect(out.match(/ {2}OK {2}Pod weather-[a-z0-9]+-[a-z0-9]+: Running, 2\/2 ready/g)).toHaveLength(2);
    expect(out).toMatch(/Normal {2}Reconciled: Deployment, Service and Ingress are up to date/);
  });

  it('says the operator has not reported when there is no status, and what is missing', async () => {
    const run = await runCli(ServerStatus, ['lonely', ...flags()]);
    expect(run.stdout).toContain('The operator has not reported on this server yet');
    expect(run.stdout).toContain('  --  Deployment lonely: not created yet');
    expect(run.stdout).toContain('  --  no pods');
    const json = JSON.parse((await runCli(ServerStatus, ['lonely', ...flags(), '--json'])).stdout) as { missing: string[] };
    expect(json.missing).toEqual(['Deployment', 'Service', 'Ingress']);
  });

  it('a missing server exits 6', async () => {
    expect((await runCli(ServerStatus, ['nope', ...flags()])).exitCode).toBe(6);
  });
});

describe('server logs', () => {
  it('reads every pod through the API server; on simulated nodes the kubelet is absent and says so (exit 1)', async () => {
    const run = await runCli(ServerLogs, ['weather', ...flags(), '--tail', '10']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/cannot read the logs of pod weather-[a-z0-9-]+, container weather: /);
    expect(run.stderr).toContain('nodes are simulated by KWOK');
  });

  it('a server without pods, an unknown container and a bad --since are clear errors', async () => {
    const none = await runCli(ServerLogs, ['lonely', ...flags()]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`MCPServer ${ns.name}/lonely has no running pods`);
    const container = await runCli(ServerLogs, ['weather', ...flags(), '-c', 'nope']);
    expect(container.exitCode).toBe(2);
    expect(container.stderr).toMatch(/has no container "nope" \(containers: weather, sidecar\)/);
    const since = await runCli(ServerLogs, ['weather', ...flags(), '--since', '5 minutes']);
    expect(since.exitCode).toBe(2);
  });
});

describe('server delete', () => {
  it('--dry-run deletes nothing', async () => {
    const run = await runCli(ServerDelete, ['weather', ...flags(), '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('would be deleted (dry run), with Deployment weather, Service weather, Ingress weather, Pod weather-');
    expect(await rest.find(serverPath('weather'))).toBeDefined();
  });

  it('waits until the server, its children and its pods are gone', async () => {
    const run = await runCli(ServerDelete, ['weather', ...flags(), '--timeout', '60']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`MCPServer ${ns.name}/weather deleted with Deployment weather, Service weather, Ingress weather, Pod weather-`));
    expect(await rest.find(serverPath('weather'))).toBeUndefined();
    expect(await rest.find(`/apis/apps/v1/namespaces/${ns.name}/deployments/weather`)).toBeUndefined();
    expect(await rest.find(`/api/v1/namespaces/${ns.name}/services/weather`)).toBeUndefined();
    expect(await rest.list(`/api/v1/namespaces/${ns.name}/pods`, { labelSelector: 'app=weather' })).toEqual([]);
  });

  it('--no-wait returns at once; deleting a missing server exits 6', async () => {
    const run = await runCli(ServerDelete, ['lonely', ...flags(), '--no-wait']);
    expect(run.stdout).toContain('deletion requested');
    const again = await runCli(ServerDelete, ['lonely', ...flags()]);
    expect(again.exitCode).toBe(6);
  });
});
