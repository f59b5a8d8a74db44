// Proves the synthesized YAML against a real API server: the platform applies (server-side,
// dry-run), every workload we ship passes the Pod Security "restricted" profile, and the
// operator's RBAC is enough for what renderServer() produces and no more than it should be.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { apiRequest, type RawResponse } from '../../src/local-cluster/api-get.js';
import { API_VERSION, KIND, defaultSpec, type MCPServer } from '../../src/api/v1alpha1/index.js';
import { OPERATOR_RULES, renderPlatform, toPolicyRules } from '../../charts-ts/platform/index.js';
import { defaultOperatorSettings, renderServer, type RenderedObject } from '../../charts-ts/server/index.js';
import { asServiceAccount, freshNamespace, installCrds, kubeConfig, waitFor, type FreshNamespace } from './harness/index.js';

jest.setTimeout(120_000);

const FIELD_MANAGER = 'mcp-runtime-charts-test';

/** REST path segments per kind (a fixed table: the test must not depend on discovery). */
const RESOURCES: Record<string, { prefix: string; plural: string; namespaced: boolean }> = {
  Namespace: { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  ServiceAccount: { prefix: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  Secret: { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  Pod: { prefix: '/api/v1', plural: 'pods', namespaced: true },
  PersistentVolumeClaim: { prefix: '/api/v1', plural: 'persistentvolumeclaims', namespaced: true },
  Event: { prefix: '/api/v1', plural: 'events', namespaced: true },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  PodDisruptionBudget: { prefix: '/apis/policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
  NetworkPolicy: { prefix: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  Ingress: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  IngressClass: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false },
  ClusterRole: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  Role: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  CustomResourceDefinition: { prefix: '/apis/apiextensions.k8s.io/v1', plural: 'customresourcedefinitions', namespaced: false },
  Middleware: { prefix: '/apis/traefik.io/v1alpha1', plural: 'middlewares', namespaced: true },
};

function collectionPath(kind: string, namespace?: string): string {
  const r = RESOURCES[kind];
  if (r === undefined) throw new Error(`no REST path known for kind ${kind}`);
  if (r.namespaced && namespace === undefined) throw new Error(`${kind} needs a namespace`);
  return r.namespaced ? `${r.prefix}/namespaces/${namespace}/${r.plural}` : `${r.prefix}/${r.plural}`;
}

/** Server-side apply (optionally dry-run) through the raw API: no client models in the way. */
function apply(kc: KubeConfig, obj: RenderedObject, dryRun: boolean): Promise<RawResponse> {
  const query = `fieldManager=${FIELD_MANAGER}&force=true${dryRun ? '&dryRun=All' : ''}`;
  const path = `${collectionPath(obj.kind, obj.metadata.namespace)}/${encodeURIComponent(obj.metadata.name)}?${query}`;
  return apiRequest(kc, path, { method: 'PATCH', body: obj, contentType: 'application/apply-patch+yaml' });
}

const ok = (res: RawResponse) => res.status >= 200 && res.status < 300;
const describeFailure = (what: string, res: RawResponse) => `${what}: HTTP ${res.status} ${res.body.slice(0, 600)}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const podTemplate = (deployment: RenderedObject): any => (deployment as any).spec.template;

function server(name: string, spec: Record<string, unknown>): MCPServer {
  return { apiVersion: API_VERSION, kind: KIND, metadata: { name }, spec: defaultSpec({ image: 'ghcr.io/acme/weather:1.0.0', ...spec }) };
}

describe('synthesized manifests on a real API server', () => {
  let kc: KubeConfig;
  const namespaces: FreshNamespace[] = [];
  const ns = async (prefix: string, labels?: Record<string, string>) => {
    const n = await freshNamespace(prefix, labels, kc);
    namespaces.push(n);
    return n.name;
  };

  beforeAll(() => {
    kc = kubeConfig();
  });
  afterAll(async () => {
    await Promise.all(namespaces.map((n) => n.cleanup()));
  });

  it('accepts a server-side dry-run apply of the whole platform output', async () => {
    const files = renderPlatform({ ingressVariant: 'dev' });
    const all = files.flatMap((f) => f.objects);
    // Namespaced objects go to fresh namespaces carrying the same labels (a dry-run cannot
    // create the real ones, and the shared test cluster must not be changed); everything else
    // is applied exactly as rendered.
    const mapping = new Map<string, string>();
    for (const n of all.filter((o) => o.kind === 'Namespace')) {
      mapping.set(n.metadata.name, await ns(`platform-${n.metadata.name}`, n.metadata.labels));
    }
    const failures: string[] = [];
    for (const original of all) {
      const obj = structuredClone(original);
      if (obj.metadata.namespace !== undefined) obj.metadata.namespace = mapping.get(obj.metadata.namespace) ?? obj.metadata.namespace;
      for (const subject of (obj.subjects as { namespace?: string }[] | undefined) ?? []) {
        if (subject.namespace !== undefined) subject.namespace = mapping.get(subject.namespace) ?? subject.namespace;
      }
      const res = await apply(kc, obj, true);
      if (!ok(res)) failures.push(describeFailure(`${obj.kind}/${obj.metadata.name}`, res));
    }
    expect(failures).toEqual([]);
    expect(all.length).toBeGreaterThan(30);
  });

  it('admits every workload (operator, registry, traefik, servers) in a namespace enforcing restricted', async () => {
    const namespace = await ns('restricted', {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    });
    const core = kc.makeApiClient(CoreV1Api);
    // ServiceAccount admission checks the account exists, even for a dry run.
    for (const name of ['mcp-runtime-operator', 'mcp-runtime-catalog', 'traefik', 'mcp-gateway']) {
      await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
    }
    const settings = defaultOperatorSettings({ PROVISIONED_REGISTRY_URL: 'reg.example.com', PROVISIONED_REGISTRY_USERNAME: 'u', PROVISIONED_REGISTRY_PASSWORD: 'p' });
    const deployments = [
      ...renderPlatform({ ingressVariant: 'dev' }).flatMap((f) => f.objects),
      ...renderServer(server('plain', {}), settings),
      ...renderServer(
        server('full', {
          image: 'reg.example.com/team/full',
          envVars: [{ name: 'A', value: '1' }],
          secretEnvVars: [{ name: 'B', secretKeyRef: { name: 's', key: 'k' } }],
          probe: { type: 'http', path: '/healthz' },
        }),
        settings,
      ),
    ].filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name)).toEqual(['mcp-runtime-operator', 'mcp-runtime-catalog', 'registry', 'traefik', 'mcp-gateway', 'plain', 'full']);

    const path = `${collectionPath('Pod', namespace)}?dryRun=All`;
    const failures: string[] = [];
    for (const d of deployments) {
      const template = podTemplate(d);
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: d.metadata.name, namespace, labels: template.metadata.labels }, spec: template.spec };
      const res = await apiRequest(kc, path, { method: 'POST', body: pod });
      if (res.status !== 201) failures.push(describeFailure(`Pod from Deployment ${d.metadata.name}`, res));
    }
    expect(failures).toEqual([]);

    // Control: the namespace really enforces the profile.
    const privileged = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'privileged' }, spec: { containers: [{ name: 'c', image: 'c', securityContext: { privileged: true } }] } };
    const rejected = await apiRequest(kc, path, { method: 'POST', body: privileged });
    expect(rejected.status).toBe(403);
    expect(rejected.body).toContain('violates PodSecurity');
  });

  describe('operator RBAC', () => {
    const suffix = randomBytes(4).toString('hex');
    const roleName = `mcp-runtime-charts-test-${suffix}`;
    let operatorKc: KubeConfig;
    let target: string;

    beforeAll(async () => {
      // Middleware objects need the (hand-written) Traefik CRDs; installing them proves they are valid.
      await installCrds('crds/third-party/', kc);
      const home = await ns('rbac-home');
      target = await ns('rbac-target');
      operatorKc = await asServiceAccount(home, 'operator', { create: true, admin: kc });
      const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: roleName }, rules: toPolicyRules(OPERATOR_RULES) };
      const binding = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: roleName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: home }],
      };
      for (const obj of [role, binding]) {
        const res = await apply(kc, obj as RenderedObject, false);
        if (!ok(res)) throw new Error(describeFailure(`${obj.kind}/${roleName}`, res));
      }
      await waitFor('operator RBAC in effect', async () => {
        const res = await apiRequest(operatorKc, `${collectionPath('Deployment', target)}?limit=1`);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        return true;
      });
    });

    afterAll(async () => {
      for (const kind of ['ClusterRoleBinding', 'ClusterRole']) {
        await apiRequest(kc, `${collectionPath(kind)}/${roleName}`, { method: 'DELETE' });
      }
    });

    it('the rendered operator ClusterRole has no wildcard anywhere', () => {
      const role = renderPlatform().flatMap((f) => f.objects).find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'mcp-runtime-operator');
      expect(role).toBeDefined();
      expect(JSON.stringify(role)).not.toContain('*');
    });

    it('lets the operator server-side apply everything renderServer produces, pull Secret included', async () => {
      const settings = defaultOperatorSettings({ PROVISIONED_REGISTRY_URL: 'reg.example.com', PROVISIONED_REGISTRY_USERNAME: 'u', PROVISIONED_REGISTRY_PASSWORD: 'p' });
      const objects = renderServer({ ...server('weather', { image: 'reg.example.com/team/weather:1' }), metadata: { name: 'weather', namespace: target } }, settings);
      expect(objects.map((o) => o.kind)).toEqual(['Secret', 'NetworkPolicy', 'Deployment', 'Service', 'Middleware', 'Ingress']);
      const failures: string[] = [];
      for (const obj of objects) {
        const res = await apply(operatorKc, obj, false);
        if (!ok(res)) failures.push(describeFailure(`${obj.kind}/${obj.metadata.name}`, res));
      }
      expect(failures).toEqual([]);
      // Second apply (update path) and delete (pruning) are allowed too.
      for (const obj of objects) expect(ok(await apply(operatorKc, obj, false))).toBe(true);
      const del = await apiRequest(operatorKc, `${collectionPath('Middleware', target)}/weather-path-rewrite`, { method: 'DELETE' });
      expect(del.status).toBe(200);
    });

    it('lets the operator apply, update and prune every NetworkPolicy shape renderServer produces, as the API server keeps it', async () => {
      const gateway = { namespace: 'mcp-gateway', name: 'mcp-gateway', port: 80 };
      const network = {
        egress: [
          { cidr: '10.20.0.0/16', ports: [{ port: 5432 }] },
          { cidr: '2001:db8::/32', ports: [{ port: 514, protocol: 'UDP' as const }, { port: 443 }] },
          { namespace: 'databases' },
        ],
      };
      const variants = [
        renderServer({ ...server('np-ingress', {}), metadata: { name: 'np-ingress', namespace: target } }, defaultOperatorSettings({})),
        renderServer({ ...server('np-gateway', { network }), metadata: { name: 'np-gateway', namespace: target } }, { ...defaultOperatorSettings({}), gateway }),
        renderServer({ ...server('np-dns-only', { network: { egress: [] } }), metadata: { name: 'np-dns-only', namespace: target } }, defaultOperatorSettings({})),
      ].map((objects) => objects.find((o) => o.kind === 'NetworkPolicy')!);
      for (const policy of variants) {
        const res = await apply(operatorKc, policy, false);
        expect({ name: policy.metadata.name, status: res.status }).toEqual({ name: policy.metadata.name, status: 201 });
        // Kept as rendered: nothing dropped or rewritten (the operator's drift check relies on it).
        const stored = JSON.parse(res.body) as { spec: unknown };
        expect(stored.spec).toEqual(policy.spec);
        expect((await apply(operatorKc, policy, false)).status).toBe(200);
        const del = await apiRequest(operatorKc, `${collectionPath('NetworkPolicy', target)}/${policy.metadata.name}`, { method: 'DELETE' });
        expect(del.status).toBe(200);
      }
    });

    it('denies the operator any other Secret, listing or watching Secrets, and writing pods (which it may only read)', async () => {
      const core = kc.makeApiClient(CoreV1Api);
      await core.createNamespacedSecret({ namespace: target, body: { metadata: { name: 'someone-elses' }, stringData: { k: 'v' } } });
      const secrets = collectionPath('Secret', target);
      expect((await apiRequest(operatorKc, `${secrets}/someone-elses`)).status).toBe(403);
      expect((await apiRequest(operatorKc, secrets)).status).toBe(403);
      expect((await apiRequest(operatorKc, `${secrets}?watch=true&timeoutSeconds=1`)).status).toBe(403);
      const other = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'not-ours', namespace: target }, stringData: { k: 'v' } };
      expect((await apply(operatorKc, other as unknown as RenderedObject, false)).status).toBe(403);
      // Pods: read-only (the verifier finds ready pods and their IPs), never written.
      expect((await apiRequest(operatorKc, `${collectionPath('Pod', target)}`)).status).toBe(200);
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'not-ours', namespace: target }, spec: { containers: [{ name: 'c', image: 'x' }] } };
      expect((await apply(operatorKc, pod as unknown as RenderedObject, false)).status).toBe(403);
      expect((await apiRequest(operatorKc, `${collectionPath('Pod', target)}/anything`, { method: 'DELETE' })).status).toBe(403);
    });
  });
});
