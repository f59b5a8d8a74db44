/**
 * The manager runs everything an operator process needs, in controller-runtime's order:
 *
 * start: metrics server → health server → leader election → (only while leading) informers →
 *        controllers (each waits for its caches to sync before taking work);
 * stop (SIGTERM/SIGINT or stop()): controllers stop taking keys and in-flight reconciles get
 *        `gracefulShutdownTimeoutMs` to finish → informers stop → the Lease is released (a
 *        standby takes over at once) → servers close.
 *
 * Losing leadership (renewal failed past the deadline) also stops everything, and `wait()`
 * rejects with LeaderElectionLostError: the process should exit non-zero and be restarted as
 * a standby, which is safer than trying to resume while another replica may be leading.
 *
 * Informers are shared: asking twice for the same kind, namespaces and selectors returns the
 * same informer, so one watch feeds every controller that reads that kind.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubernetesObject } from '@kubernetes/client-node';
import { Controller, type ControllerOptions } from './controller.js';
import { EventRecorder } from './events.js';
import { HealthServer } from './health.js';
import { Informer, stripManagedFields, type InformerNamespaces } from './informer.js';
import { StringInterner } from './intern.js';
import { KubeClient, type KubeConnection } from './kube-http.js';
import { coordinationLeaseClient, LeaderElector } from './leader-election.js';
import { createLogger, type Logger } from './logger.js';
import { MetricsServer, RuntimeMetrics } from './metrics.js';
import type { ResourceType } from './resources.js';
import type { IndexFunc } from './store.js';

/** How long a measurement of the caches' JSON size is reported before it is taken again. */
const CACHE_BYTES_TTL_MS = 5 * 60_000;

export class LeaderElectionLostError extends Error {
  constructor(identity: string) {
    super(`leader election lost (identity ${identity}); stopping`);
    this.name = 'LeaderElectionLostError';
  }
}

export interface LeaderElectionConfig {
  /** Namespace of the Lease (the operator's own, e.g. mcp-runtime). */
  namespace: string;
  /** Lease name, e.g. mcp-runtime-operator. */
  name: string;
  /** Default `<hostname>_<uuid>`. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ManagerOptions {
  /** client-node's KubeConfig or src/kube/light-config.ts's (no generated API loaded). */
  kubeConfig: KubeConnection;
  /** Port for GET /metrics (default 8080; false: no metrics server; 0: any free port). */
  metricsPort?: number | false;
  /** Port for /healthz and /readyz (default 8081; false: none; 0: any free port). */
  healthPort?: number | false;
  /** Address the servers bind to (default all interfaces). */
  bindAddress?: string;
  /** Leader election (default off: tests and single-replica setups). */
  leaderElection?: LeaderElectionConfig | false;
  /** How long stop() waits for in-flight reconciles (default 30 s). */
  gracefulShutdownTimeoutMs?: number;
  /** Stop on SIGTERM/SIGINT (default true; a second signal exits at once). */
  handleSignals?: boolean;
  logger?: Logger;
  /** Default: a fresh registry with process metrics. */
  metrics?: RuntimeMetrics;
}

export interface SharedInformerOptions<T extends KubernetesObject> {
  namespaces?: InformerNamespaces;
  labelSelector?: string;
  fieldSelector?: string;
  indexers?: Record<string, IndexFunc<T>>;
  freeze?: boolean;
  watchdogMs?: number;
  /**
   * Keep metadata.managedFields in cached objects (default false: stripped, as with
   * controller-runtime's TransformStripManagedFields; it is a large share of the cache).
   */
  keepManagedFields?: boolean;
  /**
   * What the cache keeps of each object instead (e.g. ownedFieldsProjection): it sees the
   * object with its managedFields, and informers share only when the name is the same.
   */
  projection?: { name: string; transform: (obj: T) => T };
}

export type ManagedControllerOptions<T extends KubernetesObject> = Omit<ControllerOptions<T>, 'logger' | 'metrics'>;

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

export class Manager {
  readonly client: KubeClient;
  readonly metrics: RuntimeMetrics;
  readonly logger: Logger;
  readonly health = new HealthServer();

  private readonly options: ManagerOptions;
  private readonly informers = new Map<string, Informer<KubernetesObject>>();
  private measuredBytes: { at: number; objects: number; bytes: Map<string, number> } | undefined;
  /** One table for every cache: children repeat their server's namespace, labels and image. */
  private readonly interner = new StringInterner();
  private readonly controllers: Controller<KubernetesObject>[] = [];
  private readonly controllerRuns: Promise<void>[] = [];
  private readonly recorders: EventRecorder[] = [];
  private readonly metricsServer: MetricsServer | undefined;
  private readonly elector: LeaderElector | undefined;
  private readonly identity: string;
  private state: State = 'new';
  private leading = false;
  private stopping: Promise<void> | undefined;
  private failure: Error | undefined;
  private readonly done: Promise<void>;
  private resolveDone: () => void = () => {};
  private rejectDone: (error: Error) => void = () => {};
  private boundMetricsPort: number | undefined;
  private boundHealthPort: number | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => this.handleSignal(signal);
  private signalled = false;

  constructor(options: ManagerOptions) {
    this.options = options;
    this.logger = options.logger ?? createLogger({ name: 'mcp-runtime' });
    this.metrics = options.metrics ?? new RuntimeMetrics();
    this.metrics.eventWritesPending(() => this.recorders.reduce((n, r) => n + r.pendingWrites(), 0));
    this.metrics.eventWritesDropped(() => this.recorders.reduce((n, r) => n + r.dropped, 0));
    this.client = new KubeClient(options.kubeConfig, { onResponse: (method, code) => this.metrics.restRequest(method, code) });
    this.metricsServer = options.metricsPort === false ? undefined : new MetricsServer(this.metrics.registry);
    const le = options.leaderElection === undefined || options.leaderElection === false ? undefined : options.leaderElection;
    this.identity = le?.identity ?? `${hostname()}_${randomUUID()}`;
    if (le !== undefined) {
      this.elector = new LeaderElector({
        lock: coordinationLeaseClient(this.client, le.namespace, le.name),
        identity: this.identity,
        leaseDurationMs: le.leaseDurationMs,
        renewDeadlineMs: le.renewDeadlineMs,
        retryPeriodMs: le.retryPeriodMs,
        logger: this.logger,
        metrics: this.metrics.leader(le.name),
        onStartedLeading: () => this.startLeading(),
        onStoppedLeading: () => {
          this.leading = false;
        },
      });
    }
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // wait() may never be called (tests stop the manager directly); do not crash on that.
    this.done.catch(() => {});
    this.metrics.cacheSizes(() => this.cacheSizes());
    this.health.addHealthzCheck('ping', () => undefined);
    this.health.addReadyzCheck('informers-synced', () => this.readiness());
  }

  /** True while this replica leads (always true once running without leader election). */
  get isLeader(): boolean {
    return this.leading;
  }

  /** The identity written into the Lease. */
  get leaderIdentity(): string {
    return this.identity;
  }

  get metricsPort(): number | undefined {
    return this.boundMetricsPort;
  }

  get healthPort(): number | undefined {
    return this.boundHealthPort;
  }

  /**
   * Objects and their JSON length per informer cache (for the informer_cache_* metrics). The
   * JSON length is measured again only when the number of cached objects changed or
   * CACHE_BYTES_TTL_MS passed: at 5,000 servers it serializes ~50 MB, which a scrape every 15 s
   * of a settled cluster must not repeat.
   */
  cacheSizes(): { informer: string; objects: number; jsonBytes: number }[] {
    const now = Date.now();
    const objects = [...this.informers.values()].reduce((n, informer) => n + informer.store.size, 0);
    if (this.measuredBytes === undefined || this.measuredBytes.objects !== objects || now - this.measuredBytes.at >= CACHE_BYTES_TTL_MS) {
      const bytes = new Map<string, number>();
      for (const informer of this.informers.values()) {
        let jsonBytes = 0;
        for (const obj of informer.store.list()) jsonBytes += JSON.stringify(obj).length;
        bytes.set(informer.name, jsonBytes);
      }
      this.measuredBytes = { at: now, objects, bytes };
    }
    const measured = this.measuredBytes.bytes;
    return [...this.informers.values()].map((informer) => ({ informer: informer.name, objects: informer.store.size, jsonBytes: measured.get(informer.name) ?? 0 }));
  }

  /** A shared informer for `type` with these options (the same one for equal options). */
  informer<T extends KubernetesObject>(type: ResourceType, options: SharedInformerOptions<T> = {}): Informer<T> {
    const namespaces = options.namespaces ?? 'all';
    const key = JSON.stringify([
      type.apiVersion,
      type.kind,
      typeof namespaces === 'string' ? namespaces : [...namespaces].sort(),
      options.labelSelector ?? '',
      options.fieldSelector ?? '',
      options.keepManagedFields === true,
      options.projection?.name ?? '',
    ]);
    const existing = this.informers.get(key) as Informer<T> | undefined;
    if (existing !== undefined) {
      for (const [name, fn] of Object.entries(options.indexers ?? {})) existing.store.addIndexer(name, fn);
      return existing;
    }
    const informer = new Informer<T>({
      type,
      client: this.client,
      namespaces,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      indexers: options.indexers,
      freeze: options.freeze,
      ...(options.projection !== undefined ? { transform: options.projection.transform } : options.keepManagedFields === true ? {} : { transform: stripManagedFields }),
      watchdogMs: options.watchdogMs,
      interner: this.interner,
      logger: this.logger,
      metrics: this.metrics.informer(informerLabel(type, namespaces, options)),
      name: informerLabel(type, namespaces, options),
    });
    this.informers.set(key, informer as unknown as Informer<KubernetesObject>);
    if (this.leading) informer.start();
    return informer;
  }

  /** Adds a controller; must be called before start(). */
  addController<T extends KubernetesObject>(options: ManagedControllerOptions<T>): Controller<T> {
    if (this.state !== 'new') throw new Error('add controllers before start()');
    if (this.controllers.some((c) => c.name === options.name)) throw new Error(`controller "${options.name}" already added`);
    const controller = new Controller<T>({ ...options, logger: this.logger, metrics: this.metrics });
    this.controllers.push(controller as unknown as Controller<KubernetesObject>);
    return controller;
  }

  /** An Event recorder flushed on stop (reportingInstance is this replica's identity). */
  eventRecorder(reportingController: string): EventRecorder {
    const recorder = new EventRecorder({
      client: this.client,
      reportingController,
      reportingInstance: this.identity.slice(0, 128),
      logger: this.logger,
      // Events describe the work: while any controller has keys waiting, they wait more.
      busy: () => this.controllers.some((c) => c.queue.length > 0),
    });
    this.recorders.push(recorder);
    return recorder;
  }

  /**
   * Starts servers and leader election (or, without it, informers and controllers). Resolves
   * once started; wait() resolves when the manager has stopped.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('a manager can be started once');
    this.state = 'starting';
    try {
      const host = this.options.bindAddress;
      const { metricsPort = 8080, healthPort = 8081 } = this.options;
      if (metricsPort !== false && this.metricsServer !== undefined) this.boundMetricsPort = await this.metricsServer.listen(metricsPort, host);
      if (healthPort !== false) this.boundHealthPort = await this.health.listen(healthPort, host);
    } catch (error) {
      this.state = 'stopped';
      await this.closeServers();
      throw error;
    }
    if (this.options.handleSignals ?? true) {
      process.on('SIGTERM', this.onSignal);
      process.on('SIGINT', this.onSignal);
    }
    this.state = 'running';
    this.logger.info({ metricsPort: this.boundMetricsPort, healthPort: this.boundHealthPort, identity: this.identity }, 'manager started');
    if (this.elector === undefined) {
      this.startLeading();
    } else {
      void this.elector.run().then(() => {
        if (this.state === 'running') {
          this.failure = new LeaderElectionLostError(this.identity);
          this.logger.error('leadership lost; stopping the manager');
          void this.stop();
        }
      });
    }
  }

  /** Resolves when stopped; rejects with LeaderElectionLostError if leadership was lost. */
  wait(): Promise<void> {
    return this.done;
  }

  /** Graceful stop (idempotent): see the file comment for the order. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private startLeading(): void {
    if (this.state !== 'running' || this.leading) return;
    this.leading = true;
    this.logger.info({ informers: this.informers.size, controllers: this.controllers.length }, 'leading: starting informers and controllers');
    for (const informer of this.informers.values()) informer.start();
    for (const controller of this.controllers) {
      for (const informer of controller.informers()) {
        // Informers created directly (not through informer()) still need starting.
        if (!informer.running) informer.start();
      }
      this.controllerRuns.push(
        controller.start().catch((error: unknown) => this.logger.error({ err: error, controller: controller.name }, 'controller failed')),
      );
    }
  }

  private readiness(): string | undefined {
    if (this.state !== 'running') return `manager is ${this.state}`;
    // A standby is ready: it is healthy and can take over; it has no caches to sync.
    if (!this.leading) return undefined;
    const pending = [...this.allInformers()].filter((i) => !i.hasSynced()).map((i) => i.name);
    return pending.length === 0 ? undefined : `informers not synced: ${pending.join(', ')}`;
  }

  private allInformers(): Set<Informer<KubernetesObject>> {
    const all = new Set(this.informers.values());
    for (const controller of this.controllers) for (const informer of controller.informers()) all.add(informer);
    return all;
  }

  private async shutdown(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'stopped';
      this.resolveDone();
      return;
    }
    this.state = 'stopping';
    process.off('SIGTERM', this.onSignal);
    process.off('SIGINT', this.onSignal);
    const timeoutMs = this.options.gracefulShutdownTimeoutMs ?? 30_000;
    this.logger.info({ timeoutMs }, 'stopping: no new work; waiting for in-flight reconciles');
    try {
      const finished = await Promise.all(this.controllers.map((c) => c.stop(timeoutMs)));
      if (finished.some((ok) => !ok)) this.logger.warn('some reconciles did not finish before the shutdown deadline');
      await Promise.all(this.controllerRuns);
      await Promise.all([...this.allInformers()].map((i) => i.stop()));
      await Promise.all(this.recorders.map((r) => r.stop()));
      this.leading = false;
      // Release only after the work is done, so the next leader never overlaps with us.
      await this.elector?.stop();
    } finally {
      await this.closeServers();
      this.client.close();
      this.state = 'stopped';
      this.logger.info('manager stopped');
      if (this.failure !== undefined) this.rejectDone(this.failure);
      else this.resolveDone();
    }
  }

  private async closeServers(): Promise<void> {
    await Promise.allSettled([this.metricsServer?.close(), this.health.close()]);
  }

  private handleSignal(signal: NodeJS.Signals): void {
    if (this.signalled) {
      this.logger.warn({ signal }, 'second signal: exiting immediately');
      process.exit(1);
    }
    this.signalled = true;
    this.logger.info({ signal }, 'signal received; shutting down');
    void this.stop();
  }
}

function informerLabel(type: ResourceType, namespaces: InformerNamespaces, options: { labelSelector?: string }): string {
  const scope = namespaces === 'all' ? '' : `@${typeof namespaces === 'string' ? namespaces : [...namespaces].join(',')}`;
  const selector = options.labelSelector !== undefined ? `{${options.labelSelector}}` : '';
  return `${type.plural}${type.apiVersion.includes('/') ? `.${type.apiVersion.split('/')[0]}` : ''}${scope}${selector}`;
}
