/** The comparison as console text and markdown (pure). */
import { describe, expect, it } from '@jest/globals';
import { comparisonMarkdown, comparisonText, formatChange, formatValue } from '../../../bench/comparison-render.js';
import { compareFigure, compareResults, NOISE_PERCENT } from '../../../bench/comparison.js';
import { asRecord, results } from './fixtures.js';

describe('formatValue / formatChange', () => {
  it('keeps four significant digits and whole numbers from 1,000', () => {
    expect(formatValue(26.878)).toBe('26.88');
    expect(formatValue(0.0123)).toBe('0.0123');
    expect(formatValue(1198.788)).toBe('1199');
    expect(formatValue(0)).toBe('0');
  });

  it('signs the change and says when there is no percentage', () => {
    const f = (o: number, n: number) => formatChange(compareFigure({ key: 'k', unit: 's', better: 'lower', value: o }, { key: 'k', unit: 's', better: 'lower', value: n }));
    expect(f(10, 12)).toBe('+20.0 %');
    expect(f(10, 8)).toBe('−20.0 %');
    expect(f(10, 10)).toBe('0 %');
    expect(f(0, 2)).toBe('from 0');
  });
});

describe('comparisonText / comparisonMarkdown', () => {
  const c = compareResults(
    { label: 'HEAD:bench/results/latest.json (8713122)', results: asRecord(results()) },
    { label: 'this run', results: { ...asRecord(results({ ratio: 1.3, idleWrites: 2, floorSeconds: null })), routeLatencyRatio: 1.1 } },
  );

  it('prints both runs, one line per figure with old → new, change, verdict and the noise mark, then added and removed', () => {
    const text = comparisonText(c);
    expect(text).toContain('Compared with HEAD:bench/results/latest.json (8713122)');
    expect(text).toContain('old: 2026-11-24T01:30:48.056Z · commit 8713122 · npm run bench · n=1000 · load (1/5/15 min) 1.8/1.22/1.41 at start, 1.37/1.45/1.52 at end');
    expect(text).toContain(`±${NOISE_PERCENT} %`);
    expect(text).toMatch(/ratio\s+×\s+1\.62\s+→\s+1\.3\s+−19\.8 %\s+better\s+!/);
    expect(text).toMatch(/idleWrites\s+writes\s+0\s+→\s+2\s+from 0\s+worse\s+!/);
    expect(text).toMatch(/convergeSeconds\s+s\s+26\.88\s+→\s+26\.88\s+0 %\s+same\n/);
    expect(text).toContain('added (new run only): routeLatencyRatio 1.1 ×');
    expect(text).toContain('removed (old run only): floorSeconds 16.56 s');
    expect(text).toContain('beyond ±15 %: 1 better, 1 worse');
  });

  it('renders the same as a markdown section with a table', () => {
    const md = comparisonMarkdown(c);
    expect(md).toMatch(/^## Compared with the previous run\n/);
    expect(md).toContain('| ratio | × | 1.62 | 1.3 | −19.8 % | better | **!** |');
    expect(md).toContain('| convergeSeconds | s | 26.88 | 26.88 | 0 % | same |  |');
    expect(md).toContain('`npm run bench`');
    expect(md).toContain('Removed (old run only): floorSeconds 16.56 s');
  });
});
