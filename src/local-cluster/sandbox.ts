import { copyFile, chmod } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { startControlPlane, type StartControlPlaneOptions } from './control-plane.js';
import { signalGroup } from './process.js';
import type { ControlPlaneTimings, LogFn } from './types.js';

export interface RunSandboxOptions {
  /** Where to write the admin kubeconfig (e.g. from `--kubeconfig <file>`). */
  kubeconfigOut: string;
  /** Where user-facing lines go (the CLI passes this.log). */
  log: LogFn;
  /** Stop when this aborts, in addition to SIGINT/SIGTERM (lets tests drive the sandbox). */
  signal?: AbortSignal;
  /** Passed through to startControlPlane (handleSignals is always off: we handle them here). */
  start?: Omit<StartControlPlaneOptions, 'handleSignals' | 'log'>;
}

export interface SandboxResult {
  /** What ended the sandbox: a signal name, 'aborted', or 'component-exited'. */
  reason: NodeJS.Signals | 'aborted' | 'component-exited';
  timings: ControlPlaneTimings;
}

/**
 * The whole of `mcp-runtime cluster provision --provider local`: start a local control plane,
 * write its kubeconfig, say it is ready, stay in the foreground until SIGINT/SIGTERM (or
 * `signal`), then stop every process and remove the temp dir. Resolves after cleanup. A
 * second Ctrl-C while stopping kills everything at once. Rejects if start-up fails or a
 * component dies (after cleaning up).
 */
export async function runSandbox(options: RunSandboxOptions): Promise<SandboxResult> {
  const { log } = options;
  const out = resolvePath(options.kubeconfigOut);
  let requested: NodeJS.Signals | 'aborted' | undefined;
  let wake: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => (wake = resolve));
  let forceStop: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested !== undefined) {
      log(`${signal} again: killing the control plane now`);
      forceStop?.();
      process.exit(130);
    }
    requested = signal;
    wake();
  };
  const onAbort = () => {
    requested ??= 'aborted';
    wake();
  };
  // Installed before start-up so a Ctrl-C during a slow start is not lost.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  // Signal listeners do not keep Node alive; this timer does, until we are done.
  const keepAlive = setInterval(() => {}, 60_000);

  try {
    log('starting a local Kubernetes control plane (etcd, kube-apiserver, controller manager, scheduler, KWOK)');
    const cp = await startControlPlane({ ...options.start, log, handleSignals: false });
    forceStop = () => {
      for (const p of cp.processes) signalGroup(p.pid, 'SIGKILL');
      signalGroup(cp.watchdogPid, 'SIGKILL'); // the watchdog would otherwise also remove the dir; fine either way
    };
    let componentDied: string | undefined;
    try {
      await copyFile(cp.kubeconfigPath, out);
      await chmod(out, 0o600);
      if (requested === undefined) {
        log(`sandbox ready: ${cp.server}`);
        log(`kubeconfig written to ${out} (admin user; valid until the sandbox stops)`);
        log(
          `nodes are simulated by KWOK (${cp.nodeNames.join(', ')}): pods are scheduled and reported Running/Ready, ` +
            'but no container actually runs.',
        );
        log(`started in ${cp.timings.startupMs} ms; press Ctrl-C to stop and remove everything`);
        componentDied = await Promise.race([stopRequested.then(() => undefined), cp.unexpectedExit]);
      }
    } finally {
      log('stopping the control plane');
      await cp.stop();
    }
    if (componentDied !== undefined) throw new Error(`sandbox stopped because a component died: ${componentDied}`);
    return { reason: requested ?? 'aborted', timings: cp.timings };
  } finally {
    clearInterval(keepAlive);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
