/**
 * A work queue with client-go's semantics, the core of a level-triggered controller:
 *
 * - dedupe: a key waiting in the queue is held once, however often it is added;
 * - exclusivity: a key being processed is never handed to a second worker; if it is added
 *   while processing, it is marked dirty and queued again when `done` is called, so the latest
 *   state is always reconciled once more, but never concurrently with itself;
 * - two lanes: `add(key, { urgent: true })` puts a key ahead of the ordinary ones (a waiting key
 *   moves up), and `getUrgent()` serves only those, for a worker kept free for them. For events
 *   that change what a user sees, e.g. a Deployment becoming ready, which would otherwise wait
 *   behind a burst of creations (the user-visible operator lag);
 * - delays: `addAfter` (requeue-after) and `addRateLimited` (per-key exponential backoff)
 *   park keys until due; a key parked twice keeps the earlier time;
 * - shutdown: 'stop' hands out nothing more, 'drain' finishes what is queued; both resolve
 *   once no key is in flight.
 *
 * Keys are compared with SameValueZero (Map/Set), so use strings or other primitives.
 */
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { ExponentialRateLimiter, type RateLimiter } from './rate-limiter.js';

/** Hooks for workqueue_* metrics; the queue knows nothing of Prometheus. */
export interface QueueMetrics {
  /** A key became dirty (workqueue_adds_total; dedupes are not counted). */
  added(): void;
  /** Keys ready to be handed out (workqueue_depth). */
  depth(n: number): void;
  /** Seconds from add to hand-out (workqueue_queue_duration_seconds). */
  queueLatency(seconds: number): void;
  /** Seconds from hand-out to done (workqueue_work_duration_seconds). */
  workDuration(seconds: number): void;
  /** A rate-limited re-add (workqueue_retries_total). */
  retried(): void;
}

export interface WorkQueueOptions<K> {
  clock?: Clock;
  rateLimiter?: RateLimiter<K>;
  metrics?: QueueMetrics;
}

export type ShutdownMode = 'drain' | 'stop';

interface Parked<K> {
  key: K;
  at: number;
}

/** A place in a lane; stale when the key has since moved (its token changed) or been taken. */
interface Entry<K> {
  key: K;
  token: number;
}

/** A FIFO; `head` avoids O(n) shift(). */
class Lane<K> {
  private entries: Entry<K>[] = [];
  private head = 0;

  push(entry: Entry<K>): void {
    this.entries.push(entry);
  }

  /** The first entry `valid` accepts; the ones before it are dropped. */
  shift(valid: (entry: Entry<K>) => boolean): Entry<K> | undefined {
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head] as Entry<K>;
      this.head += 1;
      if (this.head > 1024 && this.head * 2 > this.entries.length) {
        this.entries = this.entries.slice(this.head);
        this.head = 0;
      }
      if (valid(entry)) return entry;
    }
    return undefined;
  }
}

export interface AddOptions {
  /** Ahead of ordinary keys (default false). */
  urgent?: boolean;
}

export class WorkQueue<K = string> {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly metrics: QueueMetrics | undefined;

  /** Ready keys: where each waits (its lane entry's token), and the two lanes. */
  private readonly queued = new Map<K, { token: number; urgent: boolean }>();
  private readonly urgentLane = new Lane<K>();
  private readonly ordinaryLane = new Lane<K>();
  private nextToken = 0;
  /** Queued keys in the urgent lane. */
  private urgentCount = 0;
  private urgentGetters: ((key: K | undefined) => void)[] = [];
  /** Keys added urgently while a worker held them: done() queues them urgently. */
  private readonly urgentWhenDone = new Set<K>();
  /** Keys that need processing (queued, or re-added while processing). */
  private readonly dirty = new Set<K>();
  /** Keys handed to a worker and not yet done. */
  private readonly processing = new Set<K>();
  private readonly addedAt = new Map<K, number>();
  private readonly startedAt = new Map<K, number>();

  /** Delayed keys: key → due time (the truth); `heap` may hold stale entries. */
  private readonly parked = new Map<K, number>();
  private heap: Parked<K>[] = [];
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;

  private getters: ((key: K | undefined) => void)[] = [];
  private mode: ShutdownMode | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(options: WorkQueueOptions<K> = {}) {
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? new ExponentialRateLimiter<K>();
    this.metrics = options.metrics;
  }

  /** Number of keys ready to be handed out (not counting in-flight or delayed ones). */
  get length(): number {
    return this.queued.size;
  }

  /** Number of keys currently handed to workers. */
  get inFlight(): number {
    return this.processing.size;
  }

  /** Number of keys waiting for a delay to expire. */
  get delayed(): number {
    return this.parked.size;
  }

  get shuttingDown(): boolean {
    return this.mode !== undefined;
  }

  /** Marks `key` for processing. Ignored during shutdown. */
  add(key: K, options: AddOptions = {}): void {
    if (this.mode !== undefined) return;
    const urgent = options.urgent === true;
    if (this.dirty.has(key)) {
      if (!urgent) return;
      if (this.processing.has(key)) this.urgentWhenDone.add(key);
      else if (this.queued.get(key)?.urgent === false) {
        this.enqueue(key, true);
        this.settle();
      }
      return;
    }
    this.dirty.add(key);
    this.addedAt.set(key, this.clock.now());
    this.metrics?.added();
    // Re-queued by done(); a key never waits in a lane while a worker holds it.
    if (this.processing.has(key)) {
      if (urgent) this.urgentWhenDone.add(key);
      return;
    }
    this.push(key, urgent);
  }

  /** Adds `key` after `ms` (at once when ms <= 0). If already parked, the earlier time wins. */
  addAfter(key: K, ms: number): void {
    if (this.mode !== undefined) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const current = this.parked.get(key);
    if (current !== undefined && current <= at) return;
    this.parked.set(key, at);
    this.heapPush({ key, at });
    if (at < this.timerAt) this.schedule(at);
  }

  /** Adds `key` after its per-key backoff (one more failure counted). */
  addRateLimited(key: K): void {
    if (this.mode !== undefined) return;
    this.metrics?.retried();
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets the backoff of `key`; does not remove it from the queue. */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  /** Failures of `key` since it was last forgotten. */
  retries(key: K): number {
    return this.rateLimiter.retries(key);
  }

  /**
   * Next key to process, or undefined once the queue is shut down (for 'drain': once it is
   * also empty and idle). The caller must call done(key) when finished.
   */
  get(): Promise<K | undefined> {
    if (this.canHandOut()) return Promise.resolve(this.take());
    if (this.finished()) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Like get(), but only urgent keys (for a worker kept free for them). */
  getUrgent(): Promise<K | undefined> {
    if (this.urgentCount > 0 && this.mode !== 'stop') return Promise.resolve(this.take(true));
    if (this.finished()) return Promise.resolve(undefined);
    return new Promise((resolve) => this.urgentGetters.push(resolve));
  }

  /** Ends processing of `key`; if it was added meanwhile, it is queued again. */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    const started = this.startedAt.get(key);
    this.startedAt.delete(key);
    if (started !== undefined) this.metrics?.workDuration((this.clock.now() - started) / 1000);
    const urgent = this.urgentWhenDone.delete(key);
    if (this.dirty.has(key) && this.mode !== 'stop') {
      this.push(key, urgent);
    } else {
      this.settle();
    }
  }

  /**
   * Stops accepting keys. 'stop' hands out nothing more; 'drain' hands out what is queued
   * (including keys re-added while in flight). Delayed keys are dropped either way. Resolves
   * when no key is in flight (and, for 'drain', none is queued).
   */
  shutDown(mode: ShutdownMode = 'stop'): Promise<void> {
    if (this.mode === undefined || mode === 'stop') this.mode = mode;
    this.parked.clear();
    this.heap = [];
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.settle();
    return idle;
  }

  private canHandOut(): boolean {
    return this.length > 0 && this.mode !== 'stop';
  }

  /** Shut down and nothing can come back: every getter gets undefined. */
  private finished(): boolean {
    if (this.mode === undefined) return false;
    if (this.mode === 'stop') return true;
    // Draining: an in-flight key may still be re-queued by done(), so workers must wait.
    return this.length === 0 && this.processing.size === 0;
  }

  private push(key: K, urgent: boolean): void {
    this.enqueue(key, urgent);
    this.metrics?.depth(this.length);
    this.settle();
  }

  /** Puts `key` at the end of a lane; an older place in the other lane becomes stale. */
  private enqueue(key: K, urgent: boolean): void {
    const token = ++this.nextToken;
    if (urgent && this.queued.get(key)?.urgent !== true) this.urgentCount += 1;
    this.queued.set(key, { token, urgent });
    (urgent ? this.urgentLane : this.ordinaryLane).push({ key, token });
  }

  private take(urgentOnly = false): K {
    const current = (entry: Entry<K>) => this.queued.get(entry.key)?.token === entry.token;
    const entry = (this.urgentLane.shift(current) ?? (urgentOnly ? undefined : this.ordinaryLane.shift(current))) as Entry<K>;
    const key = entry.key;
    if (this.queued.get(key)?.urgent === true) this.urgentCount -= 1;
    this.queued.delete(key);
    this.metrics?.depth(this.length);
    this.dirty.delete(key);
    this.processing.add(key);
    const now = this.clock.now();
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.metrics?.queueLatency((now - added) / 1000);
    this.startedAt.set(key, now);
    return key;
  }

  /** Hands ready keys to waiting getters and resolves shutdown waiters when idle. */
  private settle(): void {
    while (this.urgentGetters.length > 0 && this.urgentCount > 0 && this.mode !== 'stop') {
      const getter = this.urgentGetters.shift() as (key: K | undefined) => void;
      getter(this.take(true));
    }
    while (this.getters.length > 0 && this.canHandOut()) {
      const getter = this.getters.shift() as (key: K | undefined) => void;
      getter(this.take());
    }
    if (this.finished()) {
      const getters = [...this.getters, ...this.urgentGetters];
      this.getters = [];
      this.urgentGetters = [];
      for (const getter of getters) getter(undefined);
    }
    if (this.mode !== undefined && this.processing.size === 0 && (this.mode === 'stop' || this.length === 0)) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  private schedule(at: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => this.onTimer(), at - this.clock.now());
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    for (let top = this.heap[0]; top !== undefined && top.at <= now; top = this.heap[0]) {
      this.heapPop();
      // Stale entry: the key was re-parked earlier (and already fired) or dropped.
      if (this.parked.get(top.key) !== top.at) continue;
      this.parked.delete(top.key);
      this.add(top.key);
    }
    // Skip stale entries so the timer is set for a key that is really parked.
    while (this.heap[0] !== undefined && this.parked.get(this.heap[0].key) !== this.heap[0].at) this.heapPop();
    const next = this.heap[0];
    if (next !== undefined) this.schedule(next.at);
  }

  // A binary min-heap on `at`: thousands of parked keys (requeueAfter on every object) stay cheap.
  private heapPush(entry: Parked<K>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Parked<K>).at <= entry.at) break;
      heap[i] = heap[parent] as Parked<K>;
      i = parent;
    }
    heap[i] = entry;
  }

  private heapPop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && (heap[right] as Parked<K>).at < (heap[left] as Parked<K>).at ? right : left;
      if ((heap[child] as Parked<K>).at >= last.at) break;
      heap[i] = heap[child] as Parked<K>;
      i = child;
    }
    heap[i] = last;
  }
}

/**
 * Runs `concurrency` workers that take keys from `queue` and call `handle`, calling done()
 * afterwards whatever happens. Resolves when the queue is shut down and every worker has
 * returned. `handle` must not throw; if it does, the error goes to `onUnhandled`.
 */
export async function runWorkers<K>(
  queue: WorkQueue<K>,
  concurrency: number,
  handle: (key: K) => Promise<void>,
  onUnhandled: (error: unknown, key: K) => void = () => {},
  options: { urgentWorker?: boolean } = {},
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  const worker = async (urgentOnly: boolean): Promise<void> => {
    const next = () => (urgentOnly ? queue.getUrgent() : queue.get());
    for (let key = await next(); key !== undefined; key = await next()) {
      try {
        await handle(key);
      } catch (error) {
        onUnhandled(error, key);
      } finally {
        queue.done(key);
      }
    }
  };
  // One more worker, kept free for urgent keys, so they never wait for a busy one.
  const urgentWorkers = options.urgentWorker === true ? [worker(true)] : [];
  await Promise.all([...Array.from({ length: concurrency }, () => worker(false)), ...urgentWorkers]);
}
