/**
 * Takes a heap snapshot of the running operator (started with `--heapsnapshot-signal=SIGUSR2`
 * and `--diagnostic-dir`) and summarizes it (heap-snapshot.ts). Taking one leaves native memory
 * in the process (see bench/README.md), so RSS read after the first snapshot is not the
 * operator's own: runs that take snapshots never write memory-scale.*.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperatorProcess } from './operator-process.js';
import { summarizeHeapSnapshot, type HeapSnapshotJson, type HeapSummary } from './heap-snapshot.js';
import { sleep } from './pool.js';

export const HEAP_SNAPSHOT_SIGNAL = 'SIGUSR2';

/** The operator's node flags for such a run: a snapshot on the signal, into `dir`. */
export function heapSnapshotFlags(dir: string): string[] {
  return [`--heapsnapshot-signal=${HEAP_SNAPSHOT_SIGNAL}`, `--diagnostic-dir=${dir}`];
}

const snapshotsIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));

export async function captureHeapSnapshot(op: OperatorProcess, dir: string, signal: AbortSignal, timeoutMs = 180_000): Promise<{ file: string; summary: HeapSummary }> {
  const before = new Set(snapshotsIn(dir));
  process.kill(op.pid, HEAP_SNAPSHOT_SIGNAL);
  const deadline = Date.now() + timeoutMs;
  let file: string | undefined;
  while (file === undefined) {
    if (Date.now() > deadline) throw new Error(`no heap snapshot appeared in ${dir} within ${timeoutMs / 1000} s of ${HEAP_SNAPSHOT_SIGNAL}`);
    await sleep(250, signal);
    file = snapshotsIn(dir).find((f) => !before.has(f));
  }
  // The snapshot is written on the operator's main thread: once it answers a request again, the
  // file is complete.
  await op.scrape();
  const path = join(dir, file);
  return { file: path, summary: summarizeHeapSnapshot(JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshotJson) };
}
