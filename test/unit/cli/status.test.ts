import { describe, expect, it } from '@jest/globals';
import { summarizeDeployment } from '../../../src/status/deployments.js';
import { platformHealthy, renderPlatformStatus, type ComponentStatus, type PlatformStatus } from '../../../src/status/platform.js';
import { renderServerStatus, type ServerStatusReport } from '../../../src/servers/status.js';
import { describeWaiting } from '../../../src/setup/setup.js';

describe('summarizeDeployment', () => {
  const d = (status: object, generation = 1, replicas = 2) => ({
    metadata: { name: 'op', namespace: 'mcp-runtime', generation },
    spec: { replicas, template: { spec: { containers: [{ name: 'c', image: 'img:1' }] } } },
    status,
  });
  it('names the Deployment and its image, and applies the shared readiness rule', () => {
    expect(summarizeDeployment(d({ observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 }))).toEqual({
      namespace: 'mcp-runtime', name: 'op', available: true, ready: 2, desired: 2, image: 'img:1',
    });
    expect(summarizeDeployment(d({ observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 }, 2)).reason).toBe(
      'the new spec has not been picked up by the Deployment controller yet',
    );
    expect(
      summarizeDeployment(d({ observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'forbidden: violates PodSecurity' }] })).reason,
    ).toBe('FailedCreate: forbidden: violates PodSecurity');
    expect(describeWaiting([summarizeDeployment(d({ observedGeneration: 1, updatedReplicas: 2, availableReplicas: 1 }))])).toBe('mcp-runtime/op 0/2 (0/2 pods ready)');
  });
});

describe('renderPlatformStatus', () => {
  it('lists cluster, CRD, components, ingress classes and servers by phase', () => {
    const status: PlatformStatus = {
      cluster: { server: 'https://h:6443', context: 'c', version: 'v1.34.4', nodes: { total: 1, ready: 1 } },
      crd: { state: 'installed', versions: ['v1alpha1'] },
      components: [
        { name: 'operator', namespace: 'mcp-runtime', state: 'ready', deployments: [{ namespace: 'mcp-runtime', name: 'op', available: true, ready: 2, desired: 2 }] },
        { name: 'registry', namespace: 'registry', state: 'external', deployments: [], detail: 'external registry r.example.com (registry provision)' },
        { name: 'traefik', namespace: 'traefik', state: 'missing', deployments: [] },
        { name: 'gateway', namespace: 'mcp-gateway', state: 'missing', deployments: [] },
      ],
      ingressClasses: ['nginx'],
      servers: { total: 3, byPhase: { Ready: 2, Error: 1 } },
      healthy: true,
    };
    expect(renderPlatformStatus(status)).toEqual([
      'OK  Cluster https://h:6443 (context c), Kubernetes v1.34.4',
      'OK  Nodes: 1/1 Ready',
      'OK  MCPServer CRD installed (v1alpha1)',
      'OK  Operator: Deployment mcp-runtime/op 2/2 ready',
      'OK  Registry: external registry r.example.com (registry provision)',
      'NO  Traefik: no Deployment in namespace traefik (fine with `setup --ingress none` and another controller)',
      'NO  Gateway: no Deployment in namespace mcp-gateway (fine with `setup --no-gateway`: routes go straight to the pods)',
      '    IngressClasses: nginx',
      '    Servers: 3 (2 Ready, 1 Error)',
      'Platform ready.',
    ]);
  });
});

describe('platformHealthy', () => {
  const crd = { state: 'installed' } as const;
  const component = (name: ComponentStatus['name'], state: ComponentStatus['state']): ComponentStatus => ({ name, namespace: name, state, deployments: [] });
  const base = [component('operator', 'ready'), component('registry', 'external'), component('traefik', 'missing')];
  it('a gateway that is installed must be available; one left out (--no-gateway) is fine', () => {
    expect(platformHealthy(crd, [...base, component('gateway', 'ready')])).toBe(true);
    expect(platformHealthy(crd, [...base, component('gateway', 'missing')])).toBe(true);
    expect(platformHealthy(crd, [...base, component('gateway', 'not-ready')])).toBe(false);
    expect(platformHealthy(crd, [...base, component('gateway', 'unknown')])).toBe(false);
  });
  it('the operator and the registry are required, Traefik is not', () => {
    expect(platformHealthy(crd, [component('operator', 'ready'), component('registry', 'missing'), component('gateway', 'ready')])).toBe(false);
    expect(platformHealthy(crd, [component('operator', 'not-ready'), component('registry', 'ready'), component('gateway', 'ready')])).toBe(false);
    expect(platformHealthy({ state: 'missing' }, [...base, component('gateway', 'ready')])).toBe(false);
    expect(platformHealthy(crd, [component('operator', 'ready'), component('registry', 'ready'), component('traefik', 'not-ready'), component('gateway', 'ready')])).toBe(true);
  });
});

describe('renderServerStatus', () => {
  it('explains conditions, children, pods, events and a stale status', () => {
    const report: ServerStatusReport = {
      server: {
        metadata: { name: 'w', namespace: 'n', generation: 3 },
        spec: { image: 'img' },
        status: {
          phase: 'PartiallyReady',
          observedGeneration: 2,
          url: 'http://h/w/mcp',
          replicas: 2,
          readyReplicas: 1,
          conditions: [
            { type: 'Ready', status: 'False', reason: 'NotAvailable', message: '1/2 pods ready', lastTransitionTime: 't' },
            { type: 'Routed', status: 'True', reason: 'IngressAdmitted', message: '', lastTransitionTime: 't' },
          ],
        },
      },
      children: [{ kind: 'Deployment', name: 'w', owned: true, ready: false, detail: '1/2 ready, 2 up to date' }],
      missing: ['Ingress'],
      pods: [{ name: 'w-1', phase: 'Pending', ready: '0/1', restarts: 0, reason: 'ImagePullBackOff', age: '1m' }],
      events: [{ type: 'Warning', reason: 'Degraded', message: 'pods not ready', count: 3, age: '30s' }],
      unreadable: ['events'],
    };
    const lines = renderServerStatus(report);
    expect(lines).toContain('  Phase:    PartiallyReady');
    expect(lines).toContain('  Status is from generation 2; the spec is at generation 3 (the operator has not caught up yet).');
    expect(lines).toContain('  NO  Ready=False (NotAvailable) - the server can take traffic end to end');
    expect(lines).toContain('      1/2 pods ready');
    expect(lines).toContain('  OK  Routed=True (IngressAdmitted) - the Ingress routes the public path to the Service');
    expect(lines).toContain('  --  Ingress w: not created yet');
    expect(lines).toContain('  NO  Pod w-1: Pending, 0/1 ready, 0 restarts, ImagePullBackOff, age 1m');
    expect(lines).toContain('  30s    Warning Degraded: pods not ready (x3)');
    expect(lines.at(-1)).toBe('Not shown (you may not read events in namespace n).');
  });
});
