import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { mcpServerCrd } from '../../../src/api/v1alpha1/index.js';
import {
  LEADER_ELECTION_RULES,
  OPERATOR_RULES,
  TRAEFIK_RULES,
  renderPlatform,
  traefikCrds,
  type PlatformOptions,
} from '../../../charts-ts/platform/index.js';
import type { RenderedObject } from '../../../charts-ts/server/index.js';
import { allStrings, j } from './fixtures.js';

const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass']);

function platform(options: PlatformOptions = {}) {
  const files = renderPlatform(options);
  const all = files.flatMap((f) => f.objects);
  const find = (kind: string, name: string): RenderedObject => {
    const found = all.find((o) => o.kind === kind && o.metadata.name === name);
    if (found === undefined) throw new Error(`no ${kind}/${name}`);
    return found;
  };
  return { files, all, find, names: files.map((f) => f.name) };
}

const podSpec = (o: RenderedObject) => j(o).spec.template.spec;

describe('platform charts', () => {
  it('renders one chart per concern, in apply order', () => {
    expect(platform().names).toEqual(['namespaces', 'crds', 'operator', 'registry', 'traefik', 'gateway']);
    expect(platform({ gateway: false }).names).toEqual(['namespaces', 'crds', 'operator', 'registry', 'traefik']);
    expect(platform({ ingress: 'none', registry: { url: 'reg.example.com' } }).names).toEqual(['namespaces', 'crds', 'operator']);
  });

  it('keeps cluster-scoped objects free of a namespace and namespaces every other object', () => {
    for (const o of platform().all) {
      if (CLUSTER_SCOPED.has(o.kind)) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, undefined]);
      else expect([o.kind, o.metadata.namespace]).toEqual([o.kind, expect.any(String)]);
    }
  });

  it('uses exact names (no hashes) and no cdk8s labels anywhere', () => {
    const { all } = platform({ ingressVariant: 'dev' });
    expect(allStrings(all).some((s) => s.startsWith('cdk8s.io'))).toBe(false);
    expect(all.map((o) => o.metadata.name)).toContain('mcp-runtime-operator');
    expect(all.every((o) => !/-c8[0-9a-f]{6}$/.test(o.metadata.name))).toBe(true);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(renderPlatform({ ingressVariant: 'dev' }))).toBe(JSON.stringify(renderPlatform({ ingressVariant: 'dev' })));
  });
});

describe('namespaces', () => {
  it('creates mcp-runtime, registry, traefik, mcp-gateway, mcp-servers, all enforcing restricted', () => {
    const namespaces = platform().all.filter((o) => o.kind === 'Namespace');
    expect(namespaces.map((n) => n.metadata.name)).toEqual(['mcp-runtime', 'registry', 'traefik', 'mcp-gateway', 'mcp-servers']);
    for (const n of namespaces) {
      expect(n.metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      });
    }
  });

  it('skips registry and traefik when not installed', () => {
    const names = platform({ ingress: 'none', registry: { url: 'r.example' } }).all.filter((o) => o.kind === 'Namespace').map((n) => n.metadata.name);
    expect(names).toEqual(['mcp-runtime', 'mcp-servers']);
  });
});

describe('CRDs', () => {
  it('embeds the MCPServer CRD, equal to the generated file', () => {
    const crd = platform().find('CustomResourceDefinition', 'mcpservers.mcp.agent-hellboy.io');
    expect(crd).toEqual(mcpServerCrd());
    expect(crd).toEqual(parse(readFileSync('crds/mcp.agent-hellboy.io_mcpservers.yaml', 'utf8')));
  });

  it('adds the Traefik CRDs (open schemas) only with the traefik ingress', () => {
    const crds = (o: PlatformOptions) => platform(o).all.filter((x) => x.kind === 'CustomResourceDefinition').map((x) => x.metadata.name);
    expect(crds({})).toContain('middlewares.traefik.io');
    expect(crds({})).toHaveLength(11);
    expect(crds({ ingress: 'none' })).toEqual(['mcpservers.mcp.agent-hellboy.io']);
    const middleware = j(platform().find('CustomResourceDefinition', 'middlewares.traefik.io'));
    expect(middleware.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields']).toBe(true);
  });

  it('the hand-written crds/third-party file holds exactly the embedded Traefik CRDs', () => {
    const docs = parseAllDocuments(readFileSync('crds/third-party/traefik.io_crds.yaml', 'utf8'));
    expect(Array.isArray(docs) ? docs.map((d) => d.toJS()) : []).toEqual(traefikCrds());
  });
});

describe('operator RBAC', () => {
  const { find } = platform();

  it('binds OPERATOR_RULES in a ClusterRole, without any wildcard', () => {
    const role = j(find('ClusterRole', 'mcp-runtime-operator'));
    expect(role.rules).toEqual(OPERATOR_RULES);
    expect(allStrings(role.rules)).not.toContain('*');
    expect(allStrings(OPERATOR_RULES).some((s) => s.includes('*'))).toBe(false);
    const binding = j(find('ClusterRoleBinding', 'mcp-runtime-operator'));
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'mcp-runtime-operator' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'mcp-runtime-operator', namespace: 'mcp-runtime' }]);
  });

  it('grants exactly the verbs the operator uses', () => {
    const verbs = (group: string, resource: string) =>
      OPERATOR_RULES.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);
    expect(verbs('mcp.agent-hellboy.io', 'mcpservers')).toEqual(['get', 'list', 'watch']);
    expect(verbs('mcp.agent-hellboy.io', 'mcpservers/status')).toEqual(['get', 'update', 'patch']);
    for (const [group, resource] of [['apps', 'deployments'], ['', 'services'], ['networking.k8s.io', 'ingresses'], ['networking.k8s.io', 'networkpolicies'], ['traefik.io', 'middlewares']] as const) {
      expect(verbs(group, resource)).toEqual(['get', 'list', 'watch', 'create', 'patch', 'delete']);
    }
    expect(verbs('', 'events')).toEqual(['create', 'patch']);
    expect(verbs('events.k8s.io', 'events')).toEqual(['create', 'patch']);
    // cert-manager Certificates are cached, applied and pruned, never read one by one.
    expect(verbs('cert-manager.io', 'certificates')).toEqual(['list', 'watch', 'create', 'patch', 'delete']);
  });

  it('touches only its own pull Secret, by name, and can neither list nor watch Secrets', () => {
    const secretRules = OPERATOR_RULES.filter((r) => r.resources.includes('secrets'));
    expect(secretRules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['mcp-runtime-registry-creds'], verbs: ['get', 'create', 'patch', 'delete'] }]);
    const custom = j(platform({ registry: { url: 'r.example', pullSecretName: 'my-pull' } }).find('ClusterRole', 'mcp-runtime-operator'));
    expect(custom.rules.find((r: { resources: string[] }) => r.resources.includes('secrets')).resourceNames).toEqual(['my-pull']);
  });

  it('has a leader-election Role on leases in mcp-runtime', () => {
    const role = j(find('Role', 'mcp-runtime-operator-leader-election'));
    expect(role.metadata.namespace).toBe('mcp-runtime');
    expect(role.rules).toEqual(LEADER_ELECTION_RULES);
    expect(role.rules).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }]);
    const binding = j(find('RoleBinding', 'mcp-runtime-operator-leader-election'));
    expect(binding.roleRef.kind).toBe('Role');
    expect(binding.subjects[0].name).toBe('mcp-runtime-operator');
  });

  it('has no wildcard in any RBAC object of the platform', () => {
    const rbac = platform({ ingressVariant: 'dev' }).all.filter((o) => ['ClusterRole', 'Role'].includes(o.kind));
    expect(allStrings(rbac.map((r) => j(r).rules))).not.toContain('*');
    expect(allStrings(TRAEFIK_RULES)).not.toContain('*');
  });
});

describe('operator Deployment', () => {
  it('runs 2 replicas of the operator entry (settings from the environment, no CLI framework) with health and metrics ports and probes', () => {
    const d = j(platform().find('Deployment', 'mcp-runtime-operator'));
    expect(d.spec.replicas).toBe(2);
    const c = d.spec.template.spec.containers[0];
    expect(c.command).toEqual(['node', '--optimize-for-size', '/app/dist/src/operator/main.js']);
    expect(c.ports).toEqual([
      { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
      { name: 'health', containerPort: 8081, protocol: 'TCP' },
    ]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
    expect(d.spec.template.spec.serviceAccountName).toBe('mcp-runtime-operator');
  });

  it('has a PodDisruptionBudget with minAvailable 1 on the same selector', () => {
    const { find } = platform();
    const pdb = j(find('PodDisruptionBudget', 'mcp-runtime-operator'));
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.selector).toEqual(j(find('Deployment', 'mcp-runtime-operator')).spec.selector);
  });

  it('passes the defaults through env, with the internal registry', () => {
    const env = podSpec(platform({ defaultIngressHost: 'mcp.example.com' }).find('Deployment', 'mcp-runtime-operator')).containers[0].env;
    const names = env.map((e: { name: string }) => e.name);
    expect(env).toContainEqual({ name: 'MCP_DEFAULT_INGRESS_HOST', value: 'mcp.example.com' });
    expect(env).toContainEqual({ name: 'DEFAULT_INGRESS_CLASS', value: 'traefik' });
    expect(names).not.toContain('PROVISIONED_REGISTRY_URL');
  });

  it("tells the operator where Traefik and the operator itself live (server NetworkPolicies let them in)", () => {
    const env = podSpec(platform().find('Deployment', 'mcp-runtime-operator')).containers[0].env;
    expect(env).toContainEqual({ name: 'MCP_INGRESS_NAMESPACE', value: 'traefik' });
    expect(env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    // Without Traefik the controller is the user's: the operator keeps its default unless told.
    const own = podSpec(platform({ ingress: 'none' }).find('Deployment', 'mcp-runtime-operator')).containers[0].env;
    expect(own.map((e: { name: string }) => e.name)).not.toContain('MCP_INGRESS_NAMESPACE');
  });

  it('reads the external registry password from a Secret, never inline', () => {
    const env = podSpec(
      platform({ registry: { url: 'reg.example.com', username: 'bot', pullSecretName: 'pull' } }).find('Deployment', 'mcp-runtime-operator'),
    ).containers[0].env;
    expect(env).toContainEqual({ name: 'PROVISIONED_REGISTRY_URL', value: 'reg.example.com' });
    expect(env).toContainEqual({ name: 'PROVISIONED_REGISTRY_USERNAME', value: 'bot' });
    expect(env).toContainEqual({ name: 'PROVISIONED_REGISTRY_SECRET_NAME', value: 'pull' });
    const password = env.find((e: { name: string }) => e.name === 'PROVISIONED_REGISTRY_PASSWORD');
    expect(password).toEqual({
      name: 'PROVISIONED_REGISTRY_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'mcp-runtime-registry', key: 'password', optional: true } },
    });
    expect(password.value).toBeUndefined();
  });

  it('uses the given operator image', () => {
    expect(podSpec(platform({ operatorImage: 'me/op:2' }).find('Deployment', 'mcp-runtime-operator')).containers[0].image).toBe('me/op:2');
  });
});

describe('restricted security for every workload', () => {
  const deployments = platform().all.filter((o) => o.kind === 'Deployment');

  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s', (_name, d) => {
    const pod = podSpec(d);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of pod.containers) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
      });
      for (const p of c.ports ?? []) expect(p.containerPort).toBeGreaterThanOrEqual(1024);
    }
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
  });
});

describe('in-cluster registry', () => {
  const { find } = platform({ registryStorageSize: '20Gi', registryStorageClass: 'fast', registryAllowedCidrs: ['10.0.0.0/16'] });

  it('is a ClusterIP Service on 5000 (no NodePort)', () => {
    const svc = j(find('Service', 'registry'));
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'registry', port: 5000, targetPort: 'registry', protocol: 'TCP' }]);
    expect(JSON.stringify(platform().all)).not.toMatch(/nodePort|NodePort/);
  });

  it('stores on a PVC of the given size and class', () => {
    const pvc = j(find('PersistentVolumeClaim', 'registry-data'));
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } });
    expect(j(platform().find('PersistentVolumeClaim', 'registry-data')).spec.storageClassName).toBeUndefined();
    const d = j(find('Deployment', 'registry'));
    expect(d.spec.template.spec.containers[0].image).toBe('registry:2');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'registry-data' } });
    expect(d.spec.template.spec.securityContext.fsGroup).toBe(65532);
  });

  it('admits traffic only from registry and mcp-runtime pods and the given CIDRs', () => {
    const np = j(find('NetworkPolicy', 'registry'));
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.podSelector).toEqual(j(find('Deployment', 'registry')).spec.selector);
    expect(np.spec.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['registry', 'mcp-runtime'] }] } },
          { ipBlock: { cidr: '10.0.0.0/16' } },
        ],
        ports: [{ port: 5000, protocol: 'TCP' }],
      },
    ]);
  });

  it('gets the ClusterIP asked for (kind nodes are told it in advance), and an allocated one otherwise', () => {
    expect(j(platform({ registryClusterIP: '10.96.0.50' }).find('Service', 'registry')).spec.clusterIP).toBe('10.96.0.50');
    expect(j(find('Service', 'registry')).spec.clusterIP).toBeUndefined();
  });
});

describe('Traefik', () => {
  const args = (variant: 'prod' | 'dev') => podSpec(platform({ ingressVariant: variant }).find('Deployment', 'traefik')).containers[0].args as string[];

  it('prod (default): no API, no dashboard', () => {
    expect(args('prod')).toEqual(podSpec(platform().find('Deployment', 'traefik')).containers[0].args);
    expect(args('prod').filter((a) => a.startsWith('--api'))).toEqual([]);
    expect(() => platform().find('Service', 'traefik-dashboard')).toThrow();
  });

  it('dev: insecure API and dashboard, reachable through a ClusterIP Service', () => {
    expect(args('dev')).toEqual(expect.arrayContaining(['--api.insecure=true', '--api.dashboard=true']));
    expect(j(platform({ ingressVariant: 'dev' }).find('Service', 'traefik-dashboard')).spec.type).toBe('ClusterIP');
  });

  it('serves Ingress and CRD providers for class traefik, streams SSE past the 60 s default read timeout', () => {
    expect(args('prod')).toEqual(
      expect.arrayContaining([
        '--providers.kubernetesingress=true',
        '--providers.kubernetesingress.ingressclass=traefik',
        '--providers.kubernetescrd=true',
        '--entryPoints.web.transport.respondingTimeouts.readTimeout=3600s',
        '--providers.kubernetesingress.ingressendpoint.publishedservice=traefik/traefik',
      ]),
    );
    expect(args('prod').join(' ')).not.toMatch(/compress|buffering/i);
  });

  it('has the IngressClass traefik, a ServiceAccount and ClusterRole/Binding', () => {
    const { find } = platform();
    expect(j(find('IngressClass', 'traefik')).spec).toEqual({ controller: 'traefik.io/ingress-controller' });
    expect(find('ServiceAccount', 'traefik').metadata.namespace).toBe('traefik');
    expect(j(find('ClusterRole', 'traefik')).rules).toEqual(TRAEFIK_RULES);
    expect(j(find('ClusterRoleBinding', 'traefik')).subjects).toEqual([{ kind: 'ServiceAccount', name: 'traefik', namespace: 'traefik' }]);
    expect(j(find('Service', 'traefik')).spec.ports).toEqual([{ name: 'web', port: 80, targetPort: 'web', protocol: 'TCP' }]);
  });
});
