/**
 * The verification reconciler: for one server, an MCP handshake against every ready pod
 * (`http://<pod IP>:<spec.port><spec.containerPath>`), folded into a finding and published to
 * the MCPServer reconciler only when it differs from what status already says.
 *
 * It runs in a controller of its own (own queue, own concurrency), so a slow or hanging server
 * never delays other servers' reconciles. A pod's result is reused until it is due again
 * (interval ± 10 % jitter, so 1,000 servers do not verify in lockstep) or until the pod's IP or
 * the URL changes; a new ready pod is verified as soon as its event arrives. A failed handshake
 * is tried again sooner (failedRetryMs): a pod can be ready before it listens (no readiness
 * probe), and a fix should show without waiting out the interval. Like the other
 * reconciler, it knows nothing of watches or leadership.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { Counter, type Registry } from 'prom-client';
import { resolveServer } from '../../../charts-ts/server/index.js';
import { objectKey, type EventRecorder, type Informer, type ReconcileRequest, type ReconcileResult } from '../../runtime/index.js';
import { rfc3339 } from '../conditions.js';
import type { OperatorConfig } from '../config.js';
import { asMCPServer } from '../routes.js';
import type { MCPServerObject } from '../types.js';
import { aggregate, disabledFinding, toolChanges, type PodOutcome, type VerificationFinding } from './aggregate.js';
import type { VerifyOptions, VerifyOutcome } from './handshake.js';
import { fromStatus, sameFinding, type PublishedVerification, type VerificationResults } from './results.js';

/** Index of managed pods by the key of the server they run (`namespace/<app label>`). */
export const SERVER_PODS_INDEX = 'mcp-runtime/server';

export function serverOfPod(pod: V1Pod): string[] {
  const app = pod.metadata?.labels?.app;
  return app === undefined ? [] : [objectKey({ namespace: pod.metadata?.namespace, name: app })];
}

/** Ready, addressable and not going away: the pods a client may be routed to. */
export function servingPods(pods: readonly V1Pod[]): V1Pod[] {
  return pods.filter(
    (p) =>
      p.metadata?.deletionTimestamp === undefined &&
      (p.status?.podIP ?? '') !== '' &&
      p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
  );
}

export function podUrl(ip: string, port: number, path: string): string {
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}${path}`;
}

export interface VerifierDeps {
  readonly servers: Informer<MCPServerObject>;
  readonly pods: Informer<V1Pod>;
  readonly config: OperatorConfig;
  readonly results: VerificationResults;
  readonly recorder: EventRecorder;
  /** Called when a new finding is published: the MCPServer reconciler writes it to status. */
  readonly onPublished: (key: string) => void;
  /** Counts every handshake by reason (the status only changes when a result does). */
  readonly counter?: Counter<'reason'>;
  readonly verify?: (url: string, options: VerifyOptions) => Promise<VerifyOutcome>;
  readonly now?: () => Date;
  readonly random?: () => number;
}

interface PodResult {
  readonly url: string;
  readonly outcome: VerifyOutcome;
  readonly dueAt: number;
  /** Failed handshakes in a row at this URL (0 after a success). */
  readonly failures: number;
}

/** The first retry of a failed handshake; each further failure in a row doubles it. */
export const FAILED_RETRY_BASE_MS = 5_000;

/**
 * When a pod whose handshake failed `failures` times in a row (≥ 1) is tried again: 5 s, 10 s,
 * 20 s, … never later than the interval, so a broken server costs a few early handshakes and
 * then one per interval, as a working one does. Pure.
 */
export function failedRetryMs(intervalMs: number, failures: number): number {
  return Math.min(intervalMs, FAILED_RETRY_BASE_MS * 2 ** Math.min(Math.max(failures - 1, 0), 20));
}

/** Pods of one server verified at once (servers at once: the controller's concurrency). */
const PODS_AT_ONCE = 4;

export function verificationCounter(registry: Registry): Counter<'reason'> {
  return new Counter({
    name: 'mcp_runtime_verifications_total',
    help: 'MCP handshakes against server pods, by outcome reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
}

export function mcpServerVerifier(deps: VerifierDeps): (request: ReconcileRequest) => Promise<ReconcileResult | void> {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  // The MCP SDK client (~10 MB of RSS) is loaded when the first pod is verified, not at start-up:
  // an operator with verification off, or with no ready pod yet, never pays for it.
  const verify = deps.verify ?? (async (url: string, options: VerifyOptions) => (await import('./handshake.js')).verifyEndpoint(url, options));
  const timeoutMs = deps.config.verifyTimeoutSeconds * 1000;
  const podResults = new Map<string, Map<string, PodResult>>();

  const publish = (obj: MCPServerObject, key: string, finding: VerificationFinding) => {
    const previous: PublishedVerification | undefined = deps.results.get(key) ?? fromStatus(obj.status);
    if (sameFinding(previous, finding)) return;
    const published: PublishedVerification = {
      condition: finding.condition,
      ...(finding.mcp === undefined ? {} : { mcp: { ...finding.mcp, observedTime: rfc3339(now()) } }),
    };
    const before = previous?.condition.status;
    const after = finding.condition.status;
    if (after === 'True' && before !== 'True') void deps.recorder.record(obj, 'Normal', 'Verified', 'Verify', finding.condition.message);
    if (after === 'False' && before !== 'False') void deps.recorder.record(obj, 'Warning', 'VerificationFailed', 'Verify', finding.condition.message);
    const changes = toolChanges(previous?.mcp, finding.mcp);
    if (changes !== undefined) void deps.recorder.record(obj, 'Normal', 'ToolsChanged', 'Verify', changes);
    deps.results.set(key, published);
    deps.onPublished(key);
  };

  return async ({ key, logger, signal }) => {
    const obj = deps.servers.store.get(key);
    const server = obj === undefined || obj.metadata?.deletionTimestamp !== undefined ? undefined : asMCPServer(obj);
    if (obj === undefined || server === undefined) {
      podResults.delete(key);
      deps.results.delete(key);
      return;
    }
    if (server.spec.verification?.enabled === false) {
      podResults.delete(key);
      publish(obj, key, disabledFinding());
      return;
    }
    const resolved = resolveServer(server, deps.config.settings);
    const intervalMs = (server.spec.verification?.intervalSeconds ?? deps.config.verifyIntervalSeconds) * 1000;
    const pods = servingPods(deps.pods.store.byIndex(SERVER_PODS_INDEX, key));
    const previous = podResults.get(key) ?? new Map<string, PodResult>();
    const current = new Map<string, PodResult>();
    const startedAt = now().getTime();

    const due = pods.filter((p) => {
      const known = previous.get(p.metadata?.uid ?? '');
      return known === undefined || known.url !== podUrl(p.status!.podIP!, resolved.port, resolved.containerPath) || known.dueAt <= startedAt;
    });
    for (const pod of pods) {
      const known = previous.get(pod.metadata?.uid ?? '');
      if (known !== undefined && !due.includes(pod)) current.set(pod.metadata!.uid!, known);
    }
    for (let i = 0; i < due.length; i += PODS_AT_ONCE) {
      await Promise.all(
        due.slice(i, i + PODS_AT_ONCE).map(async (pod) => {
          const url = podUrl(pod.status!.podIP!, resolved.port, resolved.containerPath);
          const outcome = await verify(url, { timeoutMs, signal });
          deps.counter?.inc({ reason: outcome.reason });
          if (!outcome.reachable) logger.info({ pod: pod.metadata?.name, reason: outcome.reason }, outcome.message);
          const known = previous.get(pod.metadata!.uid!);
          const failures = outcome.reachable ? 0 : (known?.url === url ? known.failures : 0) + 1;
          const jitter = 0.9 + 0.2 * random();
          const waitMs = failures === 0 ? intervalMs : failedRetryMs(intervalMs, failures);
          current.set(pod.metadata!.uid!, { url, outcome, failures, dueAt: now().getTime() + waitMs * jitter });
        }),
      );
    }
    if (signal.aborted) return;
    podResults.set(key, current);

    const outcomes: PodOutcome[] = pods.map((pod) => ({
      pod: pod.metadata?.name ?? '',
      ...(pod.metadata?.creationTimestamp === undefined ? {} : { created: new Date(pod.metadata.creationTimestamp).toISOString() }),
      outcome: current.get(pod.metadata!.uid!)!.outcome,
    }));
    publish(obj, key, aggregate(outcomes));

    if (current.size === 0) return; // a pod becoming ready brings the next round
    const nextDue = Math.min(...[...current.values()].map((r) => r.dueAt));
    return { requeueAfter: Math.max(nextDue - now().getTime(), 1_000) };
  };
}
