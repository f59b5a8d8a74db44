/** Old → new per figure: the change, better or worse, and the noise flag (pure). */
import { describe, expect, it } from '@jest/globals';
import { compareFigure, compareResults, LOAD_GAP_WARNING, NOISE_PERCENT } from '../../../bench/comparison.js';
import type { Better } from '../../../bench/figures.js';
import { asRecord, results } from './fixtures.js';

const fig = (value: number, better: Better = 'lower') => ({ key: 'k', unit: 's', better, value });

describe('compareFigure', () => {
  it('calls a drop better where lower is better, and a rise better where higher is better', () => {
    expect(compareFigure(fig(10), fig(8))).toMatchObject({ old: 10, new: 8, changePercent: -20, verdict: 'better' });
    expect(compareFigure(fig(10), fig(12))).toMatchObject({ changePercent: 20, verdict: 'worse' });
    expect(compareFigure(fig(10, 'higher'), fig(12, 'higher'))).toMatchObject({ verdict: 'better' });
    expect(compareFigure(fig(10, 'higher'), fig(8, 'higher'))).toMatchObject({ verdict: 'worse' });
    expect(compareFigure(fig(10, 'unknown'), fig(8, 'unknown'))).toMatchObject({ verdict: 'n/a' });
    expect(compareFigure(fig(10), fig(10))).toMatchObject({ changePercent: 0, verdict: 'same', beyondNoise: false });
  });

  it('flags a change only beyond the noise threshold, either way', () => {
    const at = (percent: number) => compareFigure(fig(100), fig(100 + percent)).beyondNoise;
    expect(at(NOISE_PERCENT)).toBe(false);
    expect(at(-NOISE_PERCENT)).toBe(false);
    expect(at(NOISE_PERCENT + 0.5)).toBe(true);
    expect(at(-NOISE_PERCENT - 0.5)).toBe(true);
  });

  it('has no percentage from 0, and flags any change away from 0 (idle writes 0 → 3)', () => {
    expect(compareFigure(fig(0), fig(3))).toMatchObject({ changePercent: null, verdict: 'worse', beyondNoise: true });
    expect(compareFigure(fig(0), fig(0))).toMatchObject({ changePercent: null, verdict: 'same', beyondNoise: false });
  });
});

describe('compareResults', () => {
  it('compares every figure present in both runs and lists the rest as added or removed', () => {
    const old = results();
    const now = results({ convergeSeconds: 20, floorSeconds: null, readySeconds: 240.191, converge: { ...old.converge!, childSeconds: { Deployment: 20, Ingress: 21 } } });
    const c = compareResults({ label: 'old.json', results: asRecord(old) }, { label: 'this run', results: asRecord(now) });
    const converge = c.figures.find((f) => f.key === 'convergeSeconds');
    expect(converge).toMatchObject({ old: 26.878, new: 20, verdict: 'better', beyondNoise: true });
    expect(converge?.changePercent).toBeCloseTo(-25.59, 2);
    expect(c.figures.find((f) => f.key === 'readySeconds')).toMatchObject({ verdict: 'same' });
    expect(c.added.map((f) => f.key)).toEqual(['converge.childSeconds.Ingress']);
    expect(c.removed.map((f) => f.key).sort()).toEqual(['converge.childSeconds.Service', 'floorSeconds']);
    expect(c.warnings).toEqual([]);
    expect(c.old).toMatchObject({ label: 'old.json', commit: '8713122', n: 1000, loadAtStart: [1.8, 1.22, 1.41], loadAtEnd: [1.37, 1.45, 1.52] });
  });

  it('warns when n, smoke or the schema differ, and reads a file without schemaVersion or git as schema 1', () => {
    const { schemaVersion: _s, git: _g, ...v1 } = results();
    const smoke = results({ n: 20, smoke: true, git: { commit: 'abc1234', dirty: true, dirtyCount: 2, dirtyPaths: ['a', 'b'] } });
    const c = compareResults({ label: 'v1', results: v1 }, { label: 'smoke', results: asRecord(smoke) });
    expect(c.warnings).toHaveLength(3);
    expect(c.warnings[0]).toContain('different n (1000 → 20)');
    expect(c.warnings[1]).toContain('smoke');
    expect(c.warnings[2]).toContain('schema 1 → 2');
    expect(c.old.commit).toBe('not recorded');
    expect(c.new.commit).toBe('abc1234 + uncommitted changes');
  });

  it('warns when the load at start differed by a busy process or more', () => {
    const at = (load: number) => results({ machine: { ...results().machine, loadAverageAtStart: [load, 1, 1] } });
    const compare = (a: number, b: number) => compareResults({ label: 'a', results: asRecord(at(a)) }, { label: 'b', results: asRecord(at(b)) }).warnings;
    expect(compare(1.8, 1.8 + LOAD_GAP_WARNING - 0.1)).toEqual([]);
    expect(compare(2.41, 6.99)).toEqual(['the 1-min load at start differed (2.41 → 6.99): seconds move with load; ratios and per-server counts much less']);
  });
});
