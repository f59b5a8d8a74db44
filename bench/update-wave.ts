/**
 * Update wave: one field (the BENCH_WAVE env var, i.e. the pod template: a real rollout) is
 * changed on all N servers at once; timed until every server's status.observedGeneration equals
 * its new generation (the operator applied the change) and until it is Ready again (the
 * rollout finished).
 */
import { keyOf, MERGE_PATCH } from '../src/runtime/index.js';
import { apiDelta, apiSnapshot, type ApiDelta } from './api-metrics.js';
import { methodDelta, operatorRequestsByMethod } from './operator-process.js';
import { runPool, seconds } from './pool.js';
import { serverNames, serversPath, WAVE_ENV } from './servers.js';
import type { BurstPhaseOptions } from './converge.js';
import type { Obj } from './tracker.js';

export interface UpdateWaveResult {
  patchBurstSeconds: number;
  /** Every server's observedGeneration caught up (the operator re-applied its children). */
  observedSeconds: number;
  /** …and every server is Ready again (rollouts done). */
  updateWaveSeconds: number;
  delta: ApiDelta;
  operatorCpuSeconds: number;
  /** The operator's own count of its requests by method (rest_client_requests_total), if it exports one. */
  operatorRequestsByMethod?: Record<string, number>;
}

export type UpdateWaveOptions = BurstPhaseOptions;

export async function runUpdateWave(o: UpdateWaveOptions): Promise<UpdateWaveResult> {
  const baseline = new Map(o.tracker.servers.store.list().map((s) => [keyOf(s), s.metadata?.generation ?? 0]));
  const advanced = (s: Obj) => (s.metadata?.generation ?? 0) > (baseline.get(keyOf(s)) ?? Number.MAX_SAFE_INTEGER);
  const observed = (s: Obj) => advanced(s) && s.status?.observedGeneration === s.metadata?.generation;
  const progress = (what: string) => (count: number) => o.log(`  ${what}: ${count}/${o.n}`);

  const before = await apiSnapshot(o.admin);
  const cpuBefore = o.operator.stats()?.cpuSeconds ?? 0;
  const clientBefore = operatorRequestsByMethod(await o.operator.scrape().catch(() => ''));
  const t0 = performance.now();
  const observedWait = o.tracker.waitForCount(`${o.n} servers observed`, o.tracker.servers, o.n, observed, {
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    onProgress: progress('observedGeneration'),
  });
  const readyWait = o.tracker.waitForCount(`${o.n} servers Ready after the update`, o.tracker.servers, o.n, (s) => observed(s) && s.status?.phase === 'Ready', {
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    onProgress: progress('Ready again'),
  });
  for (const p of [observedWait, readyWait]) p.catch(() => {});

  await runPool(serverNames(o.n), o.createConcurrency, async (name) => {
    await o.burst.request('PATCH', serversPath(o.namespace, name), { spec: { envVars: [{ name: WAVE_ENV, value: '1' }] } }, MERGE_PATCH);
  }, o.signal);
  const tBurst = performance.now();
  o.log(`  patched ${o.n} MCPServers in ${seconds(tBurst - t0)} s`);
  const obs = await observedWait;
  o.log(`  every observedGeneration caught up after ${seconds(obs.at - t0)} s`);
  const ready = await readyWait;
  o.log(`  every server Ready again after ${seconds(ready.at - t0)} s`);
  const after = await apiSnapshot(o.admin);
  const byMethod = methodDelta(clientBefore, operatorRequestsByMethod(await o.operator.scrape().catch(() => '')));
  return {
    patchBurstSeconds: seconds(tBurst - t0),
    observedSeconds: seconds(obs.at - t0),
    updateWaveSeconds: seconds(ready.at - t0),
    delta: apiDelta(before, after),
    operatorCpuSeconds: Math.round(((o.operator.stats()?.cpuSeconds ?? 0) - cpuBefore) * 100) / 100,
    ...(byMethod === undefined ? {} : { operatorRequestsByMethod: byMethod }),
  };
}
