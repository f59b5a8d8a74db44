import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { GATEWAY_RESULTS, userFacingFigures } from '../../../bench/user-facing.js';

function repoWith(contents: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'user-facing-'));
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  if (contents !== undefined) writeFileSync(join(root, GATEWAY_RESULTS), contents);
  return root;
}

const gatewayRun = {
  kind: 'gateway',
  smoke: false,
  date: '2026-11-27T14:57:52.400Z',
  command: 'npm run bench:gateway -- --rounds 4',
  load: { start: [4.52, 4.29, 5.32] },
  deployToFirstCallSeconds: 3.307,
  latency: { c1: { pod: { p50Ms: 6.957, p99Ms: 61.369 }, gateway: { p50Ms: 9.822, p99Ms: 39.178 } } },
  ratios: { c1: { routeP50Ratio: 1.412, routeP99Ratio: 0.638 } },
};

describe("the main benchmark's user-facing figures", () => {
  it('come from the last gateway run, with its date and command', () => {
    expect(userFacingFigures(repoWith(JSON.stringify(gatewayRun)))).toEqual({
      source: GATEWAY_RESULTS,
      date: '2026-11-27T14:57:52.400Z',
      command: 'npm run bench:gateway -- --rounds 4',
      loadAtStart: [4.52, 4.29, 5.32],
      deployToFirstCallSeconds: 3.307,
      deployToFirstCallMaxSeconds: null,
      deployToFirstCallServers: null,
      routeP50Ms: 9.822,
      routeP99Ms: 39.178,
      podP50Ms: 6.957,
      podP99Ms: 61.369,
      routeP50Ratio: 1.412,
      routeP99Ratio: 0.638,
    });
  });

  it('carry the median and the slowest of several deployed servers', () => {
    const figures = userFacingFigures(repoWith(JSON.stringify({ ...gatewayRun, deployToFirstCallSeconds: 2.9, deployToFirstCallMaxSeconds: 3.6, deployToFirstCallSamples: [3.6, 2.8, 2.9] })));
    expect(figures).toMatchObject({ deployToFirstCallSeconds: 2.9, deployToFirstCallMaxSeconds: 3.6, deployToFirstCallServers: 3 });
  });

  it('are absent without a gateway run, for a smoke run, for another kind of file and for broken JSON', () => {
    expect(userFacingFigures(repoWith(undefined))).toBeUndefined();
    expect(userFacingFigures(repoWith(JSON.stringify({ ...gatewayRun, smoke: true })))).toBeUndefined();
    expect(userFacingFigures(repoWith(JSON.stringify({ ...gatewayRun, kind: 'operator' })))).toBeUndefined();
    expect(userFacingFigures(repoWith('{"kind": "gateway",'))).toBeUndefined();
  });

  it('leave out a figure the file lacks rather than invent one', () => {
    const { deployToFirstCallSeconds: _, ...withoutDeploy } = gatewayRun;
    expect(userFacingFigures(repoWith(JSON.stringify(withoutDeploy)))?.deployToFirstCallSeconds).toBeNull();
  });
});
