import { describe, expect, it } from '@jest/globals';
import { growthPerServer, parseMemoryOptions } from '../../../bench/memory-scale-report.js';

describe('bench:memory', () => {
  it('reports the RSS growth per added server between steps, in KiB', () => {
    expect(growthPerServer([{ servers: 100, rssMb: 80 }, { servers: 1000, rssMb: 95 }, { servers: 5000, rssMb: 160 }])).toEqual([null, 17.1, 16.6]);
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
