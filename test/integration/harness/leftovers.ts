import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ControlPlane } from '../../../src/local-cluster/index.js';

/** True if a process with this pid exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie (exited, not yet reaped) is dead for our purposes.
    return !/^\S+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * What a stopped control plane left behind: live processes (components or watchdog) and its
 * data dir. Only this control plane's pids are checked, so a concurrent run elsewhere on the
 * machine cannot make this fail.
 */
export function leftovers(cp: Pick<ControlPlane, 'processes' | 'watchdogPid' | 'dir'>): string[] {
  const left: string[] = [];
  for (const p of cp.processes) if (processAlive(p.pid)) left.push(`process ${p.name} (pid ${p.pid})`);
  if (processAlive(cp.watchdogPid)) left.push(`watchdog (pid ${cp.watchdogPid})`);
  if (existsSync(cp.dir)) left.push(`directory ${cp.dir}`);
  return left;
}

/**
 * Pids (other than this process) whose command line mentions `fragment`; every control-plane
 * process and its watchdog carry the data dir in their arguments, so this finds leftovers of
 * a control plane whose pids we never saw (e.g. one started inside runSandbox).
 */
export function processesReferencing(fragment: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(fragment) && processAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // the process exited while we looked
    }
  }
  return found;
}
