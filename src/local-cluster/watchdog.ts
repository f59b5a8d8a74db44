import { spawn } from 'node:child_process';
import { signalGroup } from './process.js';

/** File under the data dir listing the process-group ids the watchdog must kill. */
export const PGID_FILE = 'pgids';

export interface Watchdog {
  pid: number;
  /** Kills the watchdog (and its `sleep`) and resolves once it has exited. */
  stop(): Promise<void>;
  /** Synchronous variant for the exit hook (does not wait). */
  stopSync(): void;
}

/**
 * Node cannot ask the kernel to kill children when it dies (no PR_SET_PDEATHSIG), and exit
 * hooks do not run on SIGKILL or a crash of the runtime. This tiny shell process polls the
 * parent and, if it disappears without stopping the cluster, kills every process group listed
 * in <dir>/pgids and removes the data dir. A normal stop() kills the watchdog at the end.
 */
export function startWatchdog(dir: string, parentPid = process.pid): Watchdog {
  const script = [
    'parent="$1"; dir="$2"',
    'while kill -0 "$parent" 2>/dev/null; do sleep 1; done',
    `if [ -f "$dir/${PGID_FILE}" ]; then`,
    `  for g in $(cat "$dir/${PGID_FILE}"); do kill -TERM -- "-$g" 2>/dev/null; done`,
    '  sleep 2',
    `  for g in $(cat "$dir/${PGID_FILE}"); do kill -KILL -- "-$g" 2>/dev/null; done`,
    'fi',
    // A real node leaves host state (containers, mounts, links, iptables rules): its own teardown
    // must run before the dir goes (rm would otherwise descend into the containers' mounts).
    '[ -x "$dir/node/teardown.sh" ] && "$dir/node/teardown.sh"',
    'rm -rf -- "$dir"',
  ].join('\n');
  const child = spawn('bash', ['-c', script, 'mcp-runtime-cp-watchdog', String(parentPid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the control-plane watchdog');
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.ref(); // keep Node alive until it is really gone
        signalGroup(pid, 'SIGKILL');
        await exited;
      }
      signalGroup(pid, 'SIGKILL'); // its `sleep`, if still there
    },
    stopSync() {
      signalGroup(pid, 'SIGKILL');
    },
  };
}
