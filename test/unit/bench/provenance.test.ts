/** The recorded command line and commit description (pure parts of bench/provenance.ts). */
import { describe, expect, it } from '@jest/globals';
import { describeGit, npmCommand, shellQuote } from '../../../bench/provenance.js';

describe('npmCommand', () => {
  it('gives the npm form of the arguments, quoted where a shell needs it', () => {
    expect(npmCommand([])).toBe('npm run bench');
    expect(npmCommand(['--smoke', '--compare'])).toBe('npm run bench -- --smoke --compare');
    expect(npmCommand(['--compare', 'my runs/old.json'])).toBe("npm run bench -- --compare 'my runs/old.json'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('--output=bench/results/x')).toBe('--output=bench/results/x');
  });
});

describe('describeGit', () => {
  it('says whether the tree was dirty, and why there is no commit when there is none', () => {
    expect(describeGit({ commit: '74f98ec', dirty: false, dirtyCount: 0, dirtyPaths: [] })).toBe('74f98ec');
    expect(describeGit({ commit: '74f98ec', dirty: true, dirtyCount: 3, dirtyPaths: ['a', 'b', 'c'] })).toBe('74f98ec + uncommitted changes (3 path(s))');
    expect(describeGit({ commit: null, reason: 'not a git checkout' })).toBe('unknown (not a git checkout)');
    expect(describeGit(undefined)).toBe('not recorded');
  });
});
