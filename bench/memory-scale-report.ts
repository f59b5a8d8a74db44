/**
 * The pure half of `npm run bench:memory` (see memory-scale.ts): its options, the growth per
 * server and the report.
 */
import { parseArgs } from 'node:util';
import type { MachineInfo } from './machine.js';
import type { OperatorMemory } from './operator-process.js';
import { describeGit, type GitState } from './provenance.js';

export const MEMORY_USAGE = `Usage: npm run bench:memory -- [flags]

  --steps <list>          server counts to measure at, ascending (default 100,1000,5000)
  --concurrency <c>       operator concurrency (default 4)
  --quiet-seconds <s>     how long the operator must send nothing before a sample (default 5)
  --timeout-minutes <m>   give up on a step after this long (default 30)
  --heap-snapshots        also take a V8 heap snapshot with no server and after each step and summarize
                          them by node type and constructor (heap-snapshots.{md,json}); a snapshot leaves
                          native memory behind, so such a run does not write memory-scale.*
  --output <dir>          results folder (default bench/results)
  --help
`;

export interface MemoryStep {
  servers: number;
  /** VmRSS and VmHWM of the operator process, MiB. */
  rssMb: number;
  peakRssMb: number;
  memory: OperatorMemory;
  /** From the first create of this step until every server's status was current. */
  convergeSeconds: number;
  /** RSS growth per server added since the previous step, KiB (null for the first step). */
  kbPerServer: number | null;
  /** False when the operator never went `quietSeconds` without a request (the sample was taken after the limit anyway). Absent in older results. */
  quiet?: boolean;
}

export interface MemoryScaleResults {
  kind: 'memory-scale';
  command: string;
  git: GitState;
  machine: MachineInfo;
  date: string;
  endedAt: string;
  loadAverageAtEnd: [number, number, number];
  operatorCommand: string;
  /** RSS before the first server (caches empty, every module loaded). */
  baselineRssMb: number | null;
  steps: MemoryStep[];
}

export interface MemoryOptions {
  steps: number[];
  concurrency: number;
  quietSeconds: number;
  timeoutMinutes: number;
  output: string | undefined;
  heapSnapshots: boolean;
}

export function parseMemoryOptions(argv: readonly string[]): MemoryOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      steps: { type: 'string' },
      concurrency: { type: 'string' },
      'quiet-seconds': { type: 'string' },
      'timeout-minutes': { type: 'string' },
      output: { type: 'string' },
      'heap-snapshots': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) return 'help';
  const positive = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${raw}`);
    return n;
  };
  const steps = (values.steps ?? '100,1000,5000').split(',').map((s) => positive('steps', s.trim(), 0));
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1]!)) throw new Error(`--steps must be ascending, got ${values.steps}`);
  return {
    steps,
    concurrency: positive('concurrency', values.concurrency, 4),
    quietSeconds: positive('quiet-seconds', values['quiet-seconds'], 5),
    timeoutMinutes: positive('timeout-minutes', values['timeout-minutes'], 30),
    output: values.output,
    heapSnapshots: values['heap-snapshots'] === true,
  };
}

/** RSS growth per added server between consecutive steps, KiB (pure). */
export function growthPerServer(steps: readonly { servers: number; rssMb: number }[]): (number | null)[] {
  return steps.map((s, i) => {
    const before = steps[i - 1];
    if (before === undefined) return null;
    return Math.round(((s.rssMb - before.rssMb) * 1024 * 10) / (s.servers - before.servers)) / 10;
  });
}

export function memoryMarkdown(r: MemoryScaleResults): string {
  const rows = r.steps.map((s) => `| ${s.servers} | ${s.rssMb} | ${s.peakRssMb} | ${s.memory.heapUsedMb ?? '—'} / ${s.memory.heapTotalMb ?? '—'} | ${Math.round(s.memory.caches.reduce((a, c) => a + c.jsonKb, 0) / 102.4) / 10} | ${s.kbPerServer ?? '—'} | ${s.convergeSeconds}${s.quiet === false ? ' (not quiet)' : ''} |`);
  return [
    '# Operator memory by number of servers',
    '',
    `\`${r.command}\` · commit ${describeGit(r.git)} · ${r.date} → ${r.endedAt}`,
    '',
    `Machine: ${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, node ${r.machine.node}; load at start ${r.machine.loadAverageAtStart.join(' / ')}, at end ${r.loadAverageAtEnd.join(' / ')}.`,
    '',
    `Operator: \`${r.operatorCommand}\`. RSS with no server (every module loaded, caches empty): ${r.baselineRssMb ?? '—'} MiB.`,
    '',
    '| servers | RSS MiB | peak RSS MiB | V8 heap used / total MiB | cached JSON MiB | RSS per added server KiB | step converged in s |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Each sample is taken once every server so far has its status written and the operator has sent no request for a few seconds ' +
      '(or, marked "not quiet", after 120 s of waiting for such a pause: the operator was still writing owed Events at its budget\'s pace). ' +
      'The servers run no pods (replicas 0): the operator caches the same kinds of objects either way. RSS per added server is the RSS growth since the previous step divided by the servers added.',
    '',
  ].join('\n');
}

