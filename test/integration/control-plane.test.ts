// Proves the local control plane behaves like a real cluster in the ways our operator and
// tests depend on: controllers (Deployment, GC), RBAC, Pod Security admission, CRD schema
// defaulting/validation, and that the sandbox entry point cleans up after itself.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1DeploymentStatus,
} from '@kubernetes/client-node';
import { apiGet } from '../../src/local-cluster/api-get.js';
import { runSandbox } from '../../src/local-cluster/sandbox.js';
import { memoryByComponent } from '../../src/local-cluster/footprint.js';
import {
  API_SERVER_ENV,
  apiServerRequestCounts,
  asServiceAccount,
  countWrites,
  diffRequestCounts,
  freshNamespace,
  installCrds,
  kubeConfig,
  processesReferencing,
  refused,
  waitFor,
  type FreshNamespace,
} from './harness/index.js';

// MCP_TEST_CRD_DIR lets a candidate CRD be checked without replacing the generated one.
const CRD_DIR = process.env.MCP_TEST_CRD_DIR ?? 'crds/';
const CRD_FILE = join(CRD_DIR, 'mcp.agent-hellboy.io_mcpservers.yaml');

// Real controllers take seconds; a project-level `testTimeout` in jest.config.js is ignored
// by jest (it only reads the global one), so set it here.
jest.setTimeout(120_000);


describe('local control plane', () => {
  let kc: KubeConfig;
  let core: CoreV1Api;
  const namespaces: FreshNamespace[] = [];
  const ns = async (prefix: string, labels?: Record<string, string>) => {
    const n = await freshNamespace(prefix, labels, kc);
    namespaces.push(n);
    return n.name;
  };

  beforeAll(() => {
    kc = kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await Promise.all(namespaces.map((n) => n.cleanup()));
  });

  it('serves the API on 127.0.0.1 with the URL global setup exported', async () => {
    expect(process.env[API_SERVER_ENV]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(kc.getCurrentCluster()?.server).toBe(process.env[API_SERVER_ENV]);
    const version = JSON.parse((await apiGet(kc, '/version')).body) as { gitVersion: string };
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  it('(a) runs a Deployment to Available with Ready pods on the simulated node', async () => {
    const namespace = await ns('deploy');
    const apps = kc.makeApiClient(AppsV1Api);
    const labels = { app: 'echo' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'echo' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            // KWOK never pulls or runs the image; the name only has to be valid.
            spec: { containers: [{ name: 'echo', image: 'registry.invalid/echo:1' }] },
          },
        },
      },
    });
    const available = (status: V1DeploymentStatus | undefined) =>
      status?.availableReplicas === 2 &&
      status.conditions?.some((c) => c.type === 'Available' && c.status === 'True') === true;
    // Observe only the status, so a timeout message shows what matters.
    await waitFor(
      'Deployment echo Available with 2 replicas',
      async () => (await apps.readNamespacedDeployment({ name: 'echo', namespace })).status,
      { until: available, timeoutMs: 60_000 },
    );

    const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app=echo' })).items;
    expect(pods).toHaveLength(2);
    const nodes = (await core.listNode()).items;
    const kwokNodes = nodes.filter((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
    expect(kwokNodes.length).toBeGreaterThanOrEqual(1);
    for (const pod of pods) {
      expect(kwokNodes.map((n) => n.metadata?.name)).toContain(pod.spec?.nodeName);
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(pod.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    }
  });

  it('(b) garbage-collects an object when its owner is deleted', async () => {
    const namespace = await ns('gc');
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'owner' } } });
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: {
          name: 'owned',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! }],
        },
      },
    });
    await core.deleteNamespacedConfigMap({ name: 'owner', namespace });
    await waitFor(
      'owned ConfigMap to be garbage-collected',
      () => refused(core.readNamespacedConfigMap({ name: 'owned', namespace })),
      { until: (f) => f.code === 404, timeoutMs: 60_000, intervalMs: 250 },
    );
  });

  it('(c) denies a ServiceAccount without permissions (403) and allows it once bound', async () => {
    const namespace = await ns('rbac');
    const sa = await asServiceAccount(namespace, 'nobody', { create: true, admin: kc });
    const asSa = sa.makeApiClient(CoreV1Api);
    const denied = await refused(asSa.listNamespacedPod({ namespace }));
    expect(denied.code).toBe(403);
    expect(denied.message).toContain(`system:serviceaccount:${namespace}:nobody`);
    expect(denied.message).toContain('cannot list resource "pods"');

    // The same identity is allowed once RBAC says so: the 403 came from RBAC, not from a broken token.
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: { metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'pod-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'nobody', namespace }],
      },
    });
    await waitFor('ServiceAccount nobody may list pods', () => asSa.listNamespacedPod({ namespace }), { timeoutMs: 60_000 });
    expect((await refused(asSa.listNamespacedSecret({ namespace }))).code).toBe(403);
  });

  it('(d) rejects a privileged pod in a namespace enforcing the restricted Pod Security level', async () => {
    const namespace = await ns('psa', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    const rejected = await refused(
      core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'privileged' },
          spec: { containers: [{ name: 'c', image: 'registry.invalid/c:1', securityContext: { privileged: true } }] },
        },
      }),
    );
    expect(rejected.code).toBe(403);
    expect(rejected.message).toContain('violates PodSecurity "restricted:latest"');
    expect(rejected.message).toContain('privileged');

    // A pod that meets "restricted" is admitted in the same namespace.
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'restricted' },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'c',
              image: 'registry.invalid/c:1',
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    });
  });

  describe('(e) MCPServer CRD', () => {
    const group = 'mcp.agent-hellboy.io';
    const version = 'v1alpha1';
    const plural = 'mcpservers';
    let installed: string[] = [];
    let installWrites = 0;

    beforeAll(async () => {
      const before = await apiServerRequestCounts(kc);
      installed = await installCrds(CRD_DIR, kc);
      const delta = diffRequestCounts(before, await apiServerRequestCounts(kc));
      installWrites = countWrites(delta, /^customresourcedefinitions\.apiextensions\.k8s\.io$/);
    });

    it('installs from crds/ (server-side apply, counted by the request-count helper)', () => {
      expect(existsSync(CRD_FILE)).toBe(true);
      expect(installed).toContain(`${plural}.${group}`);
      // At least one server-side apply per CRD; the metrics helper must see it.
      expect(installWrites).toBeGreaterThanOrEqual(installed.length);
    });

    it('defaults an MCPServer that sets only spec.image', async () => {
      const namespace = await ns('crd');
      const custom = kc.makeApiClient(CustomObjectsApi);
      await custom.createNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        body: { apiVersion: `${group}/${version}`, kind: 'MCPServer', metadata: { name: 'minimal' }, spec: { image: 'example/server' } },
      });
      const got = (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name: 'minimal' })) as {
        spec: Record<string, unknown>;
      };
      expect(got.spec).toMatchObject({ image: 'example/server', replicas: 1, port: 8088, servicePort: 80 });
    });

    it('rejects an MCPServer with port 70000 with the schema message', async () => {
      const namespace = await ns('crd-invalid');
      const custom = kc.makeApiClient(CustomObjectsApi);
      const rejected = await refused(
        custom.createNamespacedCustomObject({
          group,
          version,
          namespace,
          plural,
          body: {
            apiVersion: `${group}/${version}`,
            kind: 'MCPServer',
            metadata: { name: 'bad-port' },
            spec: { image: 'example/server', port: 70000 },
          },
        }),
      );
      expect(rejected.code).toBe(422);
      expect(rejected.message).toContain('spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535');
    });
  });
});

describe('runSandbox (cluster provision --provider local)', () => {
  it('prints "sandbox ready:", serves a working cluster, and leaves nothing behind when stopped', async () => {
    const base = mkdtempSync(join(tmpdir(), 'mcp-runtime-sandbox-test-'));
    try {
      const kubeconfigOut = join(base, 'out', 'kubeconfig');
      const lines: string[] = [];
      const abort = new AbortController();
      let readyLine: (line: string) => void = () => {};
      const ready = new Promise<string>((resolve) => (readyLine = resolve));
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(base, 'out'));
      const run = runSandbox({
        kubeconfigOut,
        signal: abort.signal,
        start: { baseDir: base },
        log: (line) => {
          lines.push(line);
          if (line.startsWith('sandbox ready:')) readyLine(line);
        },
      });
      const line = await Promise.race([ready, run.then(() => 'ended before ready')]);
      expect(line).toMatch(/^sandbox ready: https:\/\/127\.0\.0\.1:\d+$/);
      expect(lines.join('\n')).toMatch(/simulated.*no container actually runs/s);

      const sandboxKc = new KubeConfig();
      sandboxKc.loadFromFile(kubeconfigOut);
      expect(sandboxKc.getCurrentCluster()?.server).toBe(line.slice('sandbox ready: '.length));
      const nodes = await sandboxKc.makeApiClient(CoreV1Api).listNode();
      expect(nodes.items[0]?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(processesReferencing(base).length).toBeGreaterThanOrEqual(5);
      // The footprint report finds the cluster's own processes by the directory they name.
      const memory = await memoryByComponent(base);
      const components = memory.map((m) => m.component);
      expect(components).toEqual(expect.arrayContaining(['etcd', 'kube-apiserver', 'kwok']));
      expect(memory.find((m) => m.component === 'kube-apiserver')!.rssMiB).toBeGreaterThan(10);

      abort.abort();
      const result = await run;
      expect(result.reason).toBe('aborted');
      expect(processesReferencing(base)).toEqual([]);
      // Only the kubeconfig we asked for remains; the control plane's data dir is gone.
      expect(readdirSync(base)).toEqual(['out']);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
