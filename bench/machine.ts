/** What the numbers were measured on. */
import { cpus, loadavg, release, totalmem, availableParallelism, platform, arch } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  kernel: string;
  platform: string;
  /** 1/5/15-minute load averages when the run started (other work on the machine skews results). */
  loadAverageAtStart: [number, number, number];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function machineInfo(): MachineInfo {
  const [one, five, fifteen] = loadavg();
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: release(),
    platform: `${platform()}/${arch()}`,
    loadAverageAtStart: [round2(one ?? 0), round2(five ?? 0), round2(fifteen ?? 0)],
  };
}

export function currentLoad(): [number, number, number] {
  const [one, five, fifteen] = loadavg();
  return [round2(one ?? 0), round2(five ?? 0), round2(fifteen ?? 0)];
}
