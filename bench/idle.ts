/**
 * Idle: write requests in a window of steady state after every server is Ready. The target is
 * zero.
 *
 * "Steady state" needs a definition on a real control plane: when the last server turns Ready,
 * kube-controller-manager is still draining its own backlog (its core/v1 Events are sent by a
 * rate-limited client and trail the work by a minute or more). So the window opens once a
 * `quietSeconds` interval passes without any write (other than heartbeats), or after
 * `maxSettleSeconds`, whichever comes first; the writes of that settling period are reported
 * too, attributed by resource. A periodic writer (e.g. an operator re-writing status every N
 * seconds) cannot hide in the settling period: it would write again inside the window.
 *
 * KWOK's simulated kubelets heartbeat (nodes/status, coordination leases) all the time; those
 * are excluded everywhere and counted separately. Every other write counts, whoever made it;
 * the service-accounts flow schema shows whether the operator sent any request at all.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { apiDelta, apiSnapshot, HEARTBEAT_RESOURCES, writesMatching, type ApiDelta, type ApiSnapshot } from './api-metrics.js';
import { methodDelta, operatorRequestsByMethod, writeRequests, type OperatorProcess } from './operator-process.js';
import { seconds, sleep } from './pool.js';

export interface IdleResult {
  idleSeconds: number;
  /** From Ready until the window opened. */
  settleSeconds: number;
  /** True when the window opened because maxSettleSeconds elapsed, not because it was quiet. */
  settleTimedOut: boolean;
  settle: ApiDelta;
  /** Writes in the window, heartbeats excluded. */
  idleWrites: number;
  /**
   * The operator's writes in the window: exact from its own rest_client_requests_total when it
   * exports one; otherwise writes to what only the operator writes (children applies, MCPServer
   * status, events.k8s.io Events).
   */
  idleOperatorWrites: number;
  idleOperatorWritesSource: 'operator client metrics' | 'API server counters by resource';
  /** The operator's own count of its requests by method in the window, if it exports one. */
  operatorRequestsByMethod?: Record<string, number>;
  excludedHeartbeatWrites: number;
  delta: ApiDelta;
  /** Requests of any verb by the operator (flow schema service-accounts) in the window. */
  operatorRequests: number;
  operatorCpuSeconds: number;
}

/** Writes only the operator makes (the floor client is not running during this phase). */
export const OPERATOR_WRITE = /^(APPLY|PATCH|PUT|POST|DELETE) (deployments\.apps|services|ingresses\.networking\.k8s\.io|middlewares\.traefik\.io|secrets|events\.events\.k8s\.io)$|^\w+ mcpservers\.mcp\.agent-hellboy\.io\/status$/;

export interface IdleOptions {
  admin: KubeConfig;
  operator: OperatorProcess;
  idleSeconds: number;
  quietSeconds?: number;
  maxSettleSeconds: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

/**
 * Waits until `quietSeconds` pass without a write other than heartbeats, or `maxSettleSeconds`
 * (then timedOut). Also used before each timed window, so that none starts in the tail of the
 * previous phase (an update wave's old pods still being deleted, trailing Events).
 */
export async function waitQuiet(admin: KubeConfig, quietSeconds: number, maxSettleSeconds: number, signal: AbortSignal): Promise<{ settleMs: number; timedOut: boolean; first: ApiSnapshot; last: ApiSnapshot }> {
  const t0 = performance.now();
  const first = await apiSnapshot(admin);
  let last: ApiSnapshot = first;
  for (;;) {
    await sleep(quietSeconds * 1000, signal);
    const now = await apiSnapshot(admin);
    const quiet = apiDelta(last, now, { excludeHeartbeats: true }).writes === 0;
    last = now;
    if (quiet) return { settleMs: performance.now() - t0, timedOut: false, first, last };
    if (performance.now() - t0 >= maxSettleSeconds * 1000) return { settleMs: performance.now() - t0, timedOut: true, first, last };
  }
}

export async function runIdle(o: IdleOptions): Promise<IdleResult> {
  const { settleMs, timedOut, first, last: previous } = await waitQuiet(o.admin, o.quietSeconds ?? 5, o.maxSettleSeconds, o.signal);
  const settle = apiDelta(first, previous, { excludeHeartbeats: true });
  o.log(`  settled after ${seconds(settleMs)} s${timedOut ? ' (gave up waiting for quiet)' : ''}: ${settle.writes} writes meanwhile ${JSON.stringify(settle.writesByVerbResource)}`);

  const cpuBefore = o.operator.stats()?.cpuSeconds ?? 0;
  const clientBefore = operatorRequestsByMethod(await o.operator.scrape().catch(() => ''));
  const before = previous;
  await sleep(o.idleSeconds * 1000, o.signal);
  const after = await apiSnapshot(o.admin);
  const byMethod = methodDelta(clientBefore, operatorRequestsByMethod(await o.operator.scrape().catch(() => '')));
  const delta = apiDelta(before, after, { excludeHeartbeats: true });
  const byResource = Object.entries(delta.writesByVerbResource).filter(([k]) => OPERATOR_WRITE.test(k)).reduce((sum, [, v]) => sum + v, 0);
  return {
    idleSeconds: o.idleSeconds,
    settleSeconds: seconds(settleMs),
    settleTimedOut: timedOut,
    settle,
    idleWrites: delta.writes,
    idleOperatorWrites: byMethod === undefined ? byResource : writeRequests(byMethod),
    idleOperatorWritesSource: byMethod === undefined ? 'API server counters by resource' : 'operator client metrics',
    ...(byMethod === undefined ? {} : { operatorRequestsByMethod: byMethod }),
    excludedHeartbeatWrites: writesMatching(before, after, HEARTBEAT_RESOURCES),
    delta,
    operatorRequests: delta.requestsByFlowSchema['service-accounts'] ?? 0,
    operatorCpuSeconds: Math.round(((o.operator.stats()?.cpuSeconds ?? 0) - cpuBefore) * 100) / 100,
  };
}
