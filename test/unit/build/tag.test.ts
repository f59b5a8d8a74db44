import { describe, expect, it } from '@jest/globals';
import { chooseTag, gitState, validateTag } from '../../../src/build/tag.js';
import type { Runner, RunResult } from '../../../src/build/exec.js';
import { RegistryUsageError } from '../../../src/registry/errors.js';

const ok = (stdout: string): RunResult => ({ code: 0, signal: null, stdout, stderr: '' });
const fail = (): RunResult => ({ code: 128, signal: null, stdout: '', stderr: 'fatal: not a git repository' });

describe('chooseTag', () => {
  it('prefers --tag, then a tag written in --image, then git, then latest', () => {
    const git = { sha: 'abc1234', dirty: false };
    expect(chooseTag({ flag: 'v1', imageTag: 'x', git })).toEqual({ tag: 'v1', source: 'flag' });
    expect(chooseTag({ imageTag: 'x', git })).toEqual({ tag: 'x', source: 'image' });
    expect(chooseTag({ git })).toEqual({ tag: 'abc1234', source: 'git' });
    expect(chooseTag({})).toEqual({ tag: 'latest', source: 'default' });
  });

  it('marks a dirty tree with a hash of the changes, so different dirty states get different tags', () => {
    const a = chooseTag({ git: { sha: 'abc1234', dirty: true, dirtyHash: 'deadbeefcafe0000' } });
    const b = chooseTag({ git: { sha: 'abc1234', dirty: true, dirtyHash: '0123456789abcdef' } });
    expect(a).toEqual({ tag: 'abc1234-dirty-deadbeef', source: 'git-dirty' });
    expect(b.tag).toBe('abc1234-dirty-01234567');
    expect(chooseTag({ git: { sha: 'abc1234', dirty: true } }).tag).toBe('abc1234-dirty');
  });

  it('rejects tags the registry would refuse', () => {
    expect(() => validateTag('-x')).toThrow(RegistryUsageError);
    expect(() => chooseTag({ flag: 'a/b' })).toThrow(/--tag "a\/b" is not a valid image tag/);
    expect(() => chooseTag({ flag: 'x'.repeat(129) })).toThrow(/not a valid image tag/);
    expect(validateTag('1.2.3_rc-1')).toBe('1.2.3_rc-1');
  });
});

describe('gitState', () => {
  const runner =
    (answers: Record<string, RunResult>): Runner =>
    async (_command, args) => {
      const key = args.slice(2).join(' ');
      const found = Object.entries(answers).find(([prefix]) => key.startsWith(prefix));
      return found === undefined ? fail() : found[1];
    };

  it('is undefined outside a work tree and in a repository without commits', async () => {
    expect(await gitState('/x', runner({}))).toBeUndefined();
    expect(await gitState('/x', runner({ 'rev-parse --is-inside-work-tree': ok('true\n') }))).toBeUndefined();
  });

  it('reports the short SHA of a clean tree, scoping status to the context and excluding given paths', async () => {
    const seen: string[][] = [];
    const r: Runner = async (command, args, options) => {
      seen.push([...args]);
      return runner({ 'rev-parse --is-inside-work-tree': ok('true\n'), 'rev-parse --short HEAD': ok('abc1234\n'), status: ok('') })(command, args, options);
    };
    expect(await gitState('/repo/ctx', r, { exclude: ['.mcp'] })).toEqual({ sha: 'abc1234', dirty: false });
    expect(seen.find((a) => a.includes('status'))).toEqual(['-C', '/repo/ctx', 'status', '--porcelain', '--untracked-files=all', '--', '.', ':(exclude).mcp']);
  });
});
