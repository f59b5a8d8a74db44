/**
 * Runs external tools (podman, skopeo, buildah, docker, git, kind, ...) without a shell:
 * arguments are passed as an array, so nothing a user types is ever interpreted by a shell,
 * and secrets are never put on a command line (they would be visible in /proc and `ps`).
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, then stdin is closed. Default: stdin is /dev/null. */
  readonly input?: string | Buffer;
  /** Called for each complete line of stdout / stderr as it arrives (progress output). */
  readonly onStdoutLine?: (line: string) => void;
  readonly onStderrLine?: (line: string) => void;
  /** Kills the child (SIGTERM) when aborted. */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  /** Exit code; null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Signature of runProcess, so callers can inject a fake in unit tests. */
export type Runner = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** Thrown when the program itself cannot be started (usually: not installed). */
export class CommandNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`${command} is not installed or not on PATH`);
    this.name = 'CommandNotFoundError';
  }
}

const MAX_CAPTURE = 1024 * 1024;

function lineSplitter(onLine: ((line: string) => void) | undefined): { push(chunk: string): void; flush(): void } {
  let buffer = '';
  return {
    push(chunk) {
      if (onLine === undefined) return;
      buffer += chunk;
      for (let nl = buffer.search(/\r?\n|\r/); nl >= 0; nl = buffer.search(/\r?\n|\r/)) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1));
        if (line.trim() !== '') onLine(line);
      }
    },
    flush() {
      if (onLine !== undefined && buffer.trim() !== '') onLine(buffer);
      buffer = '';
    },
  };
}

/** Runs a program to completion; never rejects for a non-zero exit (see `code`). */
export const runProcess: Runner = (command, args, options = {}) =>
  new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      signal: options.signal,
      killSignal: 'SIGTERM',
    });
    let stdout = '';
    let stderr = '';
    const outLines = lineSplitter(options.onStdoutLine);
    const errLines = lineSplitter(options.onStderrLine);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_CAPTURE) stdout += chunk;
      outLines.push(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      // Keep the tail: the error a tool ends with is what explains its failure.
      stderr = (stderr + chunk).slice(-MAX_CAPTURE);
      errLines.push(chunk);
    });
    if (options.input !== undefined) {
      child.stdin?.on('error', () => {}); // the child may exit without reading everything
      child.stdin?.end(options.input);
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new CommandNotFoundError(command));
      else if (error.name === 'AbortError') resolve({ code: null, signal: 'SIGTERM', stdout, stderr });
      else reject(error);
    });
    child.once('close', (code, signal) => {
      outLines.flush();
      errLines.flush();
      resolve({ code, signal, stdout, stderr });
    });
  });

/** True when `command args` starts and exits 0 (a probe: "is this tool installed and working?"). */
export async function probe(runner: Runner, command: string, args: readonly string[]): Promise<boolean> {
  try {
    return (await runner(command, args)).code === 0;
  } catch {
    return false;
  }
}
