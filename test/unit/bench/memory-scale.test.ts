import { describe, expect, it } from '@jest/globals';
import { growthPerServer, memoryMarkdown, parseMemoryOptions, type MemoryScaleResults } from '../../../bench/memory-scale-report.js';

describe('bench:memory', () => {
  it('reports the RSS growth per added server between steps, in KiB', () => {
    expect(growthPerServer([{ servers: 100, rssMb: 80 }, { servers: 1000, rssMb: 95 }, { servers: 5000, rssMb: 160 }])).toEqual([null, 17.1, 16.6]);
  });

  it('marks a step sampled without the operator going quiet', () => {
    const memory = { caches: [{ informer: 'mcpservers', objects: 1000, jsonKb: 2048 }], heapUsedMb: 36, heapTotalMb: 38 };
    const results = {
      kind: 'memory-scale',
      command: 'npm run bench:memory',
      date: 'd',
      endedAt: 'e',
      machine: { cpuModel: 'cpu', cores: 2, memoryGb: 24, node: 'v20', loadAverageAtStart: [1, 1, 1] },
      loadAverageAtEnd: [1, 1, 1],
      operatorCommand: 'node main.js',
      baselineRssMb: 70,
      steps: [
        { servers: 100, rssMb: 80, peakRssMb: 85, memory, convergeSeconds: 19, kbPerServer: null, quiet: true },
        { servers: 1000, rssMb: 96, peakRssMb: 113, memory, convergeSeconds: 181, kbPerServer: 18.2, quiet: false },
      ],
    } as unknown as MemoryScaleResults;
    const md = memoryMarkdown(results);
    expect(md).toContain('| 100 | 80 | 85 | 36 / 38 | 2 | — | 19 |');
    expect(md).toContain('| 1000 | 96 | 113 | 36 / 38 | 2 | 18.2 | 181 (not quiet) |');
  });

  it('takes ascending steps and refuses others, naming the flag', () => {
    expect(parseMemoryOptions([])).toMatchObject({ steps: [100, 1000, 5000], concurrency: 4, quietSeconds: 5 });
    expect(parseMemoryOptions(['--steps', '10, 20'])).toMatchObject({ steps: [10, 20] });
    expect(() => parseMemoryOptions(['--steps', '100,50'])).toThrow('--steps must be ascending');
    expect(() => parseMemoryOptions(['--steps', '100,x'])).toThrow('--steps must be a whole number');
    expect(() => parseMemoryOptions(['--concurrency', '0'])).toThrow('--concurrency must be a whole number ≥ 1, got 0');
    expect(parseMemoryOptions(['--help'])).toBe('help');
    expect(parseMemoryOptions([])).toMatchObject({ heapSnapshots: false });
    expect(parseMemoryOptions(['--heap-snapshots', '--steps', '100,1000'])).toMatchObject({ heapSnapshots: true, steps: [100, 1000] });
  });
});
