/** `npm run bench` flags, --compare's optional file in particular (pure). */
import { describe, expect, it } from '@jest/globals';
import { parseOptions, type BenchOptions } from '../../../bench/options.js';

const parse = (...argv: string[]) => parseOptions(argv) as BenchOptions;

describe('parseOptions --compare', () => {
  it('means the previous committed run without a file, whether last or followed by another flag', () => {
    expect(parse('--smoke', '--compare')).toMatchObject({ smoke: true, compare: 'previous' });
    expect(parse('--compare', '--smoke')).toMatchObject({ smoke: true, compare: 'previous' });
    expect(parse('--smoke').compare).toBeUndefined();
  });

  it('takes a file as the next argument or after =', () => {
    expect(parse('--compare', 'old.json', '--n', '50')).toMatchObject({ n: 50, compare: { file: 'old.json' } });
    expect(parse('--compare=bench/results/2026-11-24T0055Z.json').compare).toEqual({ file: 'bench/results/2026-11-24T0055Z.json' });
  });

  it('rejects an empty --compare= and a stray argument', () => {
    expect(() => parse('--compare=')).toThrow('--compare= needs a file name');
    expect(() => parse('--smoke', 'old.json')).toThrow();
  });

  it('takes --converge-only and the operator\'s node flags (none with an empty value)', () => {
    expect(parse('--converge-only')).toMatchObject({ convergeOnly: true, operatorNodeFlags: undefined });
    expect(parse()).toMatchObject({ convergeOnly: false, operatorNodeFlags: undefined });
    expect(parse('--operator-node-flags=--optimize-for-size --max-semi-space-size=2')).toMatchObject({ operatorNodeFlags: ['--optimize-for-size', '--max-semi-space-size=2'] });
    expect(parse('--operator-node-flags=')).toMatchObject({ operatorNodeFlags: [] });
  });
});
