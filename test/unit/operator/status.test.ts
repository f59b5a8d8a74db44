import { describe, expect, it } from '@jest/globals';
import { computeStatus, type StatusInput } from '../../../src/operator/status.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const T1 = new Date('2026-01-01T00:05:00.000Z');

const base: StatusInput = {
  name: 'weather',
  namespace: 'mcp-servers',
  generation: 3,
  desiredReplicas: 2,
  url: 'http://mcp.example.com/weather/mcp',
  image: 'reg/weather:latest',
  deployment: { metadata: { generation: 5 }, spec: { replicas: 2 }, status: { observedGeneration: 5, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 } },
  service: { spec: { clusterIP: '10.0.0.7' } },
  ingress: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } } },
  ingressReadiness: 'strict',
  now: () => T0,
};

const condition = (status: ReturnType<typeof computeStatus>, type: string) => status.conditions?.find((c) => c.type === type);

describe('computeStatus', () => {
  it('is Ready when pods are ready and the ingress has an address', () => {
    const status = computeStatus(base);
    expect(status).toMatchObject({ phase: 'Ready', observedGeneration: 3, url: base.url, readyReplicas: 2, deploymentReady: true, serviceReady: true, ingressReady: true });
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'True', 'Ready'],
      ['Available', 'True', 'PodsReady'],
      ['Routed', 'True', 'IngressReady'],
      ['Configured', 'True', 'AsSpecified'],
    ]);
    expect(status.conditions?.every((c) => c.observedGeneration === 3 && c.lastTransitionTime === '2026-01-01T00:00:00Z')).toBe(true);
  });

  it('reports verification as a Verified condition and status.mcp, and neither when the operator does not verify', () => {
    const mcp = {
      protocolVersion: '2025-06-18', serverInfo: { name: 'weather', version: '1' }, capabilities: ['tools'], tools: [{ name: 'get_forecast' }],
      toolCount: 1, toolsDigest: 'abc', podsReady: 2, podsVerified: 2, observedTime: '2026-01-01T00:00:00Z',
    };
    const verifiedStatus = computeStatus({ ...base, verification: { condition: { status: 'True', reason: 'Verified', message: '2/2 ready pods speak MCP' }, mcp } });
    expect(condition(verifiedStatus, 'Verified')).toMatchObject({ status: 'True', reason: 'Verified', observedGeneration: 3 });
    expect(verifiedStatus.mcp).toEqual(mcp);
    // Verification does not decide the phase: Ready keeps the original's meaning (serving).
    const failing = computeStatus({ ...base, verification: { condition: { status: 'False', reason: 'NotMCP', message: 'answered HTML' } } });
    expect(failing.phase).toBe('Ready');
    expect(failing.mcp).toBeUndefined();
    const off = computeStatus(base);
    expect(condition(off, 'Verified')).toBeUndefined();
    expect(off.mcp).toBeUndefined();
  });

  it('waits for the ingress in strict mode and says how to get unstuck', () => {
    const status = computeStatus({ ...base, ingress: { status: {} } });
    expect(status.phase).toBe('PartiallyReady');
    expect(condition(status, 'Routed')).toMatchObject({ status: 'False', reason: 'IngressPending' });
    expect(condition(status, 'Routed')?.message).toContain('--ingress-readiness=permissive');
    expect(condition(status, 'Ready')).toMatchObject({ status: 'False', reason: 'IngressPending' });
  });

  it('accepts any Ingress in permissive mode', () => {
    const status = computeStatus({ ...base, ingress: { status: {} }, ingressReadiness: 'permissive' });
    expect(status.phase).toBe('Ready');
    expect(condition(status, 'Routed')?.reason).toBe('IngressCreated');
  });

  it('reports pods not ready with counts and a next step', () => {
    const status = computeStatus({ ...base, deployment: { ...base.deployment, status: { observedGeneration: 5, readyReplicas: 1, updatedReplicas: 2 } } });
    expect(status.phase).toBe('PartiallyReady');
    expect(condition(status, 'Available')).toMatchObject({ status: 'False', reason: 'PodsNotReady', message: expect.stringContaining('1/2 pods ready') });
    expect(status.readyReplicas).toBe(1);
  });

  it('does not trust a Deployment status from an older generation', () => {
    const status = computeStatus({ ...base, deployment: { ...base.deployment, status: { observedGeneration: 4, readyReplicas: 2, updatedReplicas: 2 } } });
    expect(condition(status, 'Available')?.status).toBe('False');
  });

  it('is Pending when nothing exists yet', () => {
    const status = computeStatus({ ...base, deployment: undefined, service: undefined, ingress: undefined });
    expect(status.phase).toBe('Pending');
    expect(condition(status, 'Available')?.reason).toBe('DeploymentMissing');
  });

  it('reports a route conflict as Error with the other owner', () => {
    const status = computeStatus({ ...base, ingress: undefined, conflictWith: 'team-a/weather' });
    expect(status.phase).toBe('Error');
    expect(condition(status, 'Routed')).toMatchObject({ status: 'False', reason: 'Conflict', message: expect.stringContaining('team-a/weather') });
  });

  it('reports apply failures', () => {
    const status = computeStatus({ ...base, applyError: 'forbidden: ingresses' });
    expect(status.phase).toBe('Error');
    expect(condition(status, 'Ready')).toMatchObject({ reason: 'ApplyFailed', message: expect.stringContaining('forbidden: ingresses') });
  });

  it('reports fields the API server did not keep, naming them and the likely cause', () => {
    const status = computeStatus({ ...base, fieldsNotKept: 'Middleware weather-path-rewrite: .spec.stripPrefix' });
    expect(status.phase).toBe('Error');
    expect(condition(status, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'FieldsNotKept',
      message: expect.stringMatching(/Middleware weather-path-rewrite: \.spec\.stripPrefix.*CRD that prunes unknown fields.*mcp-runtime setup/),
    });
  });

  it('says Configured=False with the first warning reason when the spec is rendered differently from what it says', () => {
    const plain = computeStatus({ ...base });
    expect(condition(plain, 'Configured')).toMatchObject({ status: 'True', reason: 'AsSpecified' });
    const warned = computeStatus({ ...base, warnings: ['ImageTagIgnored: imageTag v2 is ignored: the image is pinned by digest.', 'ZeroPortDefaulted: port 0 means the default 8088.'] });
    expect(condition(warned, 'Configured')).toMatchObject({ status: 'False', reason: 'ImageTagIgnored', message: expect.stringContaining('port 0 means the default 8088') });
    // A warning does not stop a server from being Ready.
    expect(warned.phase).toBe(plain.phase);
  });

  it('says what the readiness probe checks when pods are not ready', () => {
    const notReady = { ...base, deployment: { spec: { replicas: 2 }, metadata: { generation: 1 }, status: { observedGeneration: 1, replicas: 2, readyReplicas: 0, updatedReplicas: 2 } } };
    const http = computeStatus({ ...notReady, probe: { type: 'http', path: '/no-such-health', port: 8088 } });
    expect(condition(http, 'Available')).toMatchObject({ reason: 'PodsNotReady', message: expect.stringContaining('HTTP GET /no-such-health on port 8088 must answer 2xx or 3xx') });
    expect(condition(http, 'Ready')?.message).toContain('spec.probe.path');
    const tcp = computeStatus({ ...notReady, probe: { type: 'tcp', port: 9000 } });
    expect(condition(tcp, 'Available')?.message).toContain('nothing accepts connections on port 9000');
    const none = computeStatus({ ...notReady, probe: { type: 'none', port: 9000 } });
    expect(condition(none, 'Available')?.message).not.toContain('readiness probe');
  });

  it('keeps lastTransitionTime for unchanged conditions and moves it for changed ones', () => {
    const first = computeStatus({ ...base, ingress: { status: {} } });
    const second = computeStatus({ ...base, previous: first, now: () => T1 });
    expect(condition(second, 'Available')?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(condition(second, 'Routed')?.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
    const third = computeStatus({ ...base, previous: second, now: () => new Date('2026-02-01T00:00:00Z') });
    expect(third).toEqual(second);
  });
});
