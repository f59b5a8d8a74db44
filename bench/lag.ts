/**
 * Operator lag: per server, from the moment its Deployment became ready (the rollout is
 * complete: `deploymentReadiness`, the rule the operator's own status uses) to the moment the
 * server showed status.phase Ready. Both moments are when the benchmark's informers saw the
 * event, so the watch delay, which both share, cancels out; what remains is the operator's
 * queueing, reconcile and status write, plus the API server's delivery of that write.
 */
import { deploymentReadiness } from '../src/runtime/index.js';
import { percentile } from './percentile.js';
import type { ClusterTracker, Obj } from './tracker.js';

export interface LagFigures {
  /** Servers with both moments seen. */
  servers: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LagSummary extends LagFigures {
  /** Servers shown Ready before the benchmark saw their Deployment ready (a watch ordering effect; counted as 0 ms). */
  readyFirst: number;
  /**
   * The same split by when the Deployment became ready: while the operator was still creating
   * other servers' children (the API server saturated by the burst), and after.
   */
  whileConverging?: LagFigures;
  afterConverged?: LagFigures;
}

function figures(lags: number[]): LagFigures {
  lags.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return { servers: lags.length, p50Ms: round(percentile(lags, 50)), p99Ms: round(percentile(lags, 99)), maxMs: round(lags.at(-1) ?? Number.NaN) };
}

/**
 * Lags of the servers that have both moments (pure; unit-tested); with `convergedAt`, also split
 * by whether the Deployment became ready before or after that moment.
 */
export function summarizeLag(deploymentReadyAt: ReadonlyMap<string, number>, serverReadyAt: ReadonlyMap<string, number>, convergedAt?: number): LagSummary {
  const all: number[] = [];
  const during: number[] = [];
  const after: number[] = [];
  let readyFirst = 0;
  for (const [name, ready] of serverReadyAt) {
    const available = deploymentReadyAt.get(name);
    if (available === undefined) continue;
    const lag = ready - available;
    if (lag < 0) readyFirst++;
    all.push(Math.max(0, lag));
    if (convergedAt !== undefined) (available < convergedAt ? during : after).push(Math.max(0, lag));
  }
  return {
    ...figures(all),
    readyFirst,
    ...(convergedAt === undefined ? {} : { whileConverging: figures(during), afterConverged: figures(after) }),
  };
}

/**
 * Records the first moment each Deployment is ready and each server Ready, from now until
 * stop(). Deployments and servers share their name (renderServer names children after the server).
 */
export class LagRecorder {
  private readonly deploymentReadyAt = new Map<string, number>();
  private readonly serverReadyAt = new Map<string, number>();
  private readonly offs: (() => void)[] = [];

  constructor(tracker: ClusterTracker) {
    const deployments = tracker.children.get('Deployment');
    if (deployments === undefined) throw new Error('the tracker does not watch Deployments');
    const first = (into: Map<string, number>, isReady: (o: Obj) => boolean) => (o: Obj) => {
      const name = o.metadata?.name;
      if (name !== undefined && !into.has(name) && isReady(o)) into.set(name, performance.now());
    };
    const onDeployment = first(this.deploymentReadyAt, (d) => deploymentReadiness(d).ready);
    const onServer = first(this.serverReadyAt, (s) => s.status?.phase === 'Ready');
    this.offs.push(deployments.addHandlers({ add: onDeployment, update: (_old, d) => onDeployment(d) }));
    this.offs.push(tracker.servers.addHandlers({ add: onServer, update: (_old, s) => onServer(s) }));
  }

  /** `convergedAt`: when every child existed (performance.now()), to split the figures there. */
  stop(convergedAt?: number): LagSummary {
    for (const off of this.offs.splice(0)) off();
    return summarizeLag(this.deploymentReadyAt, this.serverReadyAt, convergedAt);
  }
}
