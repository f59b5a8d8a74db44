/**
 * Memory and CPU of one process from /proc (Linux). The operator runs as `node …`: we measure
 * that node process itself, not its parent npm/tsx wrappers (there are none: it is spawned with
 * process.execPath) and not helpers it starts (tsx's esbuild in dev mode), which are listed
 * separately by `descendants`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStats {
  pid: number;
  /** Current resident set (VmRSS), MiB. */
  rssMb: number;
  /** Peak resident set since start (VmHWM), MiB. */
  peakRssMb: number;
  /** utime + stime of the process itself, seconds. */
  cpuSeconds: number;
  threads: number;
}

let clockTicks: number | undefined;

/** CLK_TCK (jiffies per second), from getconf; 100 on every Linux we know of. */
export function clkTck(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

const kbField = (status: string, field: string): number => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m === null ? 0 : Number(m[1]);
};

/** Fields of /proc/<pid>/stat after the command (which may contain spaces and parentheses). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Undefined when the process is gone. */
export function procStats(pid: number): ProcStats | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    // After ") ": state(3) ppid(4) … utime(14) stime(15): indexes shift by 3.
    const fields = statFields(pid);
    const utime = Number(fields[14 - 3]);
    const stime = Number(fields[15 - 3]);
    const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
    return {
      pid,
      rssMb: mb(kbField(status, 'VmRSS')),
      peakRssMb: mb(kbField(status, 'VmHWM')),
      cpuSeconds: Math.round(((utime + stime) / clkTck()) * 100) / 100,
      threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `pid` (children, grandchildren, …) with its command name. */
export function descendants(pid: number): { pid: number; comm: string }[] {
  const parentOf = new Map<number, { ppid: number; comm: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), { ppid, comm });
    } catch {
      // exited while we looked
    }
  }
  const found: { pid: number; comm: string }[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const current = frontier.pop() as number;
    for (const [child, info] of parentOf) {
      if (info.ppid === current) {
        found.push({ pid: child, comm: info.comm });
        frontier.push(child);
      }
    }
  }
  return found;
}
