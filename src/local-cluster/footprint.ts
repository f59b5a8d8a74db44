/**
 * Resident memory of a local cluster's processes, by component, read from /proc (Linux). A
 * process belongs to the cluster when its command line names the cluster's directory (every
 * component is started with files from there), or when it descends from one that does (the
 * containerd shims and the containers under them).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface ComponentMemory {
  readonly component: string;
  readonly processes: number;
  readonly rssMiB: number;
}

interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly exe: string;
  readonly argv: readonly string[];
  readonly rssKiB: number;
}

async function readProc(pid: number): Promise<ProcInfo | undefined> {
  try {
    const [status, cmdline] = await Promise.all([readFile(`/proc/${pid}/status`, 'utf8'), readFile(`/proc/${pid}/cmdline`, 'utf8')]);
    const field = (name: string) => new RegExp(`^${name}:\\s+(\\S+)`, 'm').exec(status)?.[1];
    const argv = cmdline.split('\0').filter((a) => a !== '');
    return { pid, ppid: Number(field('PPid') ?? 0), exe: basename(argv[0] ?? field('Name') ?? '?'), argv, rssKiB: Number(field('VmRSS') ?? 0) };
  } catch {
    return undefined; // exited while we looked, or a kernel thread without a status we can read
  }
}

/** The component a process is counted under. */
export function componentOf(p: { exe: string; argv: readonly string[] }, underShim: boolean): string {
  if (underShim) return 'pods (containers)';
  if (p.exe.startsWith('containerd-shim')) return 'containerd shims';
  // The watchdog that kills the cluster if this process dies is a shell loop.
  if (p.exe === 'bash' || p.exe === 'sh' || p.exe === 'sleep') return 'watchdog';
  if (p.exe === 'node' || p.exe.endsWith('/node')) return p.argv.includes('operator') ? 'operator' : 'node (other)';
  return p.exe;
}

export async function memoryByComponent(clusterDir: string): Promise<ComponentMemory[]> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number);
  const procs = (await Promise.all(pids.map(readProc))).filter((p): p is ProcInfo => p !== undefined);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const own = (p: ProcInfo) => p.argv.some((a) => a.includes(clusterDir));
  const totals = new Map<string, { processes: number; rssKiB: number }>();
  for (const p of procs) {
    // Walk up: ours if this process or an ancestor names the directory; under a shim if an
    // ancestor is a containerd shim (a container's processes).
    let ours = own(p);
    let underShim = false;
    for (let parent = byPid.get(p.ppid), depth = 0; parent !== undefined && depth < 64; parent = byPid.get(parent.ppid), depth++) {
      if (parent.exe.startsWith('containerd-shim')) underShim = true;
      if (own(parent)) ours = true;
    }
    if (!ours) continue;
    const component = componentOf(p, underShim);
    const t = totals.get(component) ?? { processes: 0, rssKiB: 0 };
    totals.set(component, { processes: t.processes + 1, rssKiB: t.rssKiB + p.rssKiB });
  }
  return [...totals.entries()]
    .map(([component, t]) => ({ component, processes: t.processes, rssMiB: Math.round(t.rssKiB / 1024) }))
    .sort((a, b) => b.rssMiB - a.rssMiB);
}
