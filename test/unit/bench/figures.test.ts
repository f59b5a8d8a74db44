/** Which figures a results file holds and which direction is better for each (pure). */
import { describe, expect, it } from '@jest/globals';
import { figuresOf, guessFromName } from '../../../bench/figures.js';
import { asRecord, results } from './fixtures.js';

const byKey = (r: Record<string, unknown>) => new Map(figuresOf(r).map((f) => [f.key, f]));

describe('figuresOf', () => {
  it('reads the top-level, nested, per-kind and per-floor-run figures, lower being better for all of them', () => {
    const figures = byKey(asRecord(results()));
    expect(figures.get('convergeSeconds')).toEqual({ key: 'convergeSeconds', unit: 's', better: 'lower', value: 26.878 });
    expect(figures.get('ratio')).toMatchObject({ unit: '×', better: 'lower', value: 1.62 });
    expect(figures.get('peakRssMb')).toMatchObject({ unit: 'MB', better: 'lower' });
    expect(figures.get('idleWrites')).toMatchObject({ unit: 'writes', value: 0 });
    expect(figures.get('converge.childSeconds.Deployment')?.value).toBe(26.836);
    expect(figures.get('converge.operatorRequestsPerServerUntilChildren')).toMatchObject({ unit: 'requests', value: 6.07 });
    expect(figures.get('floor[keepalive/before].floorSeconds')?.value).toBe(12.36);
    expect(figures.get('floor[keepalive/before].settledSeconds')?.value).toBe(238.962);
    expect(figures.get('cacheFootprint.Deployment.meanJsonBytes')).toMatchObject({ unit: 'bytes', value: 5468 });
    expect([...figures.values()].every((f) => f.better === 'lower')).toBe(true);
  });

  it('leaves out what describes the run (n, concurrency, machine, load, times) and what was not measured (null)', () => {
    const keys = [...byKey(asRecord(results({ floorSeconds: null }))).keys()];
    for (const key of keys) expect(key).not.toMatch(/^(n|schemaVersion|concurrency|createConcurrency|idleWindowSeconds|machine|loadAverageAtEnd|date|git|argv|targets)\b/);
    expect(keys).not.toContain('floorSeconds');
    // A floor run that never settled has no settledSeconds figure.
    expect(keys).not.toContain('floor[kubeclient/after].settledSeconds');
    expect(keys).toContain('floor[kubeclient/after].floorSeconds');
  });

  it('skips a CLI generate timing that failed', () => {
    const failed = results({ generate: { servers: 1000, inProcess: { firstSeconds: 0.6, medianSeconds: 0.4, runs: [0.4] }, cli: { ok: false, command: 'x', runs: [], medianSeconds: 0, error: 'boom' }, measuredBy: 'in-process' } as never });
    const keys = [...byKey(asRecord(failed)).keys()];
    expect(keys).toContain('generate.inProcess.medianSeconds');
    expect(keys).not.toContain('generate.cli.medianSeconds');
  });

  it('picks up figures added to the results after it was written, with the direction their names imply', () => {
    const figures = byKey({ ...asRecord(results()), operatorLag: { p50Seconds: 0.2, p99Seconds: 0.9 }, deployToFirstCallSeconds: 12, routeLatencyRatio: 1.1, callsPerSecond: 400, mystery: 3, label: 'text' });
    expect(figures.get('operatorLag.p99Seconds')).toMatchObject({ better: 'lower', unit: 's', value: 0.9 });
    expect(figures.get('deployToFirstCallSeconds')).toMatchObject({ better: 'lower', unit: 's' });
    expect(figures.get('routeLatencyRatio')).toMatchObject({ better: 'lower', unit: '×' });
    expect(figures.get('callsPerSecond')).toMatchObject({ better: 'higher' });
    expect(figures.get('mystery')).toMatchObject({ better: 'unknown', value: 3 });
    expect(figures.has('label')).toBe(false);
  });

  it('reads an old (schema 1) file that lacks the newer fields, and garbage in place of objects, without throwing', () => {
    const { schemaVersion: _s, git: _g, argv: _a, endedAt: _e, ...v1 } = results();
    expect(byKey(v1).get('convergeSeconds')?.value).toBe(26.878);
    expect(figuresOf({ n: 1, date: 'x', converge: 'nonsense', floor: [null, 3, { client: 1 }], cacheFootprint: [] })).toEqual([]);
  });
});

describe('guessFromName', () => {
  it('treats throughput as higher-is-better and durations, sizes, counts and ratios as lower-is-better', () => {
    expect(guessFromName('serversPerSecond').better).toBe('higher');
    expect(guessFromName('throughput').better).toBe('higher');
    expect(guessFromName('startupMs')).toEqual({ better: 'lower', unit: 'ms' });
    expect(guessFromName('heapMb')).toEqual({ better: 'lower', unit: 'MB' });
    expect(guessFromName('ratio')).toEqual({ better: 'lower', unit: '×' });
    expect(guessFromName('objects').better).toBe('unknown');
  });
});
