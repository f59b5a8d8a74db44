/** Telling a bench results file from anything else, with a one-line error naming it (pure). */
import { describe, expect, it } from '@jest/globals';
import { parseResults, ResultsFileError } from '../../../bench/results-file.js';
import { RESULTS_SCHEMA_VERSION } from '../../../bench/results-types.js';
import { results } from './fixtures.js';

const problem = (text: string): string => {
  try {
    parseResults(text, 'old.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ResultsFileError);
    return (error as Error).message;
  }
  throw new Error('parsed');
};

describe('parseResults', () => {
  it('accepts a results file of this schema or an older one (no schemaVersion)', () => {
    expect(parseResults(JSON.stringify(results()), 'x').convergeSeconds).toBe(26.878);
    const { schemaVersion: _s, ...v1 } = results();
    expect(parseResults(JSON.stringify(v1), 'x').n).toBe(1000);
  });

  it('names the file and the problem in one line', () => {
    const notJson = problem('# a markdown report');
    expect(notJson).toMatch(/^old\.json: not JSON \(/);
    expect(problem('{"name": "mcp-runtime"}')).toMatch(/^old\.json: not a bench results file \(field n: /);
    expect(problem('[1, 2]')).toMatch(/^old\.json: not a bench results file/);
    expect(problem(JSON.stringify({ ...results(), date: 5 }))).toContain('field date');
    expect(problem(JSON.stringify({ ...results(), schemaVersion: RESULTS_SCHEMA_VERSION + 1 }))).toContain('written by a newer bench');
    for (const message of [notJson, problem('{}')]) expect(message).not.toContain('\n');
  });
});
