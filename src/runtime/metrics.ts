/**
 * Prometheus metrics with controller-runtime's names, so dashboards and alerts written for Go
 * operators work unchanged. One registry per manager (never prom-client's global one), so
 * several managers — in tests, or two controllers in one process — do not collide.
 *
 * The building blocks (queue, informer, controller, leader elector) only see small hook
 * interfaces; this file adapts them to prom-client.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, exponentialBuckets, Gauge, Histogram, Registry } from 'prom-client';
import type { InformerMetrics, WatchRestartReason } from './informer.js';
import type { QueueMetrics } from './work-queue.js';

/** Outcome labels of controller_runtime_reconcile_total, as controller-runtime uses them. */
export type ReconcileResult = 'success' | 'error' | 'requeue' | 'requeue_after';

export interface ControllerMetrics {
  reconciled(result: ReconcileResult, seconds: number): void;
  activeWorkers(delta: number): void;
  maxConcurrentReconciles(n: number): void;
}

export interface LeaderMetrics {
  /** leader_election_master_status{name}: 1 while leading. */
  leading(isLeader: boolean): void;
}

// controller-runtime's reconcile_time_seconds buckets.
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5,
  3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
// client-go's workqueue buckets: 10 ns … 10 s.
const QUEUE_BUCKETS = exponentialBuckets(10e-9, 10, 10);

export interface RuntimeMetricsOptions {
  /** Also collect process/Node.js metrics (default true). */
  defaultMetrics?: boolean;
}

export class RuntimeMetrics {
  readonly registry = new Registry();

  private readonly reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  });
  /** Every API request the process made, as controller-runtime's client exports it. */
  private readonly restRequests = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code and method.',
    labelNames: ['code', 'method'] as const,
    registers: [this.registry],
  });
  private readonly reconcileErrors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  private readonly reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'] as const,
    buckets: RECONCILE_BUCKETS,
    registers: [this.registry],
  });
  private readonly activeWorkerGauge = new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  private readonly maxConcurrentGauge = new Gauge({
    name: 'controller_runtime_max_concurrent_reconciles',
    help: 'Maximum number of concurrent reconciles per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  private readonly queueDepth = new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  private readonly queueAdds = new Counter({
    name: 'workqueue_adds_total',
    help: 'Total number of adds handled by workqueue',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  private readonly queueRetries = new Counter({
    name: 'workqueue_retries_total',
    help: 'Total number of retries handled by workqueue',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  private readonly queueLatency = new Histogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'How long in seconds an item stays in workqueue before being requested',
    labelNames: ['name'] as const,
    buckets: QUEUE_BUCKETS,
    registers: [this.registry],
  });
  private readonly workDuration = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes',
    labelNames: ['name'] as const,
    buckets: QUEUE_BUCKETS,
    registers: [this.registry],
  });
  private readonly leaderStatus = new Gauge({
    name: 'leader_election_master_status',
    help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  private readonly watchRestarts = new Counter({
    name: 'informer_watch_restarts_total',
    help: 'Watches restarted per informer, by reason (closed: server timeout; gone: 410, relisted; watchdog: silent stream; error: backoff)',
    labelNames: ['informer', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly lists = new Counter({
    name: 'informer_lists_total',
    help: 'Full lists per informer (initial sync and relists after 410 Gone)',
    labelNames: ['informer'] as const,
    registers: [this.registry],
  });

  constructor(options: RuntimeMetricsOptions = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  queue(name: string): QueueMetrics {
    const labels = { name };
    // Export zeroes from the start, so rate() and absent() behave before the first add.
    this.queueDepth.set(labels, 0);
    this.queueAdds.inc(labels, 0);
    this.queueRetries.inc(labels, 0);
    return {
      added: () => this.queueAdds.inc(labels),
      depth: (n) => this.queueDepth.set(labels, n),
      queueLatency: (s) => this.queueLatency.observe(labels, s),
      workDuration: (s) => this.workDuration.observe(labels, s),
      retried: () => this.queueRetries.inc(labels),
    };
  }

  /** Counts one API request (wired into the manager's KubeClient). */
  restRequest(method: string, code: number): void {
    this.restRequests.inc({ method, code: String(code) });
  }

  /**
   * mcp_runtime_event_writes_pending: Event writes recorded but not yet sent (series counts
   * waiting for their rate limit, or in flight). 0 means every Event is on the API server.
   */
  eventWritesPending(read: () => number): void {
    if (this.registry.getSingleMetric('mcp_runtime_event_writes_pending') !== undefined) return;
    new Gauge({
      name: 'mcp_runtime_event_writes_pending',
      help: 'Event creations or series updates recorded but not yet written',
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /**
   * mcp_runtime_event_writes_dropped_total: Event writes given up because too many waited for
   * the write budget (the occurrence is written with a later one of the same event, if any).
   */
  eventWritesDropped(read: () => number): void {
    if (this.registry.getSingleMetric('mcp_runtime_event_writes_dropped_total') !== undefined) return;
    new Counter({
      name: 'mcp_runtime_event_writes_dropped_total',
      help: 'Event writes dropped because too many waited for the write budget',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  /**
   * informer_cache_objects{informer} and informer_cache_json_bytes{informer}: what each cache
   * holds, read at scrape time. The bytes are the cached objects' JSON length, a stable proxy
   * for their heap share (V8 keeps roughly 2-4 bytes of heap per byte of JSON for these objects)
   * that `bench` prints per informer. While the object counts stay the same, the byte count
   * may be up to 5 minutes old (see Manager.cacheSizes).
   */
  cacheSizes(read: () => readonly { informer: string; objects: number; jsonBytes: number }[]): void {
    if (this.registry.getSingleMetric('informer_cache_objects') !== undefined) return;
    let last: readonly { informer: string; objects: number; jsonBytes: number }[] = [];
    new Gauge({
      name: 'informer_cache_objects',
      help: 'Objects in each informer cache',
      labelNames: ['informer'] as const,
      registers: [this.registry],
      collect() {
        last = read();
        for (const c of last) this.set({ informer: c.informer }, c.objects);
      },
    });
    new Gauge({
      name: 'informer_cache_json_bytes',
      help: 'JSON length of the objects in each informer cache (as cached, after projections)',
      labelNames: ['informer'] as const,
      registers: [this.registry],
      collect() {
        // Same scrape as informer_cache_objects (registered first, collected first).
        for (const c of last) this.set({ informer: c.informer }, c.jsonBytes);
      },
    });
  }

  controller(name: string): ControllerMetrics {
    const labels = { controller: name };
    for (const result of ['success', 'error', 'requeue', 'requeue_after'] as const) this.reconcileTotal.inc({ ...labels, result }, 0);
    this.reconcileErrors.inc(labels, 0);
    this.activeWorkerGauge.set(labels, 0);
    return {
      reconciled: (result, seconds) => {
        this.reconcileTotal.inc({ ...labels, result });
        if (result === 'error') this.reconcileErrors.inc(labels);
        this.reconcileTime.observe(labels, seconds);
      },
      activeWorkers: (delta) => this.activeWorkerGauge.inc(labels, delta),
      maxConcurrentReconciles: (n) => this.maxConcurrentGauge.set(labels, n),
    };
  }

  informer(name: string): InformerMetrics {
    this.lists.inc({ informer: name }, 0);
    return {
      restarted: (reason: WatchRestartReason) => this.watchRestarts.inc({ informer: name, reason }),
      listed: () => this.lists.inc({ informer: name }),
    };
  }

  leader(name: string): LeaderMetrics {
    this.leaderStatus.set({ name }, 0);
    return { leading: (isLeader) => this.leaderStatus.set({ name }, isLeader ? 1 : 0) };
  }
}

/** Answers a scrape from `registry`: 500 with the error when a collector throws, never a hung request. */
export function respondWithMetrics(registry: Registry, res: ServerResponse): void {
  registry.metrics().then(
    (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
    (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(error)}\n`),
  );
}

/** Serves `GET /metrics` from one registry. */
export class MetricsServer {
  private readonly server: Server;

  constructor(private readonly registry: Registry) {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' || path !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      respondWithMetrics(this.registry, res);
    });
  }

  /** Listens on `port` (0: any free port) and resolves with the bound port. */
  listen(port: number, host?: string): Promise<number> {
    return listen(this.server, port, host);
  }

  close(): Promise<void> {
    return close(this.server);
  }
}

export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function close(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error !== undefined ? reject(error) : resolve()));
    // Keep-alive scrapers would hold close() open until they disconnect.
    server.closeAllConnections();
  });
}
