/**
 * The I/O around bench comparisons, with real git and real files (no cluster needed): the
 * commit recorded with a run, the previous committed run `--compare` reads, and what
 * `bench/compare.ts` prints and exits with, as a user sees it.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gitState } from '../../../bench/provenance.js';
import { previousCommittedRun, ResultsFileError } from '../../../bench/results-file.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';

const REPO_ROOT = resolve('.');
const git = (cwd: string, ...args: string[]) => promisify(execFile)('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd });

function benchScript(script: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, INIT_CWD: REPO_ROOT } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const compareCli = (...args: string[]) => benchScript('bench/compare.ts', ...args);

const run = (n: number, convergeSeconds: number) => JSON.stringify({ schemaVersion: 2, n, date: '2026-11-27T00:00:00.000Z', convergeSeconds, idleWrites: 0 });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-compare-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gitState', () => {
  it('records the short commit, and a dirty tree with its paths', async () => {
    const repo = join(dir, 'repo-state');
    await mkdir(repo);
    await git(repo, 'init', '-q');
    await writeFile(join(repo, 'a.txt'), 'a');
    await git(repo, 'add', 'a.txt');
    await git(repo, 'commit', '-qm', 'a');
    const head = (await git(repo, 'rev-parse', '--short', 'HEAD')).stdout.trim();
    expect(await gitState(repo)).toEqual({ commit: head, dirty: false, dirtyCount: 0, dirtyPaths: [] });
    await writeFile(join(repo, 'a.txt'), 'changed');
    await writeFile(join(repo, 'new.txt'), 'new');
    expect(await gitState(repo)).toEqual({ commit: head, dirty: true, dirtyCount: 2, dirtyPaths: ['a.txt', 'new.txt'] });
  });

  it('says so, instead of failing, outside a git checkout', async () => {
    const plain = join(dir, 'plain');
    await mkdir(plain);
    expect(await gitState(plain)).toEqual({ commit: null, reason: 'not a git checkout' });
  });
});

describe('previousCommittedRun', () => {
  it("reads git HEAD's copy, not the working tree's (which a new run may have replaced)", async () => {
    const repo = join(dir, 'repo-previous');
    await mkdir(join(repo, 'bench', 'results'), { recursive: true });
    await git(repo, 'init', '-q');
    await writeFile(join(repo, 'bench', 'results', 'latest.json'), run(1000, 26.9));
    await git(repo, 'add', '.');
    await git(repo, 'commit', '-qm', 'results');
    await writeFile(join(repo, 'bench', 'results', 'latest.json'), run(1000, 99));
    const head = (await git(repo, 'rev-parse', '--short', 'HEAD')).stdout.trim();
    const loaded = await previousCommittedRun(repo, 'latest');
    expect(loaded.label).toBe(`HEAD:bench/results/latest.json (${head})`);
    expect(loaded.results.convergeSeconds).toBe(26.9);
    // Never committed: the working tree's copy, labelled as such.
    await writeFile(join(repo, 'bench', 'results', 'smoke.json'), run(20, 1.5));
    const smoke = await previousCommittedRun(repo, 'smoke');
    expect(smoke.label).toBe('bench/results/smoke.json (working tree; not in git HEAD)');
    expect(smoke.results.convergeSeconds).toBe(1.5);
  });

  it('falls back to the working tree outside git, and names the file when there is nothing to compare with', async () => {
    const plain = join(dir, 'plain-previous');
    await mkdir(join(plain, 'bench', 'results'), { recursive: true });
    await expect(previousCommittedRun(plain, 'latest')).rejects.toThrow(
      new ResultsFileError('bench/results/latest.json: no previous run to compare against (not a git checkout, and not in the working tree)'),
    );
    await writeFile(join(plain, 'bench', 'results', 'latest.json'), run(1000, 30));
    expect((await previousCommittedRun(plain, 'latest')).label).toBe('bench/results/latest.json (working tree; not a git checkout)');
    await writeFile(join(plain, 'bench', 'results', 'latest.json'), '{"n": "many"}');
    await expect(previousCommittedRun(plain, 'latest')).rejects.toThrow(/^bench\/results\/latest\.json: not a bench results file \(field n: /);
  });
});

describe('bench/compare.ts', () => {
  it('compares two committed full runs offline: old → new, change, verdict and the noise mark', async () => {
    const { code, stdout, stderr } = await compareCli('bench/results/2026-11-24T0055Z.json', 'bench/results/2026-11-24T0130Z.json');
    expect({ code, stderr }).toEqual({ code: ExitCode.OK, stderr: '' });
    expect(stdout).toContain('Compared with bench/results/2026-11-24T0055Z.json');
    expect(stdout).toMatch(/convergeSeconds\s+s\s+44\.99\s+→\s+26\.88\s+−40\.3 %\s+better\s+!/);
    expect(stdout).toMatch(/ratio\s+×\s+1\.75\s+→\s+1\.62\s+−7\.4 %\s+better\n/);
    expect(stdout).toMatch(/peakRssMb\s+MB\s+215\.1\s+→\s+235\.8\s+\+9\.6 %\s+worse\n/);
  });

  it('lists the figures only one file has as added or removed', async () => {
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    await writeFile(a, JSON.stringify({ n: 20, date: 'x', convergeSeconds: 2, floorSeconds: 1 }));
    await writeFile(b, JSON.stringify({ n: 20, date: 'y', convergeSeconds: 2, routeLatencyRatio: 1.2 }));
    const { code, stdout } = await compareCli(a, b);
    expect(code).toBe(ExitCode.OK);
    expect(stdout).toContain('added (new run only): routeLatencyRatio 1.2 ×');
    expect(stdout).toContain('removed (old run only): floorSeconds 1 s');
  });

  it('rejects a missing, non-JSON or foreign file with one line naming it and exit code 3, no stack trace', async () => {
    const notJson = join(dir, 'report.md');
    await writeFile(notJson, '# report');
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.json'), /^.*missing\.json: no such file$/],
      [notJson, /^.*report\.md: not JSON \(.*\)$/],
      ['package.json', /^package\.json: not a bench results file \(field n: .*\)$/],
      [dir, /: is a directory$/],
    ];
    for (const [file, expected] of cases) {
      const { code, stdout, stderr } = await compareCli(file, 'bench/results/2026-11-24T0130Z.json');
      expect({ file, code, stdout }).toEqual({ file, code: ExitCode.INVALID_INPUT, stdout: '' });
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr.trimEnd()).toMatch(expected);
    }
  });

  it('is what `npm run bench -- --compare FILE` checks before the run starts: a bad FILE ends it at once', async () => {
    const { code, stdout, stderr } = await benchScript('bench/run.ts', '--skip-cluster', '--compare', join(dir, 'missing.json'));
    expect({ code, stdout }).toEqual({ code: ExitCode.INVALID_INPUT, stdout: '' });
    expect(stderr.trimEnd()).toBe(`--compare: ${join(dir, 'missing.json')}: no such file`);
  });

  it('answers wrong usage with exit code 2 and the usage text', async () => {
    const { code, stderr } = await compareCli('only-one.json');
    expect(code).toBe(ExitCode.USAGE);
    expect(stderr).toContain('expected two results files (OLD NEW), got 1');
    expect(stderr).toContain('Usage: npm run bench:compare');
  });
});
