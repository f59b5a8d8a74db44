/**
 * CPU spent during a timed window by the benchmark process itself and by each control-plane
 * process (kube-apiserver, etcd, kube-controller-manager, …). On a 2-core machine every
 * process's CPU is taken from the others, so these say where a window's time went: the floor and
 * converge windows are only comparable when the benchmark's own share is alike in both.
 */
import { procStats } from './proc-stats.js';

export interface CpuSample {
  readonly benchSeconds: number;
  readonly components: Record<string, number>;
}

export interface WindowCpu {
  /** The benchmark process (its client, watches and bookkeeping). */
  benchSeconds: number;
  /** Per control-plane process name. */
  components: Record<string, number>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function cpuSample(processes: readonly { name: string; pid: number }[]): CpuSample {
  const usage = process.cpuUsage();
  const components: Record<string, number> = {};
  for (const p of processes) {
    const stats = procStats(p.pid);
    if (stats !== undefined) components[p.name] = (components[p.name] ?? 0) + stats.cpuSeconds;
  }
  return { benchSeconds: (usage.user + usage.system) / 1e6, components };
}

export function cpuSince(before: CpuSample, after: CpuSample): WindowCpu {
  const components: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(after.components)) components[name] = round2(seconds - (before.components[name] ?? 0));
  return { benchSeconds: round2(after.benchSeconds - before.benchSeconds), components };
}
