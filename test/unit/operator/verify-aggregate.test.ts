/**
 * How per-pod handshakes become the Verified condition and status.mcp, when a finding counts as
 * new (only then is status written), and how tool changes are described (pure).
 */
import { describe, expect, it } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { aggregate, toolChanges, type PodOutcome } from '../../../src/operator/verify/aggregate.js';
import type { VerifyOutcome } from '../../../src/operator/verify/handshake.js';
import { fromStatus, sameFinding } from '../../../src/operator/verify/results.js';
import { podUrl, serverOfPod, servingPods } from '../../../src/operator/verify/verifier.js';

const verified = (tools: string[], version = '1.0.0'): VerifyOutcome => ({
  reason: 'Verified',
  reachable: true,
  message: 'ok',
  server: {
    protocolVersion: '2025-06-18',
    serverInfo: { name: 'weather', version },
    capabilities: ['tools'],
    tools: tools.map((name) => ({ name })),
    toolCount: tools.length,
    toolsDigest: tools.join('+'),
  },
});
const failed = (reason: VerifyOutcome['reason'], message: string): VerifyOutcome => ({ reason, reachable: false, message });
const auth: VerifyOutcome = { reason: 'AuthRequired', reachable: true, message: 'answered 401' };
const pod = (name: string, outcome: VerifyOutcome, created = '2026-11-27T10:00:00.000Z'): PodOutcome => ({ pod: name, created, outcome });

describe('aggregate', () => {
  it('every ready pod answering MCP is Verified, with the inventory and pod counts', () => {
    const finding = aggregate([pod('w-1', verified(['a', 'b'])), pod('w-2', verified(['a', 'b']))]);
    expect(finding.condition).toMatchObject({ status: 'True', reason: 'Verified' });
    expect(finding.condition.message).toContain('2/2 ready pods speak MCP 2025-06-18 (weather 1.0.0, 2 tools)');
    expect(finding.mcp).toMatchObject({ toolCount: 2, podsReady: 2, podsVerified: 2, tools: [{ name: 'a' }, { name: 'b' }] });
  });

  it('a rollout reports the newest pod\'s inventory', () => {
    const finding = aggregate([pod('old', verified(['a'], '1'), '2026-11-27T09:00:00.000Z'), pod('new', verified(['a', 'c'], '2'), '2026-11-27T10:00:00.000Z')]);
    expect(finding.mcp?.serverInfo.version).toBe('2');
    expect(finding.mcp?.tools.map((t) => t.name)).toEqual(['a', 'c']);
  });

  it('401/403 from every pod is reachable and protected: True, AuthRequired, no inventory', () => {
    const finding = aggregate([pod('p-1', auth)]);
    expect(finding.condition).toMatchObject({ status: 'True', reason: 'AuthRequired' });
    expect(finding.mcp).toBeUndefined();
  });

  it('some pods failing is PartiallyVerified, naming the failed pod and its reason', () => {
    const finding = aggregate([pod('w-1', verified(['a'])), pod('w-2', failed('NotMCP', 'answered HTML'))]);
    expect(finding.condition).toMatchObject({ status: 'False', reason: 'PartiallyVerified' });
    expect(finding.condition.message).toContain('Only 1/2 ready pods answer MCP');
    expect(finding.condition.message).toContain('pod w-2: NotMCP: answered HTML');
    expect(finding.mcp?.podsVerified).toBe(1);
  });

  it('no pod answering takes the most common reason, and lists at most three pods', () => {
    const finding = aggregate([
      pod('a', failed('Timeout', 't')),
      pod('b', failed('Unreachable', 'refused')),
      pod('c', failed('Unreachable', 'refused')),
      pod('d', failed('Unreachable', 'refused')),
      pod('e', failed('Unreachable', 'refused')),
    ]);
    expect(finding.condition).toMatchObject({ status: 'False', reason: 'Unreachable' });
    expect(finding.condition.message).toContain('(and 2 more)');
    expect(finding.mcp).toBeUndefined();
  });

  it('no ready pod is Unknown, NoReadyPods', () => {
    expect(aggregate([]).condition).toMatchObject({ status: 'Unknown', reason: 'NoReadyPods' });
  });
});

describe('sameFinding and fromStatus', () => {
  const finding = aggregate([pod('w-1', verified(['a']))]);
  const published = { condition: finding.condition, mcp: { ...finding.mcp!, observedTime: '2026-11-27T10:00:00Z' } };

  it('an identical finding is not new, whatever its timestamp', () => {
    expect(sameFinding(published, aggregate([pod('w-1', verified(['a']))]))).toBe(true);
  });

  it('a changed inventory, condition or pod count is new; so is anything after nothing', () => {
    expect(sameFinding(published, aggregate([pod('w-1', verified(['a', 'b']))]))).toBe(false);
    expect(sameFinding(published, aggregate([pod('w-1', verified(['a'])), pod('w-2', verified(['a']))]))).toBe(false);
    expect(sameFinding(published, aggregate([]))).toBe(false);
    expect(sameFinding(undefined, finding)).toBe(false);
  });

  it('a stored status reads back as the same finding (a restart writes nothing)', () => {
    const status = {
      conditions: [{ type: 'Verified', ...finding.condition, lastTransitionTime: '2026-11-27T10:00:00Z' }],
      mcp: published.mcp,
    };
    expect(sameFinding(fromStatus(status), finding)).toBe(true);
    expect(fromStatus({ conditions: [] })).toBeUndefined();
  });
});

describe('toolChanges', () => {
  const mcp = (tools: string[], digest = tools.join('+')) => ({ ...aggregate([pod('p', verified(tools))]).mcp!, toolsDigest: digest, observedTime: 'x' });

  it('names tools added and removed, with the counts', () => {
    expect(toolChanges(mcp(['a', 'b']), mcp(['a', 'c']))).toBe('Tools changed: added c; removed b (2 → 2 tools).');
  });

  it('says when only definitions changed, and nothing when the digest is the same or a side is unknown', () => {
    expect(toolChanges(mcp(['a'], 'd1'), mcp(['a'], 'd2'))).toContain('same names, changed definitions');
    expect(toolChanges(mcp(['a']), mcp(['a']))).toBeUndefined();
    expect(toolChanges(undefined, mcp(['a']))).toBeUndefined();
  });
});

describe('pods', () => {
  const p = (name: string, ready: boolean, ip?: string, deleting = false): V1Pod => ({
    metadata: { name, namespace: 'ns', labels: { app: 'weather' }, ...(deleting ? { deletionTimestamp: new Date() } : {}) },
    status: { ...(ip === undefined ? {} : { podIP: ip }), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('only ready, addressed pods that are not terminating are verified', () => {
    const serving = servingPods([p('a', true, '10.0.0.1'), p('b', false, '10.0.0.2'), p('c', true), p('d', true, '10.0.0.4', true)]);
    expect(serving.map((x) => x.metadata?.name)).toEqual(['a']);
  });

  it('a pod belongs to the server named by its app label; IPv6 addresses are bracketed', () => {
    expect(serverOfPod(p('a', true))).toEqual(['ns/weather']);
    expect(podUrl('10.245.0.7', 8088, '/mcp')).toBe('http://10.245.0.7:8088/mcp');
    expect(podUrl('fd00::7', 8088, '/mcp')).toBe('http://[fd00::7]:8088/mcp');
  });
});
