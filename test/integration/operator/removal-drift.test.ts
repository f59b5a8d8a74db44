/**
 * Removal is drift too: for every optional field, set it, remove it from the live MCPServer,
 * and the children lose it — they end up equal to what `synth` renders for that server. And
 * the opposite case: when the API server does not keep what the operator applies (here a real
 * mutating webhook drops a field), the operator says so in a condition and does not re-apply in a loop.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renderServer } from '../../../charts-ts/server/index.js';
import { loadOperatorConfig } from '../../../src/operator/index.js';
import { differences } from '../../../src/operator/drift.js';
import { asMCPServer } from '../../../src/operator/routes.js';
import type { Manager } from '../../../src/runtime/index.js';
import { apiServerRequestCounts, diffRequestCounts, freshNamespace, waitFor, WRITE_VERBS, type FreshNamespace } from '../harness/index.js';
import { admin, get, installAllCrds, mcpServer, operatorIdentity, paths, removeIdentity, serverPath, startOperator } from './fixture.js';
import { startMutatingWebhook, type RunningWebhook } from './mutating-webhook.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ns: FreshNamespace;
let operator: Manager;

beforeAll(async () => {
  await installAllCrds();
  ns = await freshNamespace('removal', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  operator = await startOperator(await operatorIdentity(ns.name), ns.name);
});

afterAll(async () => {
  await operator?.stop();
  await removeIdentity(ns.name);
  await ns?.cleanup();
});

const server = (name: string) => get<Obj>(serverPath(ns.name, name));
const container = (d: Obj | undefined) => d?.spec.template.spec.containers[0];
const base = { image: 'registry.example.com/team/tool:1.0' };

interface RemovalCase {
  /** The field as a user writes it (also the server's name, made DNS-safe). */
  field: string;
  set: Obj;
  /** JSON patch that removes the field from the live object. */
  remove: { op: 'remove'; path: string }[];
  /** Reads the child where the field shows; true while the field is still there. */
  present: () => Promise<boolean>;
}

const nameOf = (field: string) => `rm-${field.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
const deployment = (field: string) => get<Obj>(paths.deployment(ns.name, nameOf(field)));
const ingress = (field: string) => get<Obj>(paths.ingress(ns.name, nameOf(field)));
const networkPolicy = (field: string) => get<Obj>(paths.networkPolicy(ns.name, nameOf(field)));

const cases: RemovalCase[] = [
  {
    field: 'envVars',
    set: { envVars: [{ name: 'EXTRA', value: '1' }] },
    remove: [{ op: 'remove', path: '/spec/envVars' }],
    present: async () => (container(await deployment('envVars'))?.env ?? []).some((e: Obj) => e.name === 'EXTRA'),
  },
  {
    field: 'secretEnvVars',
    set: { secretEnvVars: [{ name: 'TOKEN', secretKeyRef: { name: 'tool-secrets', key: 'token' } }] },
    remove: [{ op: 'remove', path: '/spec/secretEnvVars' }],
    present: async () => (container(await deployment('secretEnvVars'))?.env ?? []).some((e: Obj) => e.name === 'TOKEN'),
  },
  {
    field: 'ingressAnnotations',
    set: { ingressAnnotations: { 'example.com/team': 'tools' } },
    remove: [{ op: 'remove', path: '/spec/ingressAnnotations' }],
    present: async () => (await ingress('ingressAnnotations'))?.metadata.annotations?.['example.com/team'] !== undefined,
  },
  {
    field: 'imagePullSecrets',
    set: { imagePullSecrets: ['team-pull'] },
    remove: [{ op: 'remove', path: '/spec/imagePullSecrets' }],
    present: async () => ((await deployment('imagePullSecrets'))?.spec.template.spec.imagePullSecrets ?? []).length > 0,
  },
  {
    field: 'resources.limits.cpu',
    set: { resources: { limits: { cpu: '750m' } } },
    remove: [{ op: 'remove', path: '/spec/resources/limits/cpu' }],
    present: async () => container(await deployment('resources.limits.cpu'))?.resources?.limits?.cpu === '750m',
  },
  {
    field: 'probe',
    set: { probe: { type: 'http', path: '/healthz' } },
    remove: [{ op: 'remove', path: '/spec/probe' }],
    present: async () => container(await deployment('probe'))?.readinessProbe?.httpGet !== undefined,
  },
  {
    field: 'imagePullPolicy',
    set: { imagePullPolicy: 'Never' },
    remove: [{ op: 'remove', path: '/spec/imagePullPolicy' }],
    present: async () => container(await deployment('imagePullPolicy'))?.imagePullPolicy === 'Never',
  },
  {
    field: 'ingressHost',
    set: { ingressHost: 'tools.example.com' },
    remove: [{ op: 'remove', path: '/spec/ingressHost' }],
    present: async () => (await ingress('ingressHost'))?.spec.rules[0].host !== undefined,
  },
  {
    field: 'network.egress',
    set: { network: { egress: [{ cidr: '10.20.0.0/16', ports: [{ port: 5432 }] }] } },
    remove: [{ op: 'remove', path: '/spec/network/egress' }],
    present: async () => ((await networkPolicy('network.egress'))?.spec.policyTypes ?? []).includes('Egress'),
  },
];

/** The children as `synth` renders them for the server as it is stored now. */
async function expectChildrenAsRendered(name: string): Promise<void> {
  const stored = (await server(name))!;
  const settings = loadOperatorConfig({}, { namespaces: [ns.name] }).settings;
  const rendered = renderServer(asMCPServer(stored)!, settings).filter((o) => o.kind !== 'Secret');
  for (const object of rendered) {
    const path = { NetworkPolicy: paths.networkPolicy, Deployment: paths.deployment, Service: paths.service, Ingress: paths.ingress, Middleware: paths.middleware }[object.kind]!;
    const live = await get<Obj>(path(ns.name, object.metadata.name));
    expect({ kind: object.kind, missingOrDifferent: differences(object, live) }).toEqual({ kind: object.kind, missingOrDifferent: [] });
  }
}

describe('removing an optional field removes it from the children', () => {
  it.each(cases.map((c) => [c.field, c] as const))('%s', async (_field, c) => {
    const name = nameOf(c.field);
    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, name, { ...base, ...c.set }) });
    await waitFor(`${c.field} applied`, c.present, { until: (present) => present, timeoutMs: 60_000 });

    await admin().request('PATCH', serverPath(ns.name, name), { body: c.remove, contentType: 'application/json-patch+json' });
    const after = await waitFor(`generation 2 observed for ${name}`, () => server(name), { until: (s) => s?.status?.observedGeneration === 2, timeoutMs: 60_000 });
    expect(after?.metadata.generation).toBe(2);
    expect(await waitFor(`${c.field} gone from the child`, c.present, { until: (present) => !present, timeoutMs: 30_000 })).toBe(false);
    await expectChildrenAsRendered(name);
  });
});

describe("the server's NetworkPolicy", () => {
  it('is created and owned by the server, repaired when deleted, pruned with isolate: false and back without it', async () => {
    const name = 'isolated';
    const created = await admin().request<Obj>('POST', serverPath(ns.name), { body: mcpServer(ns.name, name, base) });
    const policy = await waitFor('NetworkPolicy created', () => get<Obj>(paths.networkPolicy(ns.name, name)), { until: (p) => p !== undefined, timeoutMs: 60_000 });
    const owner = (policy!.metadata.ownerReferences ?? []).find((r: Obj) => r.controller === true);
    expect(owner?.uid).toBe(created.metadata.uid);
    // The API server kept what was rendered: the operator's and the ingress controller's namespaces on the container port.
    expect(policy!.spec.podSelector.matchLabels).toEqual({ app: name, 'app.kubernetes.io/managed-by': 'mcp-runtime' });
    expect(policy!.spec.ingress[0].ports).toEqual([{ port: 8088, protocol: 'TCP' }]);
    expect(policy!.spec.ingress[0].from.map((f: Obj) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['mcp-runtime', 'traefik']);
    await expectChildrenAsRendered(name);

    // Drift: someone deletes it; the operator puts it back.
    await admin().request('DELETE', paths.networkPolicy(ns.name, name));
    const repaired = await waitFor('NetworkPolicy recreated', () => get<Obj>(paths.networkPolicy(ns.name, name)), {
      until: (p) => p !== undefined && p.metadata.uid !== policy!.metadata.uid,
      timeoutMs: 60_000,
    });
    expect(repaired!.spec.podSelector).toEqual(policy!.spec.podSelector);

    // isolate: false renders no policy: the one the operator owns is pruned, the rest stays.
    await admin().request('PATCH', serverPath(ns.name, name), { body: { spec: { network: { isolate: false } } }, contentType: 'application/merge-patch+json' });
    expect(await waitFor('NetworkPolicy pruned', () => get<Obj>(paths.networkPolicy(ns.name, name)), { until: (p) => p === undefined, timeoutMs: 60_000 })).toBeUndefined();
    const afterPrune = await waitFor('generation 2 observed', () => server(name), { until: (s) => s?.status?.observedGeneration === 2, timeoutMs: 60_000 });
    expect(afterPrune?.status.observedGeneration).toBe(2);
    expect(await get(paths.deployment(ns.name, name))).toBeDefined();
    await expectChildrenAsRendered(name);

    // Removing the field restores the default: isolated again.
    await admin().request('PATCH', serverPath(ns.name, name), { body: [{ op: 'remove', path: '/spec/network' }], contentType: 'application/json-patch+json' });
    await waitFor('NetworkPolicy back', () => get<Obj>(paths.networkPolicy(ns.name, name)), { until: (p) => p !== undefined, timeoutMs: 60_000 });
    await expectChildrenAsRendered(name);
  }, 240_000);

  it('is refused by the API server when an egress entry names both or neither of cidr and namespace, or a bad CIDR', async () => {
    const refusal = async (egress: Obj[]) => {
      try {
        await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'bad-egress', { ...base, network: { egress } }) });
        return 'accepted';
      } catch (error) {
        return String((error as Error).message);
      }
    };
    expect(await refusal([{ cidr: '10.0.0.0/8', namespace: 'db' }])).toContain('set exactly one of cidr and namespace');
    expect(await refusal([{ ports: [{ port: 443 }] }])).toContain('set exactly one of cidr and namespace');
    expect(await refusal([{ cidr: '10.0.0.0/33' }])).toMatch(/spec\.network\.egress\[0\]\.cidr/);
    expect(await refusal([{ cidr: 'example.com/24' }])).toMatch(/spec\.network\.egress\[0\]\.cidr/);
  });
});

describe('fields the API server does not keep', () => {
  let webhook: RunningWebhook | undefined;

  afterAll(async () => {
    await webhook?.stop();
  });

  it('says which field was not kept, and applies once instead of looping', async () => {
    // A mutating webhook that drops stripPrefix from every Middleware in this namespace: the
    // API server answers the operator's apply without the field it sent.
    webhook = await startMutatingWebhook({
      name: `strip-${ns.name}`,
      namespace: ns.name,
      rule: { apiGroups: ['traefik.io'], apiVersions: ['v1alpha1'], resources: ['middlewares'] },
      mutate: (object) => ((object.spec as Obj | undefined)?.stripPrefix === undefined ? [] : [{ op: 'remove', path: '/spec/stripPrefix' }, { op: 'add', path: '/spec/headers', value: {} }]),
    });
    // The API server picks up webhook configurations asynchronously: wait until a dry run is mutated.
    const probe = { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'probe', namespace: ns.name }, spec: { stripPrefix: { prefixes: ['/x'] } } };
    await waitFor('webhook in effect', () => admin().request<Obj>('PATCH', paths.middleware(ns.name, 'probe'), { body: probe, contentType: 'application/apply-patch+yaml', query: { fieldManager: 'tests', dryRun: 'All', force: true } }), {
      until: (m) => m.spec?.stripPrefix === undefined,
      timeoutMs: 30_000,
    });

    const before = await apiServerRequestCounts();
    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'pruned', { ...base, ingressPath: '/pruned/mcp' }) });
    const stuck = await waitFor('FieldsNotKept reported', () => server('pruned'), {
      until: (s) => (s?.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.reason === 'FieldsNotKept'),
      timeoutMs: 60_000,
    });
    const ready = stuck!.status.conditions.find((c: Obj) => c.type === 'Ready');
    expect(ready.message).toContain('Middleware pruned-path-rewrite: .spec.stripPrefix');
    expect(ready.message).toContain('admission webhook');
    expect(stuck!.status.phase).toBe('Error');

    // A window bounded by real work, not a sleep: another server converges meanwhile (its
    // Middleware is mutated too, so it ends in the same state).
    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'bystander', { ...base, ingressPath: '/bystander/mcp' }) });
    await waitFor('bystander reconciled', () => server('bystander'), {
      until: (s) => (s?.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.reason === 'FieldsNotKept'),
      timeoutMs: 60_000,
    });
    const after = await apiServerRequestCounts();
    const middlewareWrites = diffRequestCounts(before, after).samples.filter((s) => s.resource === 'middlewares' && WRITE_VERBS.has(s.verb));
    // One apply per server's Middleware: none repeated for pruned's, however many events its
    // own apply and bystander's caused.
    expect(middlewareWrites.reduce((n, s) => n + s.value, 0)).toBe(2);
    expect(webhook.reviews).toBeGreaterThanOrEqual(3); // the probe and both applies went through it
  }, 180_000);
});
