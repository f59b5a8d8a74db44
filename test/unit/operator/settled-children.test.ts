import { describe, expect, it } from '@jest/globals';
import type { KubernetesObject } from '@kubernetes/client-node';
import { contentDigest, SettledChildren, type RenderContext } from '../../../src/operator/settled-children.js';

const context: RenderContext = { uid: 'u1', generation: 3, routeOwner: undefined, servedKinds: 'Deployment,Service', certManagerProblem: undefined };
const metadataKeys = { annotations: ['mcp.agent-hellboy.io/applied-digest'], labels: ['app'] };
const children = [
  { kind: 'Deployment', key: 'team/weather', resourceVersion: '10', metadataKeys },
  { kind: 'Service', key: 'team/weather', resourceVersion: '11', metadataKeys },
];
type Cached = KubernetesObject & { spec?: unknown; status?: unknown };
const deployment = (resourceVersion: string, extra: Partial<Cached> = {}): Cached => ({
  kind: 'Deployment',
  metadata: { name: 'weather', namespace: 'team', resourceVersion, generation: 1, labels: { app: 'weather' }, annotations: { 'mcp.agent-hellboy.io/applied-digest': 'd1' } },
  spec: { replicas: 2 },
  status: { availableReplicas: 0 },
  ...extra,
});
const service = (resourceVersion: string): Cached => ({ kind: 'Service', metadata: { name: 'weather', namespace: 'team', resourceVersion }, spec: { ports: [{ port: 80 }] } });
const cache = (objects: Record<string, Cached | undefined>) => (kind: string, key: string) => objects[`${kind}/${key}`];
const asApplied = cache({ 'Deployment/team/weather': deployment('10'), 'Service/team/weather': service('11') });

describe('SettledChildren', () => {
  it('answers the remembered children while the context and every cached child are unchanged', () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    expect(settled.settled('team/weather', { ...context }, asApplied)?.map((c) => c.kind)).toEqual(['Deployment', 'Service']);
  });

  it('stays settled when only a child status moved (a new resourceVersion, nothing else)', () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    expect(settled.settled('team/weather', context, asApplied)).toBeDefined();
    const available = cache({ 'Deployment/team/weather': deployment('15', { status: { availableReplicas: 2 } }), 'Service/team/weather': service('11') });
    expect(settled.settled('team/weather', context, available)).toBeDefined();
    // …and the next status change is compared with the one before it.
    const again = cache({ 'Deployment/team/weather': deployment('16', { status: { availableReplicas: 1 } }), 'Service/team/weather': service('11') });
    expect(settled.settled('team/weather', context, again)).toBeDefined();
  });

  it('renders again after a spec change, a new object, a route or kind change, or cert-manager coming', () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    for (const changed of [
      { generation: 4 },
      { uid: 'u2' },
      { routeOwner: 'team/first' },
      { servedKinds: 'Deployment,Service,Certificate' },
      { certManagerProblem: 'cert-manager is not installed' },
    ]) {
      expect(settled.settled('team/weather', { ...context, ...changed }, asApplied)).toBeUndefined();
    }
  });

  it('renders again when a child changed other than in status, or is gone from the cache', () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    expect(settled.settled('team/weather', context, asApplied)).toBeDefined();
    const edited = cache({ 'Deployment/team/weather': deployment('12', { spec: { replicas: 5 } }), 'Service/team/weather': service('11') });
    expect(settled.settled('team/weather', context, edited)).toBeUndefined();
    const relabelled = cache({ 'Deployment/team/weather': { ...deployment('13'), metadata: { ...deployment('13').metadata, labels: {} } }, 'Service/team/weather': service('11') });
    expect(settled.settled('team/weather', context, relabelled)).toBeUndefined();
    expect(settled.settled('team/weather', context, cache({ 'Deployment/team/weather': deployment('10') }))).toBeUndefined();
  });

  it("stays settled when others add their own annotations (the Deployment controller's revision)", () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    expect(settled.settled('team/weather', context, asApplied)).toBeDefined();
    const revised = deployment('14');
    revised.metadata = { ...revised.metadata, annotations: { ...revised.metadata?.annotations, 'deployment.kubernetes.io/revision': '1' } };
    expect(settled.settled('team/weather', context, cache({ 'Deployment/team/weather': revised, 'Service/team/weather': service('11') }))).toBeDefined();
    // Ours removed by someone: drift, render again.
    const stripped = deployment('15');
    stripped.metadata = { ...stripped.metadata, annotations: { 'deployment.kubernetes.io/revision': '1' } };
    expect(settled.settled('team/weather', context, cache({ 'Deployment/team/weather': stripped, 'Service/team/weather': service('11') }))).toBeUndefined();
  });

  it("knows an applied version by its digest before the cache has shown it", () => {
    const settled = new SettledChildren();
    const applied = children.map((c) => (c.kind === 'Deployment' ? { ...c, digest: contentDigest(deployment('10'), metadataKeys) } : c));
    settled.remember('team/weather', context, applied);
    const available = cache({ 'Deployment/team/weather': deployment('21', { status: { availableReplicas: 2 } }), 'Service/team/weather': service('11') });
    expect(settled.settled('team/weather', context, available)).toBeDefined();
  });

  it('does not trust a new version it never saw the compared version of', () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    // The cache moved past the applied version before any reconcile looked: compare in full.
    const later = cache({ 'Deployment/team/weather': deployment('20', { status: { availableReplicas: 2 } }), 'Service/team/weather': service('11') });
    expect(settled.settled('team/weather', context, later)).toBeUndefined();
  });

  it('knows nothing of servers never remembered or forgotten', () => {
    const settled = new SettledChildren();
    expect(settled.settled('team/weather', context, asApplied)).toBeUndefined();
    settled.remember('team/weather', context, children);
    settled.forget('team/weather');
    expect(settled.settled('team/weather', context, asApplied)).toBeUndefined();
    expect(settled.size).toBe(0);
  });
});
