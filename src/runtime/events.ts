/**
 * Kubernetes Events (events.k8s.io/v1) about the objects a controller manages, shown by
 * `kubectl describe` and `kubectl events`.
 *
 * A reconcile loop repeats itself (a failing image pull is reported every retry), so repeats
 * of the same event (same object, type, reason, action and note) within `seriesWindowMs` are
 * aggregated: the first creates an Event, later ones raise its `series.count` — at most one
 * write per `minPatchIntervalMs` per series; counts in between are flushed by a timer. The
 * API is never flooded and history is not lost.
 *
 * Events are best-effort and must not compete with the work they describe: all writes share one
 * budget (a token bucket, default 25 at once and 5 per second, like the event recorders of
 * kube-controller-manager keep Events below real work), refilled more slowly while the work
 * itself is waiting (`busy`). Beyond it, series wait in one FIFO with
 * one timer; when more than `maxWaiting` wait, the newest are dropped until a later occurrence
 * of the same event (a burst of 1,000 new servers costs 25 Events at once and the rest spread
 * over minutes, not 1,000 writes racing the servers' own applies).
 *
 * Recording never throws and never blocks a reconcile on the API: failures are logged. Notes
 * are free text seen by anyone who can read Events: never put Secret values in them.
 */
import { randomBytes } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { isNotFound, type KubeClient } from './kube-http.js';
import { silentLogger, type Logger } from './logger.js';
import { resourcePath, Events } from './resources.js';
import { MERGE_PATCH } from './apply.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: KubeClient;
  /** e.g. `mcp.agent-hellboy.io/mcpserver-controller` */
  reportingController: string;
  /** This replica (pod name). */
  reportingInstance: string;
  /** Repeats within this window join a series (default 10 min). */
  seriesWindowMs?: number;
  /** At most one series update per this interval (default 15 s). */
  minPatchIntervalMs?: number;
  /** Series remembered (least recently used dropped; default 4096). */
  cacheSize?: number;
  /** Writes (creates and series updates) at once, across all series (default 25). */
  writeBurst?: number;
  /** Writes per second once the burst is spent (default 5). */
  writesPerSecond?: number;
  /** Series waiting for the budget before new ones are dropped (default 1024). */
  maxWaiting?: number;
  /**
   * True while the work the events describe is waiting (e.g. a controller's queue is not empty):
   * the budget then refills at `busyWritesPerSecond` instead, so a backlog of reconciles is not
   * slowed by Events about it. Default: never busy.
   */
  busy?: () => boolean;
  /** Writes per second while busy (default 1). */
  busyWritesPerSecond?: number;
  clock?: Clock;
  logger?: Logger;
}

interface Series {
  name: string;
  namespace: string;
  /** Occurrences so far (1 = only the create). */
  count: number;
  /** Count the API server has (0: not created yet). */
  written: number;
  lastObserved: number;
  /** Time of the last write attempt (for the per-series write interval). */
  lastAttempt: number;
  timer: TimerHandle | undefined;
  /**
   * The Event body as JSON, kept to re-create the Event if it expired (Events live about an
   * hour). A string: thousands of series are remembered, and JSON text is a third of the heap
   * the same object takes.
   */
  body: string;
  inFlight: Promise<void> | undefined;
  /** Waiting for the write budget (in `waiting`). */
  queued: boolean;
}

/** Max bytes of events.k8s.io/v1 `note`. */
const NOTE_LIMIT = 1024;

/** metav1.MicroTime text (six fractional digits). */
export function microTimeString(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class EventRecorder {
  private readonly options: EventRecorderOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly series = new Map<string, Series>();
  private stopped = false;
  /** The write budget: tokens left as of `refilledAt`. */
  private tokens: number;
  private refilledAt: number;
  private readonly waiting: Series[] = [];
  private waitingTimer: TimerHandle | undefined;
  private droppedWrites = 0;

  constructor(options: EventRecorderOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'events' });
    this.tokens = options.writeBurst ?? 25;
    this.refilledAt = this.clock.now();
  }

  /** Writes dropped because too many series waited for the budget (they are written on a later occurrence), or because they still waited at stop. */
  get dropped(): number {
    return this.droppedWrites;
  }

  /**
   * Records an event about `regarding`. Resolves when the write (if any) is done; never
   * rejects, so callers may ignore the promise.
   */
  record(regarding: KubernetesObject, type: EventType, reason: string, action: string, note: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const meta = regarding.metadata ?? {};
    const namespace = meta.namespace !== undefined && meta.namespace !== '' ? meta.namespace : 'default';
    const trimmed = truncate(note, NOTE_LIMIT);
    const id = meta.uid ?? `${regarding.apiVersion}/${regarding.kind}/${namespace}/${meta.name}`;
    const key = `${id}|${type}|${reason}|${action}|${trimmed}`;
    const now = this.clock.now();
    const existing = this.series.get(key);
    if (existing !== undefined && now - existing.lastObserved <= (this.options.seriesWindowMs ?? 600_000)) {
      existing.count += 1;
      existing.lastObserved = now;
      // Most recently used last, for the LRU trim below.
      this.series.delete(key);
      this.series.set(key, existing);
      return this.kick(existing);
    }
    if (existing !== undefined) this.forget(key, existing);
    const name = `${meta.name ?? 'object'}.${randomBytes(8).toString('hex')}`.slice(0, 253);
    const body: Record<string, unknown> = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: microTimeString(now),
      reportingController: this.options.reportingController,
      reportingInstance: this.options.reportingInstance,
      action,
      reason,
      type,
      note: trimmed,
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
    };
    const entry: Series = { name, namespace, count: 1, written: 0, lastObserved: now, lastAttempt: -Infinity, timer: undefined, body: JSON.stringify(body), inFlight: undefined, queued: false };
    this.series.set(key, entry);
    this.trim();
    return this.kick(entry);
  }

  /** Series whose latest count is not yet on the API server (waiting, in flight or failed). */
  pendingWrites(): number {
    let pending = 0;
    for (const entry of this.series.values()) if (entry.count > entry.written || entry.inFlight !== undefined) pending++;
    return pending;
  }

  /**
   * Stops recording. Writes in flight finish, and the counts of Events that exist are written,
   * `writeBurst` at a time. Events not yet created are dropped (those still waiting for the budget
   * are counted in `dropped`): the budget would have held them past the shutdown anyway, and a
   * backlog of a thousand written at once would open as many connections to the API server just
   * as the next leader starts.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.waitingTimer !== undefined) this.clock.clearTimeout(this.waitingTimer);
    this.waitingTimer = undefined;
    this.droppedWrites += this.waiting.length;
    for (const entry of this.waiting.splice(0)) entry.queued = false;
    const inFlight: Promise<void>[] = [];
    for (const entry of this.series.values()) {
      if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
      entry.timer = undefined;
      if (entry.inFlight !== undefined) inFlight.push(entry.inFlight);
    }
    await Promise.all(inFlight);
    const owed = [...this.series.values()].filter((entry) => entry.written > 0 && entry.count > entry.written);
    const writers = Array.from({ length: Math.max(1, this.options.writeBurst ?? 25) }, async () => {
      for (let entry = owed.shift(); entry !== undefined; entry = owed.shift()) await this.write(entry);
    });
    await Promise.all(writers);
  }

  /**
   * Writes the entry now, or arms a timer when the last attempt was too recent. At most one
   * write or timer per series at a time; a write that finds newer occurrences when it ends
   * schedules the next one.
   */
  private kick(entry: Series): Promise<void> {
    if (entry.inFlight !== undefined || entry.timer !== undefined || entry.queued || this.stopped) return Promise.resolve();
    const wait = entry.lastAttempt + (this.options.minPatchIntervalMs ?? 15_000) - this.clock.now();
    if (wait > 0) {
      entry.timer = this.clock.setTimeout(() => {
        entry.timer = undefined;
        void this.kick(entry);
      }, wait);
      return Promise.resolve();
    }
    if (!this.takeToken()) {
      if (this.waiting.length >= (this.options.maxWaiting ?? 1024)) {
        this.droppedWrites += 1;
        this.logger.debug({ event: entry.name }, 'event write dropped: too many waiting for the write budget');
        return Promise.resolve();
      }
      entry.queued = true;
      this.waiting.push(entry);
      this.armWaiting();
      return Promise.resolve();
    }
    return this.start(entry);
  }

  private start(entry: Series): Promise<void> {
    entry.inFlight = this.write(entry).then((ok) => {
      entry.inFlight = undefined;
      // After a failure wait for the next occurrence instead of retrying forever (e.g. RBAC).
      if (ok && entry.count > entry.written) void this.kick(entry);
    });
    return entry.inFlight;
  }

  /** Tokens per second now: fewer while the work waits. */
  private refillRate(): number {
    return this.options.busy?.() === true ? (this.options.busyWritesPerSecond ?? 1) : (this.options.writesPerSecond ?? 5);
  }

  private takeToken(): boolean {
    const now = this.clock.now();
    const burst = this.options.writeBurst ?? 25;
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * this.refillRate());
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** One timer for every waiting series: it fires when the next token is due. */
  private armWaiting(): void {
    if (this.waitingTimer !== undefined || this.waiting.length === 0 || this.stopped) return;
    const dueMs = Math.max(1, Math.ceil(((1 - this.tokens) / this.refillRate()) * 1000));
    this.waitingTimer = this.clock.setTimeout(() => {
      this.waitingTimer = undefined;
      while (this.waiting.length > 0 && this.takeToken()) {
        const entry = this.waiting.shift() as Series;
        entry.queued = false;
        void this.start(entry);
      }
      this.armWaiting();
    }, dueMs);
  }

  /** Creates the Event (first occurrence, or after it expired) or patches its series. */
  private async write(entry: Series): Promise<boolean> {
    const count = entry.count;
    entry.lastAttempt = this.clock.now();
    const series = { series: { count, lastObservedTime: microTimeString(entry.lastObserved) } };
    try {
      if (entry.written === 0) {
        const stored = JSON.parse(entry.body) as Record<string, unknown>;
        const body = count > 1 ? { ...stored, ...series } : stored;
        await this.options.client.request('POST', resourcePath(Events, { namespace: entry.namespace }), { body });
      } else {
        await this.options.client.request('PATCH', resourcePath(Events, { namespace: entry.namespace, name: entry.name }), {
          body: series,
          contentType: MERGE_PATCH,
        });
      }
      entry.written = count;
      return true;
    } catch (error) {
      // Expired (Events live about an hour): the next write re-creates it under the same name.
      if (isNotFound(error)) entry.written = 0;
      this.logger.warn({ err: error, event: entry.name }, entry.written === 0 ? 'could not create event' : 'could not update event series');
      return false;
    }
  }

  private forget(key: string, entry: Series): void {
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    if (entry.queued) {
      entry.queued = false;
      this.waiting.splice(this.waiting.indexOf(entry), 1);
    }
    this.series.delete(key);
  }

  private trim(): void {
    const limit = this.options.cacheSize ?? 4096;
    for (const [key, entry] of this.series) {
      if (this.series.size <= limit) break;
      this.forget(key, entry);
    }
  }
}

function truncate(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = text.slice(0, maxBytes);
  while (Buffer.byteLength(out) > maxBytes - 3) out = out.slice(0, -1);
  return `${out}...`;
}
