import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Set once the process has exited. */
  readonly exitInfo: ExitInfo | null;
  /** Resolves when the process exits (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Last lines of the log, for error messages. */
  logTail(lines?: number): string;
}

/** Sends a signal to a process group; false if it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a component in its own process group (detached => setsid), so stopping the group
 * also stops anything it forked. Output goes to a log file rather than pipes: a pipe nobody
 * drains would block the child, and the file survives for post-mortems until the temp dir
 * is removed. The child is unref'd so a forgotten cluster cannot keep Node alive; the exit
 * hook (cleanup.ts) kills it instead.
 */
export function startProcess(
  name: string,
  binary: string,
  args: readonly string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): ManagedProcess {
  const fd = openSync(options.logFile, 'a');
  let exitInfo: ExitInfo | null = null;
  const child = (() => {
    try {
      return spawn(binary, args, {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: options.env ?? process.env,
        cwd: options.cwd,
      });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
  })();
  // Declared before the listeners that assign it.
  let spawnError: Error | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    // Spawn failures (ENOENT, EACCES) emit 'error' and no 'exit'.
    child.once('error', (error) => {
      spawnError = error;
      exitInfo = { code: -1, signal: null };
      resolve(exitInfo);
    });
  });
  child.unref();
  const pid = child.pid ?? -1;

  return {
    name,
    pid,
    logFile: options.logFile,
    get exitInfo() {
      return exitInfo;
    },
    exited,
    async stop(graceMs = 5000) {
      if (pid > 0 && exitInfo === null) {
        // Unref'd children do not keep Node alive; while we wait for this one to exit, it must.
        child.ref();
        signalGroup(pid, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
        ]);
        clearTimeout(timer);
        if (timedOut) signalGroup(pid, 'SIGKILL');
        await exited;
      }
      // The leader is gone; make sure nothing it forked lingers in its group.
      if (pid > 0) signalGroup(pid, 'SIGKILL');
    },
    logTail(lines = 30) {
      let text = '';
      try {
        text = readFileSync(options.logFile, 'utf8');
      } catch {
        text = '';
      }
      const tail = text.split('\n').slice(-lines).join('\n');
      return spawnError ? `${spawnError.message}\n${tail}` : tail;
    },
  };
}
