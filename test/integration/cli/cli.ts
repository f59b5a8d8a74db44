/**
 * Runs CLI commands for the integration tests: in-process (the command class with a real oclif
 * Config, output captured) for speed, or as a subprocess through oclif's real error handler
 * for what only a process shows (exit status, what reaches the terminal).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Config, type Command } from '@oclif/core';
import type { KubeConfig } from '@kubernetes/client-node';

export const REPO_ROOT = resolve('.');

let config: Config | undefined;

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The error the command ended with (oclif CLIError / ExitError), if any. */
  error?: Error & { oclif?: { exit?: number } };
}

type CommandClass = typeof Command & { run(argv?: string[], opts?: unknown): Promise<unknown> };

/** Runs a command class in this process and captures what it writes. */
export async function runCli(command: CommandClass, argv: string[]): Promise<CliResult> {
  config ??= await Config.load(REPO_ROOT);
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const capture = (sink: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  const previousExitCode = process.exitCode;
  let error: CliResult['error'];
  try {
    await command.run(argv, config);
  } catch (e) {
    error = e as CliResult['error'];
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = previousExitCode; // oclif's catch sets it; it must not fail the jest run
  }
  const exitCode = error === undefined ? 0 : (error.oclif?.exit ?? 1);
  // What oclif's handler would print: nothing for an error the command already reported.
  const reported = (error as { skipOclifErrorHandling?: boolean } | undefined)?.skipOclifErrorHandling === true;
  const stderr = err.join('') + (error !== undefined && exitCode !== 0 && !reported ? `${error.message}\n` : '');
  return { stdout: out.join(''), stderr, exitCode, ...(error !== undefined ? { error } : {}) };
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

const MAIN = join(REPO_ROOT, 'test/integration/cli/fixtures/cli-main.ts');

/** `mcp-runtime <id> <argv>` in a child process (tsx, oclif's real error handling). */
export function spawnCli(
  id: string,
  argv: string[],
  options: {
    onLine?: (line: string, child: ReturnType<typeof spawn>) => void;
    timeoutMs?: number;
    /** Added to (or, as undefined, removed from) this process's environment. */
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<ProcessResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, id, ...argv], {
    cwd: REPO_ROOT,
    // oclif wraps errors to OCLIF_COLUMNS (default 80), not COLUMNS; a wide screen keeps file:line:col on one line.
    env: { ...process.env, NODE_OPTIONS: '', COLUMNS: '200', OCLIF_COLUMNS: '400', FORCE_COLOR: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      options.onLine?.(pending.slice(0, nl), child);
      pending = pending.slice(nl + 1);
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise({ stdout, stderr, exitCode, signal });
    });
  });
}

/** A temp dir removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `mcp-cli-${prefix}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Writes a KubeConfig (e.g. from asServiceAccount) to a file for `--kubeconfig`. */
export async function writeKubeconfig(kc: KubeConfig, dir: string, name = 'kubeconfig'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, kc.exportConfig(), { mode: 0o600 });
  return path;
}
