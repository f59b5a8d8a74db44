/**
 * What users feel — deploy → first tool call, and one call's latency through the route against
 * the pod directly — is measured on the real node by `npm run bench:gateway` (bench/gateway.ts),
 * not on this benchmark's KWOK cluster, where no pod serves anything. This reads that run's
 * results file so bench/results/latest.* carries every figure, with the date and command of the
 * run they come from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface UserFacingFigures {
  /** Where the figures come from (repository-relative) and that run's start and command. */
  source: string;
  date: string;
  command: string;
  loadAtStart: number[] | null;
  /** The median of the servers deployed one after another (a single one in runs before 2026-11-28). */
  deployToFirstCallSeconds: number | null;
  /** The slowest of them (null in runs before 2026-11-28). */
  deployToFirstCallMaxSeconds: number | null;
  /** How many servers were deployed for it (null before 2026-11-28: one). */
  deployToFirstCallServers: number | null;
  /** One session: one tool call through Traefik and the gateway, and to the pod directly. */
  routeP50Ms: number | null;
  routeP99Ms: number | null;
  podP50Ms: number | null;
  podP99Ms: number | null;
  routeP50Ratio: number | null;
  routeP99Ratio: number | null;
}

export const GATEWAY_RESULTS = join('bench', 'results', 'gateway-latest.json');

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The figures of the last gateway benchmark, or undefined when there is none (or it is unreadable). */
export function userFacingFigures(repoRoot: string): UserFacingFigures | undefined {
  const path = join(repoRoot, GATEWAY_RESULTS);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  const r = obj(raw);
  if (r.kind !== 'gateway' || r.smoke === true) return undefined;
  const c1 = obj(obj(r.latency).c1);
  const ratios = obj(obj(r.ratios).c1);
  const load = obj(r.load).start;
  return {
    source: GATEWAY_RESULTS,
    date: String(r.date ?? ''),
    command: String(r.command ?? ''),
    loadAtStart: Array.isArray(load) ? load.filter((x): x is number => typeof x === 'number') : null,
    deployToFirstCallSeconds: num(r.deployToFirstCallSeconds),
    deployToFirstCallMaxSeconds: num(r.deployToFirstCallMaxSeconds),
    deployToFirstCallServers: Array.isArray(r.deployToFirstCallSamples) ? r.deployToFirstCallSamples.length : null,
    routeP50Ms: num(obj(c1.gateway).p50Ms),
    routeP99Ms: num(obj(c1.gateway).p99Ms),
    podP50Ms: num(obj(c1.pod).p50Ms),
    podP99Ms: num(obj(c1.pod).p99Ms),
    routeP50Ratio: num(ratios.routeP50Ratio),
    routeP99Ratio: num(ratios.routeP99Ratio),
  };
}
