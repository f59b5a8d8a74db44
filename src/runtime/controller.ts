/**
 * A controller wires informers to a work queue and a reconciler, controller-runtime style:
 *
 * - events only enqueue keys: `for` objects by their own key, `owns` objects by the key of
 *   their controlling owner (the ownerReference with controller: true whose group and kind are
 *   the primary kind's), `watches` through a caller-supplied mapper;
 * - the reconciler is level-triggered: it gets a key, reads the current state (from the
 *   informers' stores or the API) and makes the world match; it knows nothing of events,
 *   watches or leadership;
 * - errors requeue with per-key exponential backoff; success forgets the backoff;
 *   `requeueAfter` schedules the next look;
 * - every `resyncPeriodMs` all primary keys are enqueued, a safety net for anything missed.
 *
 * Informers are started by whoever owns them (the manager); the controller waits for them to
 * sync before its workers take the first key, so reconcilers always see a complete cache.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { KubernetesObject } from '@kubernetes/client-node';
import { realClock, sleep, type Clock, type TimerHandle } from './clock.js';
import type { EventHandlers, Informer } from './informer.js';
import { keyOf, objectKey, parseKey } from './keys.js';
import { controllerLogger, keyLogger, silentLogger, type Logger } from './logger.js';
import type { ControllerMetrics, ReconcileResult as ResultLabel, RuntimeMetrics } from './metrics.js';
import type { RateLimiter } from './rate-limiter.js';
import { groupOf, type ResourceType } from './resources.js';
import { runWorkers, WorkQueue } from './work-queue.js';

export interface ReconcileRequest {
  /** `namespace/name` (or `name` for cluster-scoped kinds). */
  key: string;
  namespace?: string;
  name: string;
  /** Bound to controller, key and a per-reconcile id. */
  logger: Logger;
  /** Aborted when shutdown gives up waiting for this reconcile; pass it to API calls. */
  signal: AbortSignal;
}

export interface ReconcileResult {
  /** Look again after this many milliseconds (backoff is reset). */
  requeueAfter?: number;
  /** Look again with rate-limited backoff (as if it failed, without an error). */
  requeue?: boolean;
}

export type Reconciler = (request: ReconcileRequest) => Promise<ReconcileResult | void>;

/** Thrown by a reconciler for errors that retrying cannot fix: logged and counted, not requeued. */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export interface SourceEvent<S> {
  type: 'add' | 'update' | 'delete';
  obj: S;
  /** Previous state, for updates. */
  old?: S;
}

/** Return false to ignore an event (e.g. status-only updates). */
export type Predicate<S> = (event: SourceEvent<S>) => boolean;

/** Maps a secondary object to the primary keys it affects. */
export type KeyMapper<S> = (obj: S) => readonly string[];

// Method syntax (not function-typed properties) on purpose: it lets a WatchSource<V1Secret>
// stand where a WatchSource<KubernetesObject> is expected, so `watches` can mix kinds.
export interface WatchSource<S extends KubernetesObject> {
  informer: Informer<S>;
  map(obj: S): readonly string[];
  predicate?(event: SourceEvent<S>): boolean;
}

export interface OwnsSource<S extends KubernetesObject> {
  informer: Informer<S>;
  predicate?(event: SourceEvent<S>): boolean;
  /**
   * Events that change what users see of the owner (e.g. a Deployment becoming ready): its key
   * goes ahead of ordinary work, so a burst of creations does not delay a server's Ready.
   */
  urgent?(event: SourceEvent<S>): boolean;
}

export interface ControllerOptions<T extends KubernetesObject> {
  /** Unique per manager; labels metrics and logs. */
  name: string;
  /** The primary kind: its keys are what `reconcile` receives. */
  for: Informer<T>;
  /** Predicate for primary events (default: all). */
  forPredicate?: Predicate<T>;
  /** Kinds this controller creates with a controller ownerReference to the primary object. */
  owns?: readonly (Informer<KubernetesObject> | OwnsSource<KubernetesObject>)[];
  /** Anything else, with a custom key mapper. */
  watches?: readonly WatchSource<KubernetesObject>[];
  reconcile: Reconciler;
  /**
   * Concurrent reconciles (default 2); one key is never reconciled twice at once. When an `owns`
   * source marks events `urgent`, one more worker takes only urgent keys.
   */
  concurrency?: number;
  /** Enqueue every primary key this often (default 10 min; 0 turns it off). */
  resyncPeriodMs?: number;
  rateLimiter?: RateLimiter<string>;
  clock?: Clock;
  logger?: Logger;
  metrics?: RuntimeMetrics;
}

/** Enqueue on update only when metadata.generation changed (spec changes, not status or metadata). */
export function generationChanged<S extends KubernetesObject>(event: SourceEvent<S>): boolean {
  return event.type !== 'update' || event.old?.metadata?.generation !== event.obj.metadata?.generation;
}

/**
 * Key of the object's controlling owner if that owner is of `owner`'s kind (group and kind
 * compared; the version may differ), else undefined.
 */
export function controllerOwnerKey(obj: KubernetesObject, owner: ResourceType): string | undefined {
  const group = groupOf(owner.apiVersion);
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (ref === undefined || ref.kind !== owner.kind || groupOf(ref.apiVersion) !== group) return undefined;
  return objectKey({ namespace: owner.namespaced ? obj.metadata?.namespace : undefined, name: ref.name });
}

export class Controller<T extends KubernetesObject> {
  readonly name: string;
  readonly queue: WorkQueue<string>;

  private readonly options: ControllerOptions<T>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly metrics: ControllerMetrics | undefined;
  private readonly concurrency: number;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly stopSignal = new AbortController();
  private readonly reconcileAbort = new AbortController();
  private resyncTimer: TimerHandle | undefined;
  private workers: Promise<void> | undefined;
  private started = false;

  constructor(options: ControllerOptions<T>) {
    this.options = options;
    this.name = options.name;
    this.clock = options.clock ?? realClock;
    this.logger = controllerLogger(options.logger ?? silentLogger(), options.name);
    this.concurrency = options.concurrency ?? 2;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new Error(`concurrency must be a positive integer`);
    // One listener per worker (see handle); more workers than Node's default of 10 is no leak.
    setMaxListeners(this.concurrency + 10, this.reconcileAbort.signal);
    this.metrics = options.metrics?.controller(options.name);
    this.metrics?.maxConcurrentReconciles(this.concurrency);
    this.queue = new WorkQueue<string>({
      clock: this.clock,
      rateLimiter: options.rateLimiter,
      metrics: options.metrics?.queue(options.name),
    });
  }

  /** Every informer this controller reads (the manager starts them). */
  informers(): Informer<KubernetesObject>[] {
    const owns = (this.options.owns ?? []).map((o) => ('informer' in o ? o.informer : o));
    return [
      this.options.for as unknown as Informer<KubernetesObject>,
      ...owns,
      ...(this.options.watches ?? []).map((w) => w.informer),
    ];
  }

  /**
   * Subscribes to the informers, waits for them to sync, then runs workers until stop().
   * Resolves when the workers have returned.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name} already started`);
    this.started = true;
    this.subscribe();
    for (const informer of this.informers()) {
      if (!(await informer.waitForSync(this.stopSignal.signal))) return;
    }
    if (this.stopSignal.signal.aborted) return;
    this.logger.info({ concurrency: this.concurrency }, 'caches synced; starting workers');
    this.scheduleResync();
    // A worker kept free for urgent keys when some source marks events urgent.
    const urgentWorker = (this.options.owns ?? []).some((o) => 'informer' in o && o.urgent !== undefined);
    this.workers = runWorkers(this.queue, this.concurrency, (key) => this.handle(key), (error, key) => this.logger.error({ err: error, key }, 'worker failed'), { urgentWorker });
    await this.workers;
  }

  /**
   * Stops taking keys, waits up to `timeoutMs` for in-flight reconciles, then aborts their
   * signal. Resolves true when every reconcile finished in time.
   */
  async stop(timeoutMs = 30_000): Promise<boolean> {
    this.stopSignal.abort();
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    const idle = this.queue.shutDown('stop').then(() => true);
    const deadline = new AbortController();
    const finished = await Promise.race([idle, sleep(this.clock, timeoutMs, deadline.signal).then(() => false)]);
    deadline.abort();
    if (!finished) {
      this.logger.warn({ inFlight: this.queue.inFlight, timeoutMs }, 'reconciles still running at shutdown deadline; aborting them');
      this.reconcileAbort.abort(new Error('controller shutting down'));
    }
    return finished;
  }

  private subscribe(): void {
    const primary = this.options.for;
    this.unsubscribe.push(primary.addHandlers(this.handlers(primary, (obj) => [keyOf(obj)], this.options.forPredicate)));
    for (const source of this.options.owns ?? []) {
      const owned =
        'informer' in source
          ? { informer: source.informer, predicate: source.predicate?.bind(source), urgent: source.urgent?.bind(source) }
          : { informer: source, predicate: undefined, urgent: undefined };
      const map = (obj: KubernetesObject): string[] => {
        const key = controllerOwnerKey(obj, primary.type);
        return key === undefined ? [] : [key];
      };
      this.unsubscribe.push(owned.informer.addHandlers(this.handlers(owned.informer, map, owned.predicate, owned.urgent)));
    }
    for (const source of this.options.watches ?? []) {
      this.unsubscribe.push(
        source.informer.addHandlers(this.handlers(source.informer, (obj) => source.map(obj), source.predicate?.bind(source))),
      );
    }
  }

  private handlers<S extends KubernetesObject>(
    informer: Informer<S>,
    map: KeyMapper<S>,
    predicate: Predicate<S> | undefined,
    urgentEvent?: Predicate<S>,
  ): EventHandlers<S> {
    const enqueue = (event: SourceEvent<S>): void => {
      if (predicate !== undefined && !predicate(event)) return;
      const keys = new Set(map(event.obj));
      // An update can move an object between owners; both need a look.
      if (event.old !== undefined) for (const key of map(event.old)) keys.add(key);
      const urgent = urgentEvent?.(event) === true;
      for (const key of keys) this.queue.add(key, { urgent });
      if (keys.size > 0) this.logger.trace({ informer: informer.name, event: event.type, keys: [...keys], ...(urgent ? { urgent } : {}) }, 'enqueued');
    };
    return {
      add: (obj) => enqueue({ type: 'add', obj }),
      update: (old, obj) => enqueue({ type: 'update', obj, old }),
      delete: (obj) => enqueue({ type: 'delete', obj }),
    };
  }

  private async handle(key: string): Promise<void> {
    const started = this.clock.now();
    const ref = parseKey(key);
    const logger = keyLogger(this.logger, key, randomUUID().slice(0, 8));
    let result: ResultLabel = 'success';
    this.metrics?.activeWorkers(1);
    // Each reconcile gets its own signal, tied to the controller's: the requests a reconcile
    // sends in parallel listen on it, so the shared signal has one listener per worker rather
    // than one per in-flight request (which Node reports as a MaxListenersExceeded leak).
    const abort = new AbortController();
    const onShutdown = (): void => abort.abort(this.reconcileAbort.signal.reason);
    if (this.reconcileAbort.signal.aborted) onShutdown();
    else this.reconcileAbort.signal.addEventListener('abort', onShutdown, { once: true });
    try {
      const outcome = await this.options.reconcile({ key, ...ref, logger, signal: abort.signal });
      if (outcome?.requeueAfter !== undefined && outcome.requeueAfter > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, outcome.requeueAfter);
        result = 'requeue_after';
      } else if (outcome?.requeue === true) {
        this.queue.addRateLimited(key);
        result = 'requeue';
      } else {
        this.queue.forget(key);
      }
    } catch (error) {
      result = 'error';
      if (error instanceof TerminalError) {
        this.queue.forget(key);
        logger.error({ err: error }, 'reconcile failed with a terminal error; not retrying');
      } else {
        this.queue.addRateLimited(key);
        logger.error({ err: error, retries: this.queue.retries(key) }, 'reconcile failed; will retry');
      }
    } finally {
      this.reconcileAbort.signal.removeEventListener('abort', onShutdown);
      this.metrics?.activeWorkers(-1);
      this.metrics?.reconciled(result, (this.clock.now() - started) / 1000);
    }
  }

  private scheduleResync(): void {
    const period = this.options.resyncPeriodMs ?? 600_000;
    if (period <= 0) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.stopSignal.signal.aborted) return;
      const keys = this.options.for.store.keys();
      for (const key of keys) this.queue.add(key);
      this.logger.debug({ keys: keys.length }, 'periodic resync');
      this.scheduleResync();
    }, period);
  }
}
