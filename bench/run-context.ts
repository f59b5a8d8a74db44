/** What every phase of a benchmark run shares: options, the results being filled in, logging. */
import type { BenchOptions } from './options.js';
import { seconds } from './pool.js';
import type { BenchResults } from './results-types.js';

const startedAt = performance.now();

/** One progress line on stdout, prefixed with the time since the run started. */
export const log = (line: string): void => {
  console.log(`[bench ${seconds(performance.now() - startedAt).toFixed(1).padStart(7)} s] ${line}`);
};

export const elapsedSeconds = (): number => seconds(performance.now() - startedAt);

export const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const round2 = (v: number): number => Math.round(v * 100) / 100;

export interface Run {
  o: BenchOptions;
  r: BenchResults;
  repoRoot: string;
  /** bench/results/tmp/<run>/: operator log, kubeconfig, CPU profiles (git-ignored). */
  workDir: string;
  abort: AbortController;
  /** Runs a phase; a failure is recorded and the run goes on with what does not depend on it. */
  phase<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
}
