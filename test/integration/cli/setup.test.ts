// setup, status and cluster init/status against the real control plane (KWOK runs the pods,
// so the Deployments do become available). These tests change cluster-wide objects (the
// platform namespaces, CRDs, ClusterRoles), so they run in order in this one file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Setup from '../../../src/commands/setup.js';
import Status from '../../../src/commands/status.js';
import ClusterInit from '../../../src/commands/cluster/init.js';
import ClusterStatus from '../../../src/commands/cluster/status.js';
import type { KubeObject, KubeRest } from '../../../src/kube/rest.js';
import { runCli } from './cli.js';
import { admin, adminKubeconfig, applyAsTests, preBindRegistryStorage } from './fixtures/cluster.js';
import { waitFor } from '../harness/index.js';

let rest: KubeRest;
let kubeconfig: string;

// `--registry internal` and `--force-ingress-install` pin the two decisions setup otherwise
// makes from cluster state (a provisioned-registry Secret, foreign IngressClasses), which other
// test files running at the same time may change.
const SETUP = () => ['--kubeconfig', kubeconfig, '--registry', 'internal', '--force-ingress-install', '--timeout', '90'];

/** Every platform object setup manages, with its resourceVersion (or absent). */
async function platformSnapshot(): Promise<Record<string, string>> {
  const paths = [
    ...['mcp-runtime', 'registry', 'traefik', 'mcp-servers'].map((n) => `/api/v1/namespaces/${n}`),
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/mcpservers.mcp.agent-hellboy.io',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/middlewares.traefik.io',
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/mcp-runtime-operator',
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/traefik',
    '/apis/networking.k8s.io/v1/ingressclasses/traefik',
  ];
  const snapshot: Record<string, string> = {};
  for (const p of paths) {
    const obj = await rest.find<KubeObject>(p);
    snapshot[p] = obj?.metadata?.resourceVersion ?? 'absent';
  }
  for (const ns of ['mcp-runtime', 'registry', 'traefik']) {
    for (const kind of ['deployments', 'services', 'serviceaccounts']) {
      const group = kind === 'deployments' ? '/apis/apps/v1' : '/api/v1';
      const items = await rest.list(`${group}/namespaces/${ns}/${kind}`).catch(() => []);
      for (const item of items) {
        if (kind === 'serviceaccounts' && item.metadata?.name === 'default') continue;
        snapshot[`${ns}/${kind}/${item.metadata?.name}`] = item.metadata?.resourceVersion ?? '';
      }
    }
  }
  return snapshot;
}

beforeAll(async () => {
  rest = await admin();
  kubeconfig = adminKubeconfig();
});

afterAll(async () => {
  await rest?.request('DELETE', '/apis/networking.k8s.io/v1/ingressclasses/cli-tests-foreign').catch(() => undefined);
});

describe('setup', () => {
  it('--dry-run writes nothing and shows what would be created', async () => {
    const before = await platformSnapshot();
    const run = await runCli(Setup, [...SETUP(), '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/(created|configured)\s+Deployment mcp-runtime\/mcp-runtime-operator \(dry run|No changes/);
    expect(run.stdout).toMatch(/dry run: nothing was written|No changes/);
    expect(await platformSnapshot()).toEqual(before);
  });

  it('installs the platform, waits until registry and operator are available, and prints the endpoints', async () => {
    await preBindRegistryStorage(rest); // only when the cluster has no default StorageClass
    const run = await runCli(Setup, SETUP());
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('all Deployments available'); // the progress display
    expect(run.stdout).toMatch(/Ready: .*mcp-runtime\/mcp-runtime-operator 2\/2.*registry\/registry 1\/1/);
    expect(run.stdout).toContain('Registry:  registry.registry.svc.cluster.local:5000');
    expect(run.stdout).toContain('Operator:  Deployment mcp-runtime/mcp-runtime-operator');
    expect(run.stdout).toContain('Ingress:   Traefik');
    const operator = await rest.get<KubeObject & { status?: { availableReplicas?: number } }>(
      '/apis/apps/v1/namespaces/mcp-runtime/deployments/mcp-runtime-operator',
    );
    expect(operator.status?.availableReplicas).toBe(2);
    const ns = await rest.get('/api/v1/namespaces/mcp-servers');
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.metadata?.managedFields).toEqual(expect.arrayContaining([expect.objectContaining({ manager: 'mcp-runtime-cli', operation: 'Apply' })]));
  });

  it('a second run changes nothing and says so', async () => {
    const before = await platformSnapshot();
    const run = await runCli(Setup, SETUP());
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^No changes: all \d+ platform objects are up to date\.$/m);
    expect(run.stdout).not.toMatch(/^(created|configured) /m);
    expect(await platformSnapshot()).toEqual(before);
  });

  it('--registry-allow-cidr: the dry run shows the node addresses the registry NetworkPolicy would admit, and writes nothing', async () => {
    const before = await platformSnapshot();
    const run = await runCli(Setup, [...SETUP(), '--dry-run', '--registry-allow-cidr', '172.18.0.2/32', '--registry-allow-cidr', '172.18.0.3/32']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('configured NetworkPolicy registry/registry (dry run)');
    const diff = run.stdout.slice(run.stdout.indexOf('NetworkPolicy registry/registry:'));
    expect(diff).toContain('172.18.0.2/32');
    expect(diff).toContain('172.18.0.3/32');
    expect(run.stdout).toContain('0 created, 1 configured');
    expect(await platformSnapshot()).toEqual(before);
  });

  it('--registry-cluster-ip: the existing ClusterIP is accepted; another one is refused before anything is applied (exit 2, how to recreate)', async () => {
    const service = await rest.get<KubeObject & { spec?: { clusterIP?: string } }>('/api/v1/namespaces/registry/services/registry');
    const current = service.spec?.clusterIP ?? '';
    expect(current).toMatch(/^10\.96\./);
    const same = await runCli(Setup, [...SETUP(), '--dry-run', '--registry-cluster-ip', current]);
    expect(same.exitCode).toBe(0);
    // Taking over the field is all that changes (the Service may show as configured): no new value.
    expect(same.stdout).not.toMatch(/clusterIP/i);
    expect(same.stderr).not.toContain('cannot change');

    const other = current === '10.96.0.50' ? '10.96.0.52' : '10.96.0.50';
    const before = await platformSnapshot();
    const run = await runCli(Setup, [...SETUP(), '--registry-cluster-ip', other]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`--registry-cluster-ip ${other}: Service registry/registry already has ClusterIP ${current}, and a ClusterIP cannot change.`);
    expect(run.stderr).toContain('kubectl -n registry delete service registry');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(await platformSnapshot()).toEqual(before);
  });

  it.each([
    [['--registry-allow-cidr', '10.0.0.0/40'], '--registry-allow-cidr "10.0.0.0/40": must be a CIDR'],
    [['--registry-cluster-ip', 'registry.local'], '--registry-cluster-ip "registry.local": must be an IP address'],
  ])('a malformed %j is invalid input (exit 3) naming the flag, and nothing is written', async (flags, message) => {
    const before = await platformSnapshot();
    const run = await runCli(Setup, [...SETUP(), ...flags]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(message);
    expect(await platformSnapshot()).toEqual(before);
  });

  it('--dry-run with a different option shows the field that would change, and still writes nothing', async () => {
    const before = await platformSnapshot();
    const run = await runCli(Setup, [...SETUP(), '--dry-run', '--default-ingress-host', 'mcp.example.com']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('configured Deployment mcp-runtime/mcp-runtime-operator (dry run)');
    expect(run.stdout).toContain('+ spec.template.spec.containers[name=operator].env[name=MCP_DEFAULT_INGRESS_HOST].value: "mcp.example.com"');
    // The catalog's Ingress follows the platform host too.
    expect(run.stdout).toContain('+ spec.rules[0].host: "mcp.example.com"');
    expect(run.stdout).toContain('0 created, 2 configured');
    expect(await platformSnapshot()).toEqual(before);
  });

  it('skips Traefik when a foreign IngressClass exists (unless forced)', async () => {
    await applyAsTests(rest, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'cli-tests-foreign' },
      spec: { controller: 'example.com/other-controller' },
    });
    try {
      const run = await runCli(Setup, ['--kubeconfig', kubeconfig, '--registry', 'internal', '--dry-run']);
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toContain('IngressClass cli-tests-foreign (example.com/other-controller) already exists; not installing Traefik');
      expect(run.stdout).not.toContain('Deployment traefik/traefik');
    } finally {
      await rest.request('DELETE', '/apis/networking.k8s.io/v1/ingressclasses/cli-tests-foreign');
    }
  });

  it('--registry external without a provisioned registry is a usage error', async () => {
    const secret = await rest.find('/api/v1/namespaces/mcp-runtime/secrets/mcp-runtime-registry');
    if (secret !== undefined) return; // another test file provisioned one; the error cannot happen now
    const run = await runCli(Setup, ['--kubeconfig', kubeconfig, '--registry', 'external', '--dry-run']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('mcp-runtime registry provision --url');
  });

  it('times out with exit 7 and says what it is waiting for', async () => {
    // A quota of zero pods stalls the operator's rollout: its new ReplicaSet cannot create pods.
    await applyAsTests(rest, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'cli-tests-no-pods', namespace: 'mcp-runtime' }, spec: { hard: { pods: '0' } } });
    try {
      const run = await runCli(Setup, [...SETUP().slice(0, -2), '--timeout', '3', '--operator-image', 'example.com/other-operator:1']);
      expect(run.exitCode).toBe(7);
      expect(run.stdout).toContain('configured Deployment mcp-runtime/mcp-runtime-operator');
      expect(run.stderr).toMatch(/timed out after \d+ s: mcp-runtime\/mcp-runtime-operator \d\/2 \(/);
      expect(run.stderr).toContain('run setup again (or raise --timeout)');
    } finally {
      await rest.request('DELETE', '/api/v1/namespaces/mcp-runtime/resourcequotas/cli-tests-no-pods');
      const restored = await runCli(Setup, SETUP()); // back to the default image, rolled out
      expect(restored.exitCode).toBe(0);
    }
  });
});

describe('status and cluster commands', () => {
  it('status reports a ready platform (exit 0)', async () => {
    const run = await runCli(Status, ['--kubeconfig', kubeconfig]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^OK {2}Cluster https:\/\/127\.0\.0\.1:\d+ \(context [^)]+\), Kubernetes v1\.\d+/m);
    expect(run.stdout).toContain('OK  MCPServer CRD installed (v1alpha1)');
    expect(run.stdout).toContain('OK  Operator: Deployment mcp-runtime/mcp-runtime-operator 2/2 ready');
    expect(run.stdout).toContain('OK  Registry: Deployment registry/registry 1/1 ready');
    expect(run.stdout).toContain('OK  Traefik: Deployment traefik/traefik 1/1 ready');
    expect(run.stdout).toContain('Platform ready.');
    const json = JSON.parse((await runCli(Status, ['--kubeconfig', kubeconfig, '-o', 'json'])).stdout) as { healthy: boolean; crd: { state: string } };
    expect(json).toMatchObject({ healthy: true, crd: { state: 'installed' } });
  });

  it('status exits 1 and names the component when one is not available', async () => {
    // No pods allowed in registry, then its pod goes: the Deployment cannot recover.
    await applyAsTests(rest, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'cli-tests-no-pods', namespace: 'registry' }, spec: { hard: { pods: '0' } } });
    try {
      await rest.request('DELETE', '/api/v1/namespaces/registry/pods', { query: { labelSelector: 'app.kubernetes.io/name=registry', gracePeriodSeconds: 0 } });
      // The Deployment's status follows the pod's deletion only after kube-controller-manager's
      // ReplicaSet and Deployment controllers have run, which on a busy 2-core machine took over
      // 10 s once (CI). Wait on that status itself, then ask the CLI once: what is under test is
      // how status reports an unavailable component, not how fast the controllers are.
      await waitFor(
        'the registry Deployment to report 0 ready replicas',
        () => rest.find<KubeObject & { status?: { readyReplicas?: number } }>('/apis/apps/v1/namespaces/registry/deployments/registry'),
        { timeoutMs: 90_000, until: (d) => (d?.status?.readyReplicas ?? 0) === 0 },
      );
      const run = await runCli(Status, ['--kubeconfig', kubeconfig]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/NO {2}Registry: Deployment registry\/registry 0\/1 ready - /);
      expect(run.stdout).toContain('Platform not ready.');
    } finally {
      await rest.request('DELETE', '/api/v1/namespaces/registry/resourcequotas/cli-tests-no-pods');
      expect((await runCli(Setup, SETUP())).exitCode).toBe(0); // waits until the registry is back
    }
  });

  it('status and setup name the pod behind "0/1 ready": one the scheduler cannot place, and why', async () => {
    const registry = '/apis/apps/v1/namespaces/registry/deployments/registry';
    const nodeSelector = (value: Record<string, string> | null) =>
      rest.request('PATCH', registry, { body: { spec: { template: { spec: { nodeSelector: value } } } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'cli-tests' } });
    // No node carries this label: the registry's new pod stays Pending (Unschedulable).
    await nodeSelector({ 'mcp-runtime.test/nowhere': 'true' });
    try {
      await waitFor(
        'a registry pod the scheduler could not place',
        () => rest.list<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>('/api/v1/namespaces/registry/pods', { labelSelector: 'app.kubernetes.io/name=registry' }),
        { timeoutMs: 90_000, until: (pods) => pods.some((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')) },
      );
      const status = await runCli(Status, ['--kubeconfig', kubeconfig]);
      expect(status.exitCode).toBe(1);
      expect(status.stdout).toMatch(/NO {2}Registry: Deployment registry\/registry \d\/1 ready - .*; pod registry-\S+ cannot be scheduled: 0\/\d+ nodes are available/);
      // setup re-applies (the selector is another manager's field, so it stays) and times out naming the pod.
      const setup = await runCli(Setup, [...SETUP().slice(0, -2), '--timeout', '3']);
      expect(setup.exitCode).toBe(7);
      expect(setup.stderr).toMatch(/timed out after \d+ s: registry\/registry \d\/1 \(.*; pod registry-\S+ cannot be scheduled: 0\/\d+ nodes are available/);
    } finally {
      await nodeSelector(null);
      expect((await runCli(Setup, SETUP())).exitCode).toBe(0); // waits until the registry is back
    }
  });

  it('cluster init is idempotent and cluster status shows CRD and namespaces', async () => {
    const init = await runCli(ClusterInit, ['--kubeconfig', kubeconfig]);
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toContain('unchanged  CustomResourceDefinition mcpservers.mcp.agent-hellboy.io');
    expect(init.stdout).toContain('No changes: the cluster is already initialised.');
    const status = await runCli(ClusterStatus, ['--kubeconfig', kubeconfig]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('OK  Namespace mcp-servers');
    expect(status.stdout).toContain('OK  MCPServer CRD installed (v1alpha1)');
    expect(status.stdout).toMatch(/OK {2}Nodes: \d+\/\d+ Ready/);
  });
});
