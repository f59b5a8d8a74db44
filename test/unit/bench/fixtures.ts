/**
 * A results file as bench/run.ts writes it (typed, so renaming a field in BenchResults breaks
 * these tests at typecheck instead of silently dropping a figure from comparisons).
 */
import type { ApiDelta } from '../../../bench/api-metrics.js';
import type { BenchResults } from '../../../bench/results-types.js';

const delta: ApiDelta = { writes: 0, writesByVerbResource: {}, requestsByFlowSchema: {} };

export function results(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    schemaVersion: 2,
    n: 1000,
    convergeSeconds: 26.878,
    readySeconds: 240.191,
    floorSeconds: 16.56,
    ratio: 1.62,
    idleWrites: 0,
    updateWaveSeconds: 306.173,
    peakRssMb: 235.8,
    synthSeconds: 0.012,
    generate1000Seconds: 1.189,
    helpSeconds: 0.197,
    machine: { cpuModel: 'AMD EPYC', cores: 2, memoryGb: 23.5, node: 'v20.20.2', kernel: '6.18.44', platform: 'linux/x64', loadAverageAtStart: [1.8, 1.22, 1.41] },
    date: '2026-11-24T01:30:48.056Z',
    endedAt: '2026-11-24T01:50:47.000Z',
    smoke: false,
    command: 'npm run bench',
    argv: [],
    git: { commit: '8713122', dirty: false, dirtyCount: 0, dirtyPaths: [] },
    concurrency: 4,
    createConcurrency: 16,
    idleWindowSeconds: 60,
    durationSeconds: 1198.788,
    loadAverageAtEnd: [1.37, 1.45, 1.52],
    errors: [],
    targets: [],
    requestRatio: 1.52,
    idleOperatorWrites: 0,
    floorKubeClientSeconds: 19.061,
    converge: {
      createBurstSeconds: 3.425,
      childSeconds: { Deployment: 26.836, Service: 26.878 },
      untilChildren: delta,
      untilReady: delta,
      operatorRequestsPerServerUntilChildren: 6.07,
      operatorRequestsPerServerUntilReady: 9.84,
      operatorWritesPerServerUntilReady: 7.83,
    },
    floor: [
      { client: 'keepalive', when: 'before', namespace: 'f1', applies: 4000, floorSeconds: 12.36, settledSeconds: 238.962, delta },
      { client: 'kubeclient', when: 'after', namespace: 'f2', applies: 4000, floorSeconds: 19.061, settledSeconds: null, delta },
    ],
    cacheFootprint: { Deployment: { objects: 1000, meanJsonBytes: 5468, meanManagedFieldsBytes: 2410 } },
    ...overrides,
  };
}

/** A BenchResults as the loosely typed record the comparison reads. */
export const asRecord = (r: BenchResults): Record<string, unknown> => ({ ...r });
