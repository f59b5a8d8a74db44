/**
 * The operator as a subprocess, exactly as the platform's Deployment runs it (the container's
 * entry OPERATOR_ENTRY, settings in the environment the chart writes), under the ServiceAccount
 * kubeconfig the benchmark wrote. Built JS (`node dist/src/operator/main.js`, needs `dist/`)
 * is preferred for realistic numbers; without `dist/` (or with --operator-from src) it runs the
 * same entry from the TypeScript sources through tsx, which costs start-up time and memory of
 * its own.
 */
import { appendFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OPERATOR_NODE_FLAGS } from '../charts-ts/server/settings.js';
import { startProcess, type ManagedProcess } from '../src/local-cluster/process.js';
import { PGID_FILE } from '../src/local-cluster/watchdog.js';
import { freePorts } from '../src/local-cluster/ports.js';
import { OPERATOR_RUNTIME_ENV } from '../src/operator/config.js';
import { sleep } from './pool.js';
import { descendants, procStats, type ProcStats } from './proc-stats.js';

export type OperatorSource = 'dist' | 'src';

// The node flags the platform's operator Deployment runs with (its container command).
export { OPERATOR_NODE_FLAGS };

export interface OperatorBuildInfo {
  source: OperatorSource;
  /** e.g. `KUBECONFIG=… node dist/src/operator/main.js` */
  command: string;
  /** For dist: when it was built and which sources are newer (a stale build measures old code). */
  distBuiltAt?: string;
  staleSources?: string[];
}

export interface OperatorProcess {
  readonly pid: number;
  readonly info: OperatorBuildInfo;
  readonly logFile: string;
  readonly metricsPort: number;
  readonly process: ManagedProcess;
  stats(): ProcStats | undefined;
  /** The node process's descendants (e.g. esbuild under tsx), not included in stats(). */
  helpers(): { pid: number; comm: string; rssMb: number }[];
  /** The operator's own Prometheus metrics. */
  scrape(): Promise<string>;
  /** SIGTERM (graceful: writes the CPU profile if enabled), SIGKILL after 20 s. */
  stop(): Promise<void>;
}

export interface StartOperatorOptions {
  repoRoot: string;
  kubeconfigPath: string;
  namespace: string;
  concurrency: number;
  logFile: string;
  from: 'auto' | OperatorSource;
  /** Write a V8 CPU profile (.cpuprofile) into this folder on exit. */
  cpuProfDir?: string;
  /** Node flags instead of the Deployment's (OPERATOR_NODE_FLAGS): for A/B runs. */
  nodeFlags?: readonly string[];
  /** The control plane's data dir: the operator's process group is added to its watchdog list. */
  controlPlaneDir?: string;
  timeoutMs?: number;
}

function newestMtime(dir: string, filter: (name: string) => boolean, out: { path: string; mtime: number }[] = []): { path: string; mtime: number }[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newestMtime(path, filter, out);
    else if (filter(entry.name)) out.push({ path, mtime: statSync(path).mtimeMs });
  }
  return out;
}

/** The container's entry (OPERATOR_ENTRY without the image's /app), built and as source. */
const DIST_ENTRY = 'dist/src/operator/main.js';
const SRC_ENTRY = 'src/operator/main.ts';

/** Which entry point to run and, for dist, whether it is older than the sources. */
export function operatorBuildInfo(repoRoot: string, from: 'auto' | OperatorSource): OperatorBuildInfo {
  const distEntry = join(repoRoot, DIST_ENTRY);
  const hasDist = existsSync(distEntry);
  if (from === 'dist' && !hasDist) throw new Error(`--operator-from dist: ${relative(repoRoot, distEntry)} does not exist (run npm run build)`);
  const source: OperatorSource = from === 'src' || !hasDist ? 'src' : 'dist';
  if (source === 'src') return { source, command: `node --import tsx ${SRC_ENTRY}` };
  const built = newestMtime(join(repoRoot, 'dist'), (n) => n.endsWith('.js'));
  const builtAt = Math.min(...built.map((f) => f.mtime));
  const sources = ['src', 'charts-ts', 'imports']
    .filter((d) => existsSync(join(repoRoot, d)))
    .flatMap((d) => newestMtime(join(repoRoot, d), (n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !n.endsWith('.test.ts')));
  const stale = sources.filter((f) => f.mtime > builtAt).map((f) => relative(repoRoot, f.path)).sort();
  return { source, command: `node ${DIST_ENTRY}`, distBuiltAt: new Date(builtAt).toISOString(), staleSources: stale };
}

export async function startOperatorProcess(options: StartOperatorOptions): Promise<OperatorProcess> {
  const info = operatorBuildInfo(options.repoRoot, options.from);
  const [metricsPort, healthPort] = (await freePorts(2)) as [number, number];
  const nodeArgs = [
    ...(info.source === 'src' ? ['--import', 'tsx'] : []),
    // The Deployment's node flags: measure the operator as it is shipped.
    ...(options.nodeFlags ?? OPERATOR_NODE_FLAGS),
    ...(options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`]),
  ];
  const e = OPERATOR_RUNTIME_ENV;
  // What the platform chart's env would say for this run (see operatorEnv in charts-ts/platform/operator.ts).
  const settings: Record<string, string> = {
    KUBECONFIG: options.kubeconfigPath,
    [e.ingressReadiness]: 'permissive',
    [e.leaderElect]: 'false',
    // KWOK pods serve nothing: verification would only dial addresses that do not exist.
    [e.verify]: 'false',
    [e.metricsAddress]: `127.0.0.1:${metricsPort}`,
    [e.healthAddress]: `127.0.0.1:${healthPort}`,
    [e.concurrency]: String(options.concurrency),
    [e.namespaces]: options.namespace,
  };
  const args = [...nodeArgs, info.source === 'src' ? SRC_ENTRY : DIST_ENTRY];
  info.command = `${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(' ')} node ${args.join(' ')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
  // NODE_OPTIONS inherited from a tsx wrapper would load tsx into the built operator too.
  if (env.NODE_OPTIONS?.includes('tsx') === true) delete env.NODE_OPTIONS;
  const child = startProcess('operator', process.execPath, args, { logFile: options.logFile, env, cwd: options.repoRoot });
  // Its own process group: if this benchmark dies without cleaning up, the control plane's
  // watchdog kills the operator along with the cluster.
  if (options.controlPlaneDir !== undefined && child.pid > 0) appendFileSync(join(options.controlPlaneDir, PGID_FILE), `${child.pid}\n`);

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitInfo !== null) throw new Error(`operator exited during start-up (${JSON.stringify(child.exitInfo)}):\n${child.logTail()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`operator not ready (GET /readyz) within ${options.timeoutMs ?? 60_000} ms:\n${child.logTail()}`);
    }
    await sleep(100);
  }

  return {
    pid: child.pid,
    info,
    logFile: options.logFile,
    metricsPort,
    process: child,
    stats: () => procStats(child.pid),
    helpers: () => descendants(child.pid).map((d) => ({ ...d, rssMb: procStats(d.pid)?.rssMb ?? 0 })),
    async scrape() {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(30_000) });
      return res.text();
    },
    stop: () => child.stop(20_000),
  };
}

/**
 * The operator's own client-side request counter (rest_client_requests_total{code,method}),
 * summed over codes, by method; undefined when this build of the operator does not export it.
 */
export function operatorRequestsByMethod(text: string): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith('rest_client_requests_total{')) continue;
    found = true;
    const method = /method="([^"]*)"/.exec(line)?.[1] ?? '';
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) out[method] = (out[method] ?? 0) + value;
  }
  return found ? out : undefined;
}

/** after - before per method (methods that did not change are left out). */
export function methodDelta(before: Record<string, number> | undefined, after: Record<string, number> | undefined): Record<string, number> | undefined {
  if (before === undefined || after === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const [method, value] of Object.entries(after)) {
    const delta = value - (before[method] ?? 0);
    if (delta !== 0) out[method] = delta;
  }
  return out;
}

/** Requests that change state, from a by-method count. */
export const writeRequests = (byMethod: Record<string, number>): number =>
  Object.entries(byMethod).filter(([m]) => m !== 'GET' && m !== 'WATCH' && m !== 'HEAD').reduce((sum, [, v]) => sum + v, 0);

/** Sums of the operator's own counters we report (reconciles by result, renders, queue adds, relists, Event writes dropped). */
export function operatorCounters(text: string): Record<string, number> {
  const wanted = ['controller_runtime_reconcile_total', 'controller_runtime_reconcile_errors_total', 'workqueue_adds_total', 'workqueue_retries_total', 'informer_lists_total', 'informer_watch_restarts_total', 'rest_client_requests_total', 'mcp_runtime_server_renders_total', 'mcp_runtime_event_writes_dropped_total'];
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const name = /^([a-zA-Z_:][\w:]*)/.exec(line)?.[1];
    if (name === undefined || !wanted.includes(name)) continue;
    const labels = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const label = /(result|method)="([^"]*)"/.exec(labels);
    const key = label === null ? name : `${name}{${label[1]}="${label[2]}"}`;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

export interface OperatorMemory {
  /** Per informer: cached objects and their JSON length (informer_cache_*), as cached. */
  caches: { informer: string; objects: number; jsonKb: number }[];
  /** V8 heap used and total, and memory outside the heap (nodejs_heap_*, nodejs_external_memory_bytes), MB. */
  heapUsedMb: number | null;
  heapTotalMb: number | null;
  externalMb: number | null;
}

/** Where the operator's memory is, from its own metrics. */
export function operatorMemory(text: string): OperatorMemory {
  const caches = new Map<string, { informer: string; objects: number; jsonKb: number }>();
  const single: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(informer_cache_objects|informer_cache_json_bytes)\{informer="([^"]*)"\} (\S+)/.exec(line);
    if (m !== null) {
      const entry = caches.get(m[2]!) ?? { informer: m[2]!, objects: 0, jsonKb: 0 };
      if (m[1] === 'informer_cache_objects') entry.objects = Number(m[3]);
      else entry.jsonKb = Math.round(Number(m[3]) / 1024);
      caches.set(m[2]!, entry);
      continue;
    }
    const s = /^(nodejs_heap_size_used_bytes|nodejs_heap_size_total_bytes|nodejs_external_memory_bytes) (\S+)/.exec(line);
    if (s !== null) single[s[1]!] = Number(s[2]);
  }
  const mb = (v: number | undefined) => (v === undefined ? null : Math.round((v / 2 ** 20) * 10) / 10);
  return {
    caches: [...caches.values()],
    heapUsedMb: mb(single.nodejs_heap_size_used_bytes),
    heapTotalMb: mb(single.nodejs_heap_size_total_bytes),
    externalMb: mb(single.nodejs_external_memory_bytes),
  };
}
