import type { KubeConfig } from '@kubernetes/client-node';
import { apiGet } from '../../../src/local-cluster/api-get.js';
import { kubeConfig } from './kube-config.js';

/** One `apiserver_request_total` series. */
export interface RequestSample {
  verb: string;
  /** `resource` or `resource/subresource`; '' for non-resource paths. */
  resource: string;
  group: string;
  code: string;
  value: number;
}

export interface RequestCounts {
  total: number;
  /** e.g. { GET: 10, LIST: 3, WATCH: 5, POST: 2, APPLY: 1 } */
  byVerb: Record<string, number>;
  /** e.g. { pods: 12, 'deployments': 4, 'mcpservers.mcp.agent-hellboy.io': 2 } (group suffix for non-core). */
  byResource: Record<string, number>;
  /** e.g. { 'POST pods': 2, 'PATCH deployments/status': 1 } */
  byVerbResource: Record<string, number>;
  samples: RequestSample[];
}

/** Verbs that change state (APPLY is how the API server counts server-side apply). */
export const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'APPLY', 'DELETE', 'DELETECOLLECTION']);

/**
 * Reads the API server's request counter. Counts are cluster-wide (controller manager,
 * scheduler and KWOK traffic included), so compare before/after with diffRequestCounts and
 * filter by resource for what you are measuring.
 */
export async function apiServerRequestCounts(kc: KubeConfig = kubeConfig()): Promise<RequestCounts> {
  const res = await apiGet(kc, '/metrics', 10_000);
  if (res.status !== 200) throw new Error(`GET /metrics returned ${res.status}: ${res.body.slice(0, 300)}`);
  return parseRequestCounts(res.body);
}

/** Parses Prometheus text exposition; exported for unit tests and benchmarks. */
export function parseRequestCounts(text: string): RequestCounts {
  const samples: RequestSample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels = parseLabels(line.slice('apiserver_request_total{'.length, close));
    const value = Number(line.slice(close + 1).trim().split(/\s+/)[0]);
    if (!Number.isFinite(value)) continue;
    const sub = labels.subresource ?? '';
    const resource = (labels.resource ?? '') + (sub !== '' ? `/${sub}` : '');
    samples.push({ verb: labels.verb ?? '', resource, group: labels.group ?? '', code: labels.code ?? '', value });
  }
  return aggregate(samples);
}

function parseLabels(body: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /(\w+)="((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    if (m[1] !== undefined && m[2] !== undefined) labels[m[1]] = m[2].replace(/\\(.)/g, '$1');
  }
  return labels;
}

function resourceKey(s: RequestSample): string {
  return s.group !== '' && s.resource !== '' ? `${s.resource.replace(/^([^/]+)/, `$1.${s.group}`)}` : s.resource;
}

function aggregate(samples: RequestSample[]): RequestCounts {
  const counts: RequestCounts = { total: 0, byVerb: {}, byResource: {}, byVerbResource: {}, samples };
  const add = (map: Record<string, number>, key: string, n: number) => (map[key] = (map[key] ?? 0) + n);
  for (const s of samples) {
    counts.total += s.value;
    add(counts.byVerb, s.verb, s.value);
    add(counts.byResource, resourceKey(s), s.value);
    add(counts.byVerbResource, `${s.verb} ${resourceKey(s)}`, s.value);
  }
  return counts;
}

/**
 * after - before, per series; only series that changed are kept. Series are matched on
 * verb, group, resource and code, so a counter that appeared in between counts from zero.
 */
export function diffRequestCounts(before: RequestCounts, after: RequestCounts): RequestCounts {
  const key = (s: RequestSample) => `${s.verb}|${s.group}|${s.resource}|${s.code}`;
  // Series that differ only in labels we do not keep (dry_run, scope, component) share a key:
  // sum them, or one would shadow the other.
  const sums = (counts: RequestCounts) => {
    const m = new Map<string, RequestSample>();
    for (const s of counts.samples) {
      const seen = m.get(key(s));
      m.set(key(s), seen === undefined ? { ...s } : { ...seen, value: seen.value + s.value });
    }
    return m;
  };
  const old = sums(before);
  const changed: RequestSample[] = [];
  for (const [k, s] of sums(after)) {
    const delta = s.value - (old.get(k)?.value ?? 0);
    if (delta !== 0) changed.push({ ...s, value: delta });
  }
  return aggregate(changed);
}

/** Number of state-changing requests, optionally only for resources matching `resource`. */
export function countWrites(counts: RequestCounts, resource?: string | RegExp): number {
  return counts.samples
    .filter((s) => WRITE_VERBS.has(s.verb))
    .filter((s) => resource === undefined || (typeof resource === 'string' ? resourceKey(s) === resource : resource.test(resourceKey(s))))
    .reduce((sum, s) => sum + s.value, 0);
}
