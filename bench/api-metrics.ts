/**
 * Snapshots of the API server's request counters (/metrics). The counters are cluster-wide:
 * the operator, kube-controller-manager, the scheduler, KWOK and this benchmark all count. Two
 * views help attribute them:
 * - writes by verb and resource (`APPLY deployments.apps` is only ever the operator or the floor
 *   client; `PATCH mcpservers…/status` only the operator; pods, replicasets and the status subresources are
 *   the control plane's own controllers and KWOK);
 * - API Priority and Fairness' dispatched count per flow schema: the operator (and the floor
 *   client) authenticate as a ServiceAccount, which lands in flow schema `service-accounts`,
 *   while the control-plane components and this benchmark use an admin (system:masters)
 *   certificate, which is `exempt`. So `service-accounts` = the operator's requests, all verbs.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { apiGet } from '../src/local-cluster/index.js';
import { diffRequestCounts, parseRequestCounts, WRITE_VERBS, type RequestCounts } from '../test/integration/harness/index.js';

export interface ApiSnapshot {
  requests: RequestCounts;
  /** apiserver_flowcontrol_dispatched_requests_total by flow schema. */
  dispatched: Record<string, number>;
}

export interface ApiDelta {
  /** Write requests by `VERB resource` (group-qualified), largest first. */
  writesByVerbResource: Record<string, number>;
  writes: number;
  /** All requests (reads included) by flow schema; `service-accounts` is the operator. */
  requestsByFlowSchema: Record<string, number>;
}

/** Heartbeats of KWOK's simulated kubelets: not anybody's reaction to our objects. */
export const HEARTBEAT_RESOURCES = new Set(['leases', 'nodes/status']);

export async function apiSnapshot(kc: KubeConfig): Promise<ApiSnapshot> {
  const res = await apiGet(kc, '/metrics', 30_000);
  if (res.status !== 200) throw new Error(`GET /metrics returned ${res.status}: ${res.body.slice(0, 300)}`);
  const dispatched: Record<string, number> = {};
  for (const line of res.body.split('\n')) {
    if (!line.startsWith('apiserver_flowcontrol_dispatched_requests_total{')) continue;
    const schema = /flow_schema="([^"]*)"/.exec(line)?.[1] ?? '';
    const value = Number(line.slice(line.lastIndexOf('}') + 1).trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) dispatched[schema] = (dispatched[schema] ?? 0) + value;
  }
  return { requests: parseRequestCounts(res.body), dispatched };
}

export function apiDelta(before: ApiSnapshot, after: ApiSnapshot, options: { excludeHeartbeats?: boolean } = {}): ApiDelta {
  const diff = diffRequestCounts(before.requests, after.requests);
  const writesByVerbResource: Record<string, number> = {};
  let writes = 0;
  for (const s of diff.samples) {
    if (!WRITE_VERBS.has(s.verb)) continue;
    if (options.excludeHeartbeats === true && HEARTBEAT_RESOURCES.has(s.resource)) continue;
    const resource = s.group !== '' && s.resource !== '' ? s.resource.replace(/^([^/]+)/, `$1.${s.group}`) : s.resource;
    const key = `${s.verb} ${resource}`;
    writesByVerbResource[key] = (writesByVerbResource[key] ?? 0) + s.value;
    writes += s.value;
  }
  const requestsByFlowSchema: Record<string, number> = {};
  for (const [schema, value] of Object.entries(after.dispatched)) {
    const delta = value - (before.dispatched[schema] ?? 0);
    if (delta !== 0) requestsByFlowSchema[schema] = delta;
  }
  return { writesByVerbResource: sortDesc(writesByVerbResource), writes, requestsByFlowSchema: sortDesc(requestsByFlowSchema) };
}

/** Writes whose resource matches (e.g. the heartbeats that were excluded). */
export function writesMatching(before: ApiSnapshot, after: ApiSnapshot, resources: ReadonlySet<string>): number {
  return diffRequestCounts(before.requests, after.requests)
    .samples.filter((s) => WRITE_VERBS.has(s.verb) && resources.has(s.resource))
    .reduce((sum, s) => sum + s.value, 0);
}

function sortDesc(map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
