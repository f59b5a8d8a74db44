/**
 * When the verifier tries a pod again: a failed handshake soon (5 s, doubling per failure in a
 * row, never later than the interval), a success after the interval. The handshake is injected
 * (the network is the integration tests' subject, test/integration/e2e/verification.test.ts).
 */
import { describe, expect, it } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { loadOperatorConfig } from '../../../src/operator/config.js';
import type { VerifyOutcome } from '../../../src/operator/verify/handshake.js';
import { VerificationResults } from '../../../src/operator/verify/results.js';
import { FAILED_RETRY_BASE_MS, failedRetryMs, mcpServerVerifier, type VerifierDeps } from '../../../src/operator/verify/verifier.js';
import type { MCPServerObject } from '../../../src/operator/types.js';
import { silentLogger } from '../../../src/runtime/index.js';

describe('failedRetryMs', () => {
  it('doubles from 5 s per failure in a row and never passes the interval', () => {
    expect([1, 2, 3, 4].map((n) => failedRetryMs(300_000, n))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(failedRetryMs(300_000, 7)).toBe(300_000);
    expect(failedRetryMs(30_000, 3)).toBe(20_000);
    expect(failedRetryMs(30_000, 4)).toBe(30_000);
    expect(failedRetryMs(300_000, 10_000)).toBe(300_000);
  });
});

describe('the verifier schedules a pod again', () => {
  const server = {
    apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
    kind: 'MCPServer',
    metadata: { name: 'weather', namespace: 'mcp-servers', uid: 's1', generation: 1 },
    spec: { image: 'registry.example.com/weather:1.0.0', port: 8088 },
  } as unknown as MCPServerObject;
  const pod = (ip: string): V1Pod => ({
    metadata: { name: 'weather-1', namespace: 'mcp-servers', uid: 'p1', labels: { app: 'weather' } },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  });

  function verifier(outcomes: VerifyOutcome[]) {
    let clock = 1_000_000;
    let pods = [pod('10.0.0.5')];
    const urls: string[] = [];
    const deps: VerifierDeps = {
      servers: { store: { get: () => server } } as unknown as VerifierDeps['servers'],
      pods: { store: { byIndex: () => pods } } as unknown as VerifierDeps['pods'],
      config: loadOperatorConfig({}),
      results: new VerificationResults(),
      recorder: { record: async () => {} } as unknown as VerifierDeps['recorder'],
      onPublished: () => {},
      verify: async (url) => {
        urls.push(url);
        return outcomes.shift()!;
      },
      now: () => new Date(clock),
      random: () => 0.5, // no jitter
    };
    const reconcile = mcpServerVerifier(deps);
    const round = async (): Promise<number | undefined> => {
      const result = await reconcile({ key: 'mcp-servers/weather', namespace: 'mcp-servers', name: 'weather', logger: silentLogger(), signal: new AbortController().signal });
      return result === undefined ? undefined : result.requeueAfter;
    };
    return { round, urls, advance: (ms: number) => (clock += ms), setPods: (p: V1Pod[]) => (pods = p) };
  }
  const refused: VerifyOutcome = { reason: 'Unreachable', reachable: false, message: 'Nothing answered (ECONNREFUSED).' };
  const verified: VerifyOutcome = { reason: 'Verified', reachable: true, message: 'ok', server: { protocolVersion: '2025-06-18', serverInfo: { name: 'weather', version: '1.0.0' }, capabilities: ['tools'], tools: [], toolCount: 0, toolsDigest: 'd' },
  };

  it('5 s after a refused handshake, 10 s after a second one, the interval after a success', async () => {
    const v = verifier([refused, refused, verified]);
    expect(await v.round()).toBe(FAILED_RETRY_BASE_MS);
    // Not due yet: nothing is asked again.
    v.advance(1_000);
    expect(await v.round()).toBe(4_000);
    expect(v.urls).toHaveLength(1);
    v.advance(4_000);
    expect(await v.round()).toBe(10_000);
    v.advance(10_000);
    expect(await v.round()).toBe(300_000);
    expect(v.urls).toEqual(['http://10.0.0.5:8088/mcp', 'http://10.0.0.5:8088/mcp', 'http://10.0.0.5:8088/mcp']);
  });

  it('a new address starts the count again', async () => {
    const v = verifier([refused, refused, refused]);
    await v.round();
    v.advance(5_000);
    expect(await v.round()).toBe(10_000);
    v.setPods([pod('10.0.0.6')]);
    expect(await v.round()).toBe(5_000);
    expect(v.urls.at(-1)).toBe('http://10.0.0.6:8088/mcp');
  });
});
