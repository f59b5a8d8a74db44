// server get / status / logs / delete against the real API server. No operator runs here, so
// the children it would create (Deployment, Service, Ingress, an Event) are made by the test,
// owned by the MCPServer exactly as the operator owns them. Pods run on a KWOK-simulated node;
// KWOK serves the node's kubelet API, so `server logs` reads log files the test gives each
// container (kwok.x-k8s.io Logs objects) through the API server's pods/log proxy.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asServiceAccount, freshNamespace, installCrds, waitFor, type FreshNamespace } from '../harness/index.js';
import ServerGet from '../../../src/commands/server/get.js';
import ServerStatus from '../../../src/commands/server/status.js';
import ServerLogs from '../../../src/commands/server/logs.js';
import ServerDelete from '../../../src/commands/server/delete.js';
import ServerList from '../../../src/commands/server/list.js';
import type { KubeObject, KubeRest } from '../../../src/kube/rest.js';
import { apiGet } from '../../../src/local-cluster/api-get.js';
import { appendCriLog, podLogs } from '../../../src/local-cluster/kwok-logs.js';
import { runCli, spawnCli, tempDir, writeKubeconfig } from './cli.js';
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
    expect(row.stdout.split('\n')[1]).toMatch(new RegExp(`^weather\\s+${ns.name}\\s+PartiallyReady\\s+1/2\\s+-\\s+-\\s+/weather/mcp\\s+registry\\.example\\.com/weather\\s+\\d+s$`));
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
  // Runs before any log file is configured (below): KWOK answers for the node's kubelet that it has no logs.
  it('a container no log file is configured for: exit 1, says the node is simulated by KWOK and what gives it logs', async () => {
    const run = await runCli(ServerLogs, ['weather', ...flags(), '--tail', '10']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/cannot read the logs of pod weather-[a-z0-9-]+, container weather: no logs found for container "weather"/);
    expect(run.stderr).toContain('The pod runs on a node simulated by KWOK');
    expect(run.stderr).toContain('a ClusterLogs or Logs object (kwok.x-k8s.io/v1alpha1)');
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

  describe('with log files served by KWOK (the kubelet API of the simulated node, through the API server)', () => {
    let logDir: { path: string; cleanup: () => Promise<void> };
    let pods: string[];
    const mainLog = (pod: string) => join(logDir.path, `${pod}.weather.log`);
    const sidecarLog = (pod: string) => join(logDir.path, `${pod}.sidecar.log`);
    /** What the container's previous instance wrote (served for --previous). */
    const previousLog = (pod: string) => join(logDir.path, `${pod}.weather.previous.log`);
    /** When the "containers" wrote the lines of the fixture files (except the newest sidecar line). */
    const WRITTEN = new Date('2024-05-06T07:08:09.123Z');
    const mainLines = (pod: string) => [1, 2, 3].map((i) => `weather ${pod} line ${i}`);
    /** stdout lines that carry the prefix of `pod`, prefix removed, in order. */
    const linesOf = (stdout: string, pod: string) =>
      stdout.split('\n').filter((l) => l.startsWith(`[${pod}] `)).map((l) => l.slice(pod.length + 3));

    beforeAll(async () => {
      logDir = await tempDir('server-logs');
      pods = (await rest.list(`/api/v1/namespaces/${ns.name}/pods`, { labelSelector: 'app=weather' })).map((p) => p.metadata!.name!).sort();
      expect(pods).toHaveLength(2);
      for (const pod of pods) {
        await appendCriLog(mainLog(pod), mainLines(pod), WRITTEN);
        await appendCriLog(previousLog(pod), [`weather ${pod} crashed`], WRITTEN);
        // One old line and one just written, for --since.
        await appendCriLog(sidecarLog(pod), [`sidecar ${pod} started`], WRITTEN);
        await appendCriLog(sidecarLog(pod), [`sidecar ${pod} says hi`]);
        await rest.request('POST', `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${ns.name}/logs`, {
          body: podLogs(ns.name, pod, [
            { containers: ['weather'], logsFile: mainLog(pod), previousLogsFile: previousLog(pod) },
            { containers: ['sidecar'], logsFile: sidecarLog(pod) },
          ]),
        });
      }
      // KWOK learns of the Logs objects through its watch: wait until it serves every pod.
      for (const pod of pods) {
        await waitFor(`KWOK serves the logs of ${pod}`, () => apiGet(rest.kc, `/api/v1/namespaces/${ns.name}/pods/${pod}/log?container=weather`), {
          until: (r) => r.status === 200,
          timeoutMs: 30_000,
        });
      }
    });

    afterAll(async () => {
      await logDir?.cleanup();
    });

    it('prints every line of every pod, in order, each prefixed with [<pod>]', async () => {
      const run = await runCli(ServerLogs, ['weather', ...flags()]);
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toBe('');
      const lines = run.stdout.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(6);
      for (const pod of pods) expect(linesOf(run.stdout, pod)).toEqual(mainLines(pod));
    });

    it('--tail 1 prints only the last line of each pod; -c reads another container', async () => {
      const tail = await runCli(ServerLogs, ['weather', ...flags(), '--tail', '1']);
      expect(tail.exitCode).toBe(0);
      expect(tail.stdout.split('\n').filter((l) => l !== '').sort()).toEqual(pods.map((pod) => `[${pod}] weather ${pod} line 3`).sort());
      const sidecar = await runCli(ServerLogs, ['weather', ...flags(), '-c', 'sidecar']);
      expect(sidecar.exitCode).toBe(0);
      for (const pod of pods) expect(linesOf(sidecar.stdout, pod)).toEqual([`sidecar ${pod} started`, `sidecar ${pod} says hi`]);
    });

    it('--timestamps prefixes each line with the time the container wrote it; --since leaves out older lines', async () => {
      const run = await runCli(ServerLogs, ['weather', ...flags(), '--tail', '1', '--timestamps']);
      expect(run.exitCode).toBe(0);
      for (const pod of pods) expect(linesOf(run.stdout, pod)).toEqual([`2024-05-06T07:08:09.123000000Z weather ${pod} line 3`]);
      const since = await runCli(ServerLogs, ['weather', ...flags(), '-c', 'sidecar', '--since', '1h']);
      expect(since.exitCode).toBe(0);
      for (const pod of pods) expect(linesOf(since.stdout, pod)).toEqual([`sidecar ${pod} says hi`]);
    });

    it('--previous prints what the previous instance of the container wrote', async () => {
      const run = await runCli(ServerLogs, ['weather', ...flags(), '--previous']);
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toBe('');
      for (const pod of pods) expect(linesOf(run.stdout, pod)).toEqual([`weather ${pod} crashed`]);
    });

    it('a user who may read servers and pods but not pods/log: exit 5, naming the verb, resource and namespace', async () => {
      const readerKc = await asServiceAccount(ns.name, 'reader', {
        create: true,
        rules: [
          { apiGroups: ['mcp.agent-hellboy.io'], resources: ['mcpservers'], verbs: ['get', 'list'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        ],
      });
      const reader = await writeKubeconfig(readerKc, logDir.path, 'reader.kubeconfig');
      // RBAC bindings take effect a moment after they are written; wait until the pods may be listed.
      await waitFor('ServiceAccount reader may list pods', () => runCli(ServerGet, ['weather', '-n', ns.name, '--kubeconfig', reader]), {
        until: (r) => r.exitCode === 0,
        timeoutMs: 60_000,
      });
      const run = await runCli(ServerLogs, ['weather', '-n', ns.name, '--kubeconfig', reader]);
      expect(run.exitCode).toBe(5);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`forbidden: system:serviceaccount:${ns.name}:reader may not get pods/log in namespace "${ns.name}"`);
      expect(run.stderr).toContain(`kubectl auth can-i get pods/log -n ${ns.name}`);
    });

    it('--follow streams lines appended later, and ends cleanly (exit 0, no error) on Ctrl-C (subprocess)', async () => {
      const lineOf = (line: string, pod: string) => (line.startsWith(`[${pod}] `) ? line.slice(pod.length + 3) : undefined);
      const shown = new Set<string>();
      const appended = new Set<string>();
      let appending: Promise<unknown> | undefined;
      const run = await spawnCli('server/logs', ['weather', ...flags(), '--follow', '--tail', '1'], {
        onLine: (line, child) => {
          for (const pod of pods) {
            if (lineOf(line, pod) === `weather ${pod} line 3`) shown.add(pod);
            if (lineOf(line, pod) === `weather ${pod} line 4`) appended.add(pod);
          }
          // Once the last line of every pod is out, the "containers" write one more each...
          if (appending === undefined && shown.size === pods.length) {
            appending = Promise.all(pods.map((pod) => appendCriLog(mainLog(pod), [`weather ${pod} line 4`])));
          }
          // ...and once those arrived, Ctrl-C.
          if (appended.size === pods.length) child.kill('SIGINT');
        },
      });
      await appending;
      expect(run.signal).toBeNull(); // not killed by spawnCli's timeout
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toBe('');
      for (const pod of pods) expect(linesOf(run.stdout, pod)).toEqual([`weather ${pod} line 3`, `weather ${pod} line 4`]);
    });
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
