/**
 * Shared plumbing of the registry and build commands: user-facing errors without stack traces,
 * Ctrl-C that cleans up (the in-cluster helper pod is deleted), and the common flags.
 */
import { Flags, type Command } from '@oclif/core';
import { CliError } from './errors.js';

export const kubeFlags = {
  kubeconfig: Flags.string({ description: 'Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).' }),
  context: Flags.string({ description: 'Kube context to use (default: the current context).' }),
};

export interface Interruptible {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** The first Ctrl-C aborts the signal (cleanup runs); a second one exits at once. */
export function interruptible(): Interruptible {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Runs a command body; CliError, ProblemsError (metadata) and other known failures become
 * `Error: <message>` with a non-zero exit and no stack trace (set DEBUG=* for one).
 */
export async function runCommand<T>(cmd: Command, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CliError) cmd.error(error.message, { exit: error.exitCode });
    const e = error as Error & { oclif?: unknown };
    if (e?.oclif !== undefined) throw error; // oclif's own exits and parse errors
    if (e?.name === 'ProblemsError' || e?.name === 'WriteBackError' || e?.name === 'InvalidImageReferenceError') {
      cmd.error(e.message, { exit: 2 });
    }
    if (process.env.DEBUG !== undefined) throw error;
    cmd.error(`${e?.message ?? String(error)} (set DEBUG=* for details)`, { exit: 1 });
  }
}

/** A warning that must be seen even with --json (oclif mutes warn() then): security warnings. */
export function warnAlways(cmd: Command, message: string): void {
  if (cmd.jsonEnabled()) process.stderr.write(`Warning: ${message}\n`);
  else cmd.warn(message);
}
