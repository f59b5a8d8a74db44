/**
 * Reading a results JSON to compare against: a file given on the command line, or the previous
 * committed run (git HEAD's copy, else the working tree's). Every failure is a ResultsFileError
 * whose message is one line naming the file.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { RESULTS_SCHEMA_VERSION } from './results-types.js';

export class ResultsFileError extends Error {}

export interface LoadedResults {
  /** How the file is named in output, e.g. `HEAD:bench/results/latest.json (74f98ec)`. */
  label: string;
  results: Record<string, unknown>;
}

/** Only what every version of the file has; figures are read loosely (bench/figures.ts). */
const ResultsShape = z.looseObject({
  schemaVersion: z
    .number()
    .int()
    .min(1)
    .max(RESULTS_SCHEMA_VERSION, { message: `written by a newer bench (this one reads schemaVersion ≤ ${RESULTS_SCHEMA_VERSION})` })
    .optional(),
  n: z.number(),
  date: z.string(),
});

export function parseResults(text: string, label: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ResultsFileError(`${label}: not JSON (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
  }
  const parsed = ResultsShape.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `field ${issue.path.join('.')}: ` : '';
    throw new ResultsFileError(`${label}: not a bench results file (${where}${issue?.message ?? 'unexpected shape'})`);
  }
  return parsed.data;
}

/** A path as the user would type it: relative to where they ran the command when inside it. */
function displayPath(path: string, from: string): string {
  const rel = relative(from, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * `npm run` runs scripts from the package root; INIT_CWD is where the user typed the command,
 * which is what a relative path on their command line means.
 */
export const userCwd = (): string => process.env.INIT_CWD ?? process.cwd();

export function readResultsFile(file: string, from = userCwd()): LoadedResults {
  const path = resolve(from, file);
  const label = displayPath(path, from);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? String(error)})`;
    throw new ResultsFileError(`${label}: ${why}`);
  }
  return { label, results: parseResults(text, label) };
}

const run = promisify(execFile);

/**
 * The previous committed run: `git show HEAD:bench/results/<name>.json`, else the working tree's
 * copy (not a git checkout, or the file was never committed).
 */
export async function previousCommittedRun(repoRoot: string, name: 'latest' | 'smoke'): Promise<LoadedResults> {
  const inRepo = `bench/results/${name}.json`;
  let gitProblem: string;
  try {
    const [{ stdout: text }, { stdout: commit }] = await Promise.all([
      run('git', ['show', `HEAD:./${inRepo}`], { cwd: repoRoot, timeout: 10_000, maxBuffer: 64 * 1024 * 1024 }),
      run('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, timeout: 10_000 }),
    ]);
    const label = `HEAD:${inRepo} (${commit.trim()})`;
    return { label, results: parseResults(text, label) };
  } catch (error) {
    if (error instanceof ResultsFileError) throw error;
    const e = error as { code?: unknown; stderr?: unknown };
    gitProblem = e.code === 'ENOENT' ? 'git is not installed' : typeof e.stderr === 'string' && /not a git repository/i.test(e.stderr) ? 'not a git checkout' : 'not in git HEAD';
  }
  try {
    const loaded = readResultsFile(resolve(repoRoot, inRepo), repoRoot);
    return { ...loaded, label: `${inRepo} (working tree; ${gitProblem})` };
  } catch (error) {
    if (error instanceof ResultsFileError && !/: no such file$/.test(error.message)) throw error;
    throw new ResultsFileError(`${inRepo}: no previous run to compare against (${gitProblem}, and not in the working tree)`);
  }
}
