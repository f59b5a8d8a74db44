/**
 * Converge: N MCPServers POSTed in one burst (bounded pool), then the time until every child
 * (Deployment, Service, Ingress, Middleware) exists and until every server is Ready.
 * Everything is timed from the first POST.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { apiDelta, apiSnapshot, type ApiDelta } from './api-metrics.js';
import type { KeepAliveClient } from './http.js';
import { cpuSample, cpuSince, type WindowCpu } from './phase-cpu.js';
import { LagRecorder, type LagSummary } from './lag.js';
import { methodDelta, operatorRequestsByMethod, type OperatorProcess } from './operator-process.js';
import { runPool, seconds } from './pool.js';
import { mcpServerManifest, serverNames, serversPath } from './servers.js';
import type { ClusterTracker } from './tracker.js';

export interface ConvergeResult {
  createBurstSeconds: number;
  /** Every child of every server exists. */
  convergeSeconds: number;
  /** Every server has status.phase Ready (pods scheduled and Ready through KWOK). */
  readySeconds: number;
  /** Per child kind: when the last one appeared. */
  childSeconds: Record<string, number>;
  /** Writes from the first POST until all children existed, and until all were Ready. */
  untilChildren: ApiDelta;
  untilReady: ApiDelta;
  operatorCpuSeconds: number;
  /** CPU from the first POST until every child existed: the benchmark and each control-plane process (absent in older files). */
  cpu?: WindowCpu;
  /** The operator's own count of its requests by method until Ready (rest_client_requests_total), if it exports one. */
  operatorRequestsByMethod?: Record<string, number>;
  /** Per server: its Deployment became ready → the server showed Ready. */
  lag: LagSummary;
}

/** What a timed burst phase (the create burst, the update wave) needs. */
export interface BurstPhaseOptions {
  /** The benchmark's own (admin) client for the burst of creates or patches. */
  burst: KeepAliveClient;
  admin: KubeConfig;
  namespace: string;
  n: number;
  createConcurrency: number;
  tracker: ClusterTracker;
  operator: OperatorProcess;
  timeoutMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Control-plane processes whose CPU in the window is reported. */
  cpuProcesses?: readonly { name: string; pid: number }[];
}

export type ConvergeOptions = BurstPhaseOptions;

export async function runConverge(o: ConvergeOptions): Promise<ConvergeResult> {
  const names = serverNames(o.n);
  const before = await apiSnapshot(o.admin);
  const operatorCpuBefore = o.operator.stats()?.cpuSeconds ?? 0;
  const clientBefore = operatorRequestsByMethod(await o.operator.scrape().catch(() => ''));
  const progress = (what: string) => (count: number) => o.log(`  ${what}: ${count}/${o.n}`);
  const waitOptions = (what: string) => ({ timeoutMs: o.timeoutMs, signal: o.signal, onProgress: progress(what) });

  const lag = new LagRecorder(o.tracker);
  const cpuBefore = cpuSample(o.cpuProcesses ?? []);
  const t0 = performance.now();
  const childWaits = [...o.tracker.children.entries()].map(([kind, informer]) =>
    o.tracker.waitForCount(`${o.n} ${informer.type.plural}`, informer, o.n, () => true, waitOptions(informer.type.plural)).then((r) => [kind, r.at] as const),
  );
  const readyWait = o.tracker.waitForCount(`${o.n} servers Ready`, o.tracker.servers, o.n, (s) => s.status?.phase === 'Ready', waitOptions('Ready'));
  // Rejections are handled where they are awaited; keep Node from reporting them early.
  for (const p of [...childWaits, readyWait]) p.catch(() => {});

  await runPool(names, o.createConcurrency, async (name) => {
    await o.burst.request('POST', serversPath(o.namespace), mcpServerManifest(o.namespace, name));
  }, o.signal);
  const tBurst = performance.now();
  o.log(`  created ${o.n} MCPServers in ${seconds(tBurst - t0)} s`);

  const childTimes = await Promise.all(childWaits);
  const tChildren = Math.max(...childTimes.map(([, at]) => at));
  const cpu = cpuSince(cpuBefore, cpuSample(o.cpuProcesses ?? []));
  const atChildren = await apiSnapshot(o.admin);
  o.log(`  every child exists after ${seconds(tChildren - t0)} s`);
  const ready = await readyWait;
  const lagSummary = lag.stop(tChildren);
  const atReady = await apiSnapshot(o.admin);
  const clientAfter = operatorRequestsByMethod(await o.operator.scrape().catch(() => ''));
  o.log(`  every server Ready after ${seconds(ready.at - t0)} s; operator lag (Deployment ready → server Ready) p50 ${lagSummary.p50Ms} ms, p99 ${lagSummary.p99Ms} ms over ${lagSummary.servers} servers` +
      (lagSummary.whileConverging && lagSummary.afterConverged
        ? ` (ready while others were still being created: ${lagSummary.whileConverging.servers}, p99 ${lagSummary.whileConverging.p99Ms} ms; after: ${lagSummary.afterConverged.servers}, p99 ${lagSummary.afterConverged.p99Ms} ms)`
        : ''));
  const byMethod = methodDelta(clientBefore, clientAfter);

  return {
    createBurstSeconds: seconds(tBurst - t0),
    convergeSeconds: seconds(tChildren - t0),
    readySeconds: seconds(ready.at - t0),
    childSeconds: Object.fromEntries(childTimes.map(([kind, at]) => [kind, seconds(at - t0)])),
    untilChildren: apiDelta(before, atChildren),
    untilReady: apiDelta(before, atReady),
    operatorCpuSeconds: Math.round(((o.operator.stats()?.cpuSeconds ?? 0) - operatorCpuBefore) * 100) / 100,
    cpu,
    ...(byMethod === undefined ? {} : { operatorRequestsByMethod: byMethod }),
    lag: lagSummary,
  };
}
