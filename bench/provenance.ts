/**
 * Where a run's figures come from: the command line and the git commit of the code measured.
 * A results file without them cannot be reproduced or compared honestly.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The commit of the code being measured, or why there is none (never throws). */
export type GitState =
  | {
      commit: string;
      /** Uncommitted changes (tracked or untracked, git-ignored files aside) were in the tree. */
      dirty: boolean;
      /** How many paths `git status --porcelain` listed. */
      dirtyCount: number;
      /** The first DIRTY_PATHS_KEPT of them. */
      dirtyPaths: string[];
    }
  | { commit: null; reason: string };

/** Enough to see what was uncommitted without bloating the results file. */
const DIRTY_PATHS_KEPT = 20;

const errorText = (error: unknown): string => {
  const e = error as { code?: unknown; stderr?: unknown; message?: unknown };
  if (e.code === 'ENOENT') return 'git is not installed';
  const stderr = typeof e.stderr === 'string' ? e.stderr : '';
  if (/not a git repository/i.test(stderr)) return 'not a git checkout';
  const first = (stderr || String(e.message ?? error)).trim().split('\n')[0];
  return `git failed: ${first}`;
};

export async function gitState(repoRoot: string): Promise<GitState> {
  const git = (...args: string[]) => run('git', args, { cwd: repoRoot, timeout: 10_000, maxBuffer: 4 * 1024 * 1024 });
  try {
    const commit = (await git('rev-parse', '--short', 'HEAD')).stdout.trim();
    const status = (await git('status', '--porcelain', '--untracked-files=normal')).stdout;
    // Porcelain v1 lines are "XY path"; the path starts at column 3.
    const paths = status.split('\n').filter((line) => line.length > 3).map((line) => line.slice(3));
    return { commit, dirty: paths.length > 0, dirtyCount: paths.length, dirtyPaths: paths.slice(0, DIRTY_PATHS_KEPT) };
  } catch (error) {
    return { commit: null, reason: errorText(error) };
  }
}

/** One line for reports: "74f98ec", "74f98ec + uncommitted changes (3 path(s))" or "unknown (not a git checkout)". */
export function describeGit(git: GitState | undefined): string {
  if (git === undefined) return 'not recorded';
  if (git.commit === null) return `unknown (${git.reason})`;
  return git.dirty ? `${git.commit} + uncommitted changes (${git.dirtyCount} path(s))` : git.commit;
}

/** Quotes an argument for a POSIX shell when it needs it, so the recorded command can be pasted. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The `npm run bench` form of argv (the arguments after bench/run.ts). */
export function npmCommand(argv: readonly string[]): string {
  return argv.length === 0 ? 'npm run bench' : `npm run bench -- ${argv.map(shellQuote).join(' ')}`;
}
