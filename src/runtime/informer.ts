/**
 * A self-healing informer: list, then watch from the list's resourceVersion (with bookmarks),
 * keeping an in-memory store and telling handlers about adds, updates (old and new) and
 * deletes.
 *
 * Unlike client-node 1.4's makeInformer, which stops for good on the first error that is not
 * a 410, this one never gives up while started:
 * - a clean close (the server-side timeoutSeconds expired) re-watches from the last version;
 * - 410 Gone (the version was compacted) relists and reports objects that vanished meanwhile
 *   as deletes (and changed ones as updates);
 * - any other error (network, 5xx, 403 from RBAC) retries with jittered exponential backoff;
 * - a watchdog restarts a watch that delivered no event and no bookmark for `watchdogMs`
 *   (a half-open TCP connection otherwise looks like a quiet cluster forever).
 *
 * Objects in the store are shared: never mutate them (see store.ts; `freeze` enforces it).
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { Backoff, type BackoffOptions } from './backoff.js';
import { realClock, sleep, type Clock, type TimerHandle } from './clock.js';
import { ApiError, isGone, type KubeClient, type Status, type WatchEvent } from './kube-http.js';
import { keyOf } from './keys.js';
import { apiListWatcher, type ListWatcher } from './list-watch.js';
import { silentLogger, type Logger } from './logger.js';
import { resourceName, type ResourceType } from './resources.js';
import type { StringInterner } from './intern.js';
import { deepFreeze, Store, type IndexFunc } from './store.js';

/** 'all', one namespace, or a set of namespaces (one list/watch each). */
export type InformerNamespaces = 'all' | string | readonly string[];

/** Why a watch ended and was started again. */
export type WatchRestartReason = 'closed' | 'watchdog' | 'gone' | 'error';

export interface InformerMetrics {
  /** informer_watch_restarts_total{informer,reason} */
  restarted(reason: WatchRestartReason): void;
  /** informer_lists_total{informer} */
  listed(): void;
}

export interface EventHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  /** The last state seen (from the DELETED event, or the cache when a relist found it gone). */
  delete?(obj: T): void;
}

interface CommonOptions<T extends KubernetesObject> {
  type: ResourceType;
  /** Default 'all'. Ignored for cluster-scoped types. */
  namespaces?: InformerNamespaces;
  labelSelector?: string;
  fieldSelector?: string;
  /** Extra store indexes (namespace and owner UID are built in). */
  indexers?: Record<string, IndexFunc<T>>;
  /** Deep-freeze cached objects so a mutation throws (default false). */
  freeze?: boolean;
  /**
   * Applied to every listed or watched object before it is cached and handed to handlers, e.g.
   * stripManagedFields (default: none, objects are cached as received).
   */
  transform?: (obj: T) => T;
  /** Shares repeated string values between cached objects (after `transform`); see intern.ts. */
  interner?: StringInterner;
  /**
   * Restart a watch that delivered no event or bookmark for this long (default 180 s). The API
   * server sends a bookmark about once a minute (measured on 1.34: gaps of 60 s, and up to
   * 121 s right after a watch starts on a quiet namespace), so three minutes of silence means
   * a dead stream. A false alarm is cheap: the watch resumes from its resourceVersion.
   */
  watchdogMs?: number;
  /** Server-side timeout per watch; default a random 300–600 s so many clients spread out. */
  watchTimeoutSeconds?: () => number;
  /** List page size (default 500). */
  pageSize?: number;
  /** Reconnect backoff (default 800 ms doubling to 30 s, jittered). */
  backoff?: BackoffOptions;
  /** Label for metrics and logs (default the resource name, e.g. `deployments.apps`). */
  name?: string;
  clock?: Clock;
  logger?: Logger;
  metrics?: InformerMetrics;
}

export type InformerOptions<T extends KubernetesObject> = CommonOptions<T> &
  ({ client: KubeClient; listWatcher?: undefined } | { listWatcher: ListWatcher<T>; client?: undefined });

/** A watch that lived at least this long without events still counts as healthy (resets backoff). */
const HEALTHY_WATCH_MS = 60_000;

interface WatchOutcome {
  reason: 'closed' | 'watchdog';
  healthy: boolean;
}

export class Informer<T extends KubernetesObject> {
  readonly store: Store<T>;
  readonly type: ResourceType;
  readonly name: string;

  private readonly listWatcher: ListWatcher<T>;
  private readonly namespaces: (string | undefined)[];
  private readonly options: CommonOptions<T>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly watchdogMs: number;
  private readonly handlers = new Set<EventHandlers<T>>();
  private readonly synced = new Set<string | undefined>();
  private syncWaiters: (() => void)[] = [];
  private abort: AbortController | undefined;
  private loops: Promise<void>[] = [];

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.type = options.type;
    this.name = options.name ?? resourceName(options.type);
    this.listWatcher = options.listWatcher ?? apiListWatcher<T>(options.client as KubeClient, options.type);
    this.namespaces = normalizeNamespaces(options.type, options.namespaces ?? 'all');
    this.clock = options.clock ?? realClock;
    this.logger = (options.logger ?? silentLogger()).child({ informer: this.name });
    this.watchdogMs = options.watchdogMs ?? 180_000;
    this.store = new Store<T>(options.indexers);
  }

  /**
   * Registers handlers; returns a function that unregisters them. Objects already in the store
   * are replayed as adds, so a handler registered late misses nothing.
   */
  addHandlers(handlers: EventHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (handlers.add !== undefined) {
      for (const obj of this.store.list()) this.call(() => handlers.add?.(obj));
    }
    return () => {
      this.handlers.delete(handlers);
    };
  }

  get running(): boolean {
    return this.abort !== undefined;
  }

  /** Starts one list/watch loop per namespace in the background. */
  start(): void {
    if (this.abort !== undefined) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loops = this.namespaces.map((ns) => this.run(ns, abort.signal));
  }

  /** Ends every watch and waits for the loops to return. The store keeps its contents. */
  async stop(): Promise<void> {
    const abort = this.abort;
    if (abort === undefined) return;
    abort.abort();
    await Promise.all(this.loops);
    this.abort = undefined;
    this.loops = [];
  }

  /** True once every namespace has been listed once (the store is a complete picture). */
  hasSynced(): boolean {
    return this.synced.size === this.namespaces.length;
  }

  /** Resolves true once synced, false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.hasSynced()) return Promise.resolve(true);
    if (signal?.aborted === true) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  private async run(namespace: string | undefined, signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.options.backoff);
    const log = namespace === undefined ? this.logger : this.logger.child({ namespace });
    // Advanced by every event and bookmark, also of a watch that then fails, so a reconnect
    // resumes exactly where the stream broke.
    const cursor = { resourceVersion: '', progressed: false };
    let goneInARow = 0;
    let attemptStarted = 0;
    while (!signal.aborted) {
      cursor.progressed = false;
      attemptStarted = this.clock.now();
      try {
        if (cursor.resourceVersion === '') {
          cursor.resourceVersion = await this.relist(namespace, signal);
          this.markSynced(namespace);
        }
        const outcome = await this.watchOnce(namespace, cursor, signal);
        if (signal.aborted) break;
        goneInARow = 0;
        this.options.metrics?.restarted(outcome.reason);
        if (outcome.healthy) {
          backoff.reset();
        } else {
          // Closed at once without a single event: do not hammer a server (or proxy) that
          // keeps closing us; wait as after an error.
          log.debug({ reason: outcome.reason }, 'watch ended without events; backing off');
          await sleep(this.clock, backoff.next(), signal);
        }
        if (outcome.reason === 'watchdog') log.warn({ watchdogMs: this.watchdogMs }, 'watch silent for too long; restarted');
      } catch (error) {
        if (signal.aborted) break;
        if (isGone(error)) {
          // The version we watch from was compacted away: relist (at once the first time).
          this.options.metrics?.restarted('gone');
          log.info('watch resourceVersion expired (410 Gone); relisting');
          cursor.resourceVersion = '';
          goneInARow += 1;
          if (goneInARow > 1) await sleep(this.clock, backoff.next(), signal);
          continue;
        }
        this.options.metrics?.restarted('error');
        // A watch that worked for a while before breaking starts the backoff over.
        if (cursor.progressed || this.clock.now() - attemptStarted >= HEALTHY_WATCH_MS) backoff.reset();
        const delayMs = backoff.next();
        log.warn({ err: error, delayMs }, cursor.resourceVersion === '' ? 'list failed; retrying' : 'watch failed; reconnecting');
        await sleep(this.clock, delayMs, signal);
      }
    }
  }

  /** Lists the namespace, replaces its part of the store, emits the differences. */
  private async relist(namespace: string | undefined, signal: AbortSignal): Promise<string> {
    const result = await this.listWatcher.list(
      namespace,
      { labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector, limit: this.options.pageSize ?? 500 },
      signal,
    );
    this.options.metrics?.listed();
    const items = result.items.map((obj) => this.prepare(obj));
    const inScope = namespace === undefined ? () => true : (obj: T) => obj.metadata?.namespace === namespace;
    const changes = this.store.replace(items, inScope);
    for (const obj of changes.deleted) this.emit('delete', obj);
    for (const obj of changes.added) this.emit('add', obj);
    for (const { old, obj } of changes.updated) this.emit('update', obj, old);
    this.logger.debug(
      { namespace, count: items.length, added: changes.added.length, updated: changes.updated.length, deleted: changes.deleted.length },
      'listed',
    );
    return result.resourceVersion;
  }

  private async watchOnce(namespace: string | undefined, cursor: { resourceVersion: string; progressed: boolean }, signal: AbortSignal): Promise<WatchOutcome> {
    const abort = new AbortController();
    const onStop = (): void => abort.abort();
    signal.addEventListener('abort', onStop, { once: true });
    const started = this.clock.now();
    let lastEvent = started;
    let events = 0;
    const resourceVersion = cursor.resourceVersion;
    let reason: WatchOutcome['reason'] = 'closed';
    let timer: TimerHandle | undefined;
    const arm = (at: number): void => {
      timer = this.clock.setTimeout(check, at - this.clock.now());
    };
    const check = (): void => {
      if (this.clock.now() - lastEvent >= this.watchdogMs) {
        reason = 'watchdog';
        abort.abort();
      } else {
        arm(lastEvent + this.watchdogMs);
      }
    };
    arm(started + this.watchdogMs);

    const onEvent = (event: WatchEvent<T>): void => {
      lastEvent = this.clock.now();
      events += 1;
      if (event.type === 'ERROR') {
        const status = event.object as unknown as Status;
        throw new ApiError(status.code ?? 500, status, 'WATCH', this.name);
      }
      cursor.progressed = true;
      const version = event.object?.metadata?.resourceVersion;
      if (event.type === 'BOOKMARK') {
        if (version !== undefined) cursor.resourceVersion = version;
        return;
      }
      const obj = this.prepare(event.object);
      if (event.type === 'DELETED') {
        this.store.remove(keyOf(obj));
        this.emit('delete', obj);
      } else {
        const old = this.store.upsert(obj);
        if (old === undefined) this.emit('add', obj);
        else this.emit('update', obj, old);
      }
      if (version !== undefined) cursor.resourceVersion = version;
    };

    try {
      await this.listWatcher.watch(
        namespace,
        {
          resourceVersion,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
          timeoutSeconds: this.options.watchTimeoutSeconds?.() ?? Math.floor(300 + Math.random() * 300),
        },
        onEvent,
        abort.signal,
      );
    } finally {
      if (timer !== undefined) this.clock.clearTimeout(timer);
      signal.removeEventListener('abort', onStop);
    }
    const healthy = events > 0 || this.clock.now() - started >= HEALTHY_WATCH_MS;
    return { reason, healthy };
  }

  private prepare(received: T): T {
    const transformed = this.options.transform === undefined ? received : this.options.transform(received);
    const obj = this.options.interner === undefined ? transformed : this.options.interner.internValues(transformed);
    return this.options.freeze === true ? deepFreeze(obj) : obj;
  }

  private emit(kind: 'add' | 'update' | 'delete', obj: T, old?: T): void {
    for (const handlers of [...this.handlers]) {
      if (kind === 'add') this.call(() => handlers.add?.(obj));
      else if (kind === 'update') this.call(() => handlers.update?.(old as T, obj));
      else this.call(() => handlers.delete?.(obj));
    }
  }

  /** A failing handler must not break the watch loop or other handlers. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.error({ err: error }, 'event handler threw');
    }
  }

  private markSynced(namespace: string | undefined): void {
    if (this.synced.has(namespace)) return;
    this.synced.add(namespace);
    if (this.hasSynced()) {
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }
}

function normalizeNamespaces(type: ResourceType, namespaces: InformerNamespaces): (string | undefined)[] {
  if (!type.namespaced || namespaces === 'all') return [undefined];
  const list = typeof namespaces === 'string' ? [namespaces] : [...new Set(namespaces)];
  if (list.length === 0 || list.some((ns) => ns === '')) throw new Error('namespaces must be "all" or non-empty names');
  return list;
}

/**
 * Drops metadata.managedFields, usually the largest part of a small object's metadata (one
 * entry per field manager, listing every field it set). Controllers that compare fields and
 * apply server-side never read it, so caching it only costs memory.
 */
export function stripManagedFields<T extends KubernetesObject>(obj: T): T {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
