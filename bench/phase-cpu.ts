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

/** The operator's name among a window's processes (cluster-phases.ts samples it under this name in converge). */
export const OPERATOR_PROCESS = 'operator';

const windowTotal = (cpu: WindowCpu): number => cpu.benchSeconds + Object.values(cpu.components).reduce((a, b) => a + b, 0);

/** Where converge's time went against the floor's, in CPU (see `cpuBreakdown`). */
export interface CpuBreakdown {
  /** CPU of every process in the converge window. */
  convergeCpuSeconds: number;
  /** The mean over the floor windows. */
  floorCpuSeconds: number;
  /** convergeCpuSeconds / floorCpuSeconds. While both windows keep the machine busy, the time ratio follows it. */
  cpuRatio: number;
  /** Share of the machine's cores each window used (1 = every core busy throughout). */
  convergeUtilization: number;
  floorUtilization: number;
  /** Converge's CPU minus the floors' mean, by process (`bench`: the benchmark; the operator has no floor share). */
  extraByProcess: Record<string, number>;
  /**
   * The ratio had the operator's own CPU cost nothing, everything else alike: ratio × (converge CPU −
   * operator CPU) / converge CPU. An upper estimate: a shorter window would also hold less of the
   * controller manager's and scheduler's steady work.
   */
  ratioWithoutOperatorCpu: number;
}

/**
 * On 2 cores a window's wall time is its processes' CPU shared out: this says how much of converge's
 * extra time is the operator's own CPU and how much is work the floor's window does not hold
 * (the MCPServer creates, more controller-manager and scheduler work in a longer window).
 * Undefined without a converge window, a floor window or a ratio.
 */
export function cpuBreakdown(o: {
  ratio: number | null;
  convergeSeconds: number | null;
  converge: WindowCpu | undefined;
  floors: readonly { floorSeconds: number; cpu?: WindowCpu }[];
  cores: number;
}): CpuBreakdown | undefined {
  const floors = o.floors.filter((f): f is { floorSeconds: number; cpu: WindowCpu } => f.cpu !== undefined);
  if (o.converge === undefined || floors.length === 0 || o.ratio === null || o.convergeSeconds === null || o.convergeSeconds <= 0) return undefined;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const convergeCpu = windowTotal(o.converge);
  const floorCpu = mean(floors.map((f) => windowTotal(f.cpu)));
  if (convergeCpu <= 0 || floorCpu <= 0) return undefined;
  const byProcess = (cpu: WindowCpu): Record<string, number> => ({ bench: cpu.benchSeconds, ...cpu.components });
  const names = new Set([...Object.keys(byProcess(o.converge)), ...floors.flatMap((f) => Object.keys(byProcess(f.cpu)))]);
  const extraByProcess: Record<string, number> = {};
  for (const name of names) {
    extraByProcess[name] = round2((byProcess(o.converge)[name] ?? 0) - mean(floors.map((f) => byProcess(f.cpu)[name] ?? 0)));
  }
  const operator = o.converge.components[OPERATOR_PROCESS] ?? 0;
  return {
    convergeCpuSeconds: round2(convergeCpu),
    floorCpuSeconds: round2(floorCpu),
    cpuRatio: round2(convergeCpu / floorCpu),
    convergeUtilization: round2(convergeCpu / (o.convergeSeconds * o.cores)),
    floorUtilization: round2(mean(floors.map((f) => windowTotal(f.cpu) / (f.floorSeconds * o.cores)))),
    extraByProcess,
    ratioWithoutOperatorCpu: round2((o.ratio * (convergeCpu - operator)) / convergeCpu),
  };
}
