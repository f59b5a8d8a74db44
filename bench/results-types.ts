/** The shape of bench/results/latest.json. The top-level keys listed first are read by scripts. */
import type { ApiDelta } from './api-metrics.js';
import type { FloorResult } from './floor.js';
import type { CpuBreakdown, WindowCpu } from './phase-cpu.js';
import type { CliTiming } from './cli-timing.js';
import type { MachineInfo } from './machine.js';
import type { OperatorBuildInfo, OperatorMemory } from './operator-process.js';
import type { LagSummary } from './lag.js';
import type { GitState } from './provenance.js';
import type { TimedRuns } from './synth.js';
import type { UserFacingFigures } from './user-facing.js';

export interface TargetCheck {
  name: string;
  /** e.g. "≤ 1.3× floor" */
  target: string;
  value: number | null;
  unit: string;
  met: boolean | null;
  note?: string;
}

/**
 * Bumped when a field changes meaning or shape, so `--compare` can tell formats apart. Files
 * without the field are version 1 (before the command line, commit and end time were recorded).
 */
export const RESULTS_SCHEMA_VERSION = 2;

export interface BenchResults {
  schemaVersion: number;
  n: number;
  convergeSeconds: number | null;
  readySeconds: number | null;
  floorSeconds: number | null;
  ratio: number | null;
  idleWrites: number | null;
  updateWaveSeconds: number | null;
  peakRssMb: number | null;
  synthSeconds: number | null;
  generate1000Seconds: number | null;
  helpSeconds: number | null;
  machine: MachineInfo;
  /** When the run started (ISO 8601, UTC). */
  date: string;
  /** When it ended. */
  endedAt: string;

  smoke: boolean;
  /** The `npm run bench` form of the command line. */
  command: string;
  /** The arguments after bench/run.ts, exactly as given. */
  argv: string[];
  /** The code measured: commit read at the start of the run. */
  git: GitState;
  concurrency: number;
  createConcurrency: number;
  idleWindowSeconds: number;
  durationSeconds: number;
  loadAverageAtEnd: [number, number, number];
  errors: string[];
  targets: TargetCheck[];

  cluster?: { kubernetesVersion: string; nodes: number; startupMs: number };
  operator?: OperatorBuildInfo & {
    concurrency: number;
    rssAfterReadyMb: number | null;
    rssAfterIdleMb: number | null;
    rssAtEndMb: number | null;
    /** Heap and per-informer cache sizes from the operator's metrics after every server was Ready. */
    memoryAfterReady?: OperatorMemory;
    cpuSeconds: { converge: number | null; idle: number | null; updateWave: number | null; total: number | null };
    counters: Record<string, number>;
    helpers: { pid: number; comm: string; rssMb: number }[];
    logFile: string;
    cpuProfile?: string;
  };
  converge?: {
    createBurstSeconds: number;
    /** CPU from the first POST until every child existed, by process (absent before 2026-11-27T23Z). */
    cpu?: WindowCpu;
    childSeconds: Record<string, number>;
    untilChildren: ApiDelta;
    untilReady: ApiDelta;
    /** Requests of any verb by the operator (flow schema service-accounts) per server. */
    operatorRequestsPerServerUntilChildren: number;
    operatorRequestsPerServerUntilReady: number;
    operatorWritesPerServerUntilReady: number;
    /** From the operator's own rest_client_requests_total, when this build exports it. */
    operatorRequestsByMethod?: Record<string, number>;
    /** Operator lag: a server's Deployment became ready → the server showed Ready (absent in older files). */
    lag?: LagSummary;
  };
  /** Writes in the idle window to what only the operator writes (0 = the operator was silent). */
  idleOperatorWrites?: number | null;
  idle?: {
    settleSeconds: number;
    settleTimedOut: boolean;
    settleWritesByVerbResource: Record<string, number>;
    excludedHeartbeatWrites: number;
    operatorRequests: number;
    writesByVerbResource: Record<string, number>;
    idleOperatorWritesSource: string;
    operatorRequestsByMethod?: Record<string, number>;
  };
  /** What the informer caches hold per kind at 1×N (JSON bytes; managedFields share). */
  cacheFootprint?: Record<string, { objects: number; meanJsonBytes: number; meanManagedFieldsBytes: number }>;
  updateWave?: { patchBurstSeconds: number; observedSeconds: number; delta: ApiDelta; operatorRequestsPerServer: number; operatorRequestsByMethod?: Record<string, number> };
  /** Floor runs: keep-alive right before converge and right after it (floorSeconds is their mean), then the KubeClient variant at the end. */
  floor?: (FloorResult & { when: 'before' | 'after' })[];
  floorKubeClientSeconds?: number | null;
  /**
   * Load-independent companion of `ratio`: the operator's requests (all verbs, until every child
   * existed) per request of the floor (its applies). On a CPU-bound API server, wall time follows
   * work, so this is roughly the ratio a quiet machine would show.
   */
  requestRatio?: number | null;
  /** Converge's CPU against the keep-alive floors', by process, and the ratio without the operator's own CPU (derived; absent before 2026-11-28T09Z). */
  cpuBreakdown?: CpuBreakdown;
  synth?: TimedRuns & { files: number; objects: number };
  generate?: { servers: number; inProcess: TimedRuns; cli?: CliTiming; measuredBy: 'cli' | 'in-process' };
  help?: CliTiming & { hasManifest: boolean; manifestBuiltAt?: string };
  /** Deploy → first call and the route's latency, from the last real-node gateway run (see userFacing.source). */
  userFacing?: UserFacingFigures;
}
