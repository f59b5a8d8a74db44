/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package
 * (client-node has none):
 *
 * - acquire: create the Lease, or take it over when its holder is empty (released) or has not
 *   renewed for leaseDurationSeconds *as observed locally* (we time the holder's silence with
 *   our own clock from when we last saw the record change, so clock skew between replicas does
 *   not matter);
 * - every write carries the resourceVersion we read, so of two candidates racing for the same
 *   record exactly one wins (the other gets 409 Conflict);
 * - renew every retryPeriod; if no renewal succeeds within renewDeadline, leadership is lost:
 *   onStoppedLeading runs and run() returns (the manager then shuts the process down, as
 *   controller-runtime does, rather than risk two leaders);
 * - on stop, a leader releases the Lease (empty holder, leaseDurationSeconds 1) so a standby
 *   takes over at its next retry instead of waiting out the lease.
 *
 * Lease times are metav1.MicroTime: RFC 3339 with exactly six fractional digits; a plain
 * Date (three digits) is rejected by the API server. The Lease travels as plain JSON over the
 * project's one client (src/runtime/kube-http.ts), so its requests are counted like the rest.
 */
import { realClock, sleep, type Clock } from './clock.js';
import { microTimeString } from './events.js';
import { errorCode, isConflict, isNotFound } from './kube-errors.js';
import type { KubeClient } from './kube-http.js';
import { silentLogger, type Logger } from './logger.js';
import type { LeaderMetrics } from './metrics.js';
import { Leases, resourcePath } from './resources.js';

/** A coordination.k8s.io/v1 Lease as JSON (times are MicroTime strings). */
export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
    [key: string]: unknown;
  };
}

/** The three Lease calls leader election makes; a fake implements it in unit tests. */
export interface LeaseClient {
  readonly namespace: string;
  readonly name: string;
  /** The Lease, or undefined if it does not exist. */
  get(signal: AbortSignal): Promise<Lease | undefined>;
  /** Fails with a 409 when someone created it first. */
  create(lease: Lease, signal: AbortSignal): Promise<Lease>;
  /** Fails with a 409 when metadata.resourceVersion is stale. */
  replace(lease: Lease, signal: AbortSignal): Promise<Lease>;
}

/**
 * A LeaseClient on the project's one Kubernetes client: its requests are counted in
 * rest_client_requests_total like every other, and `signal` aborts them.
 */
export function coordinationLeaseClient(client: KubeClient, namespace: string, name: string): LeaseClient {
  const collection = resourcePath(Leases, { namespace });
  const one = resourcePath(Leases, { namespace, name });
  return {
    namespace,
    name,
    async get(signal) {
      try {
        return await client.request<Lease>('GET', one, { signal });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    create: (lease, signal) => client.request<Lease>('POST', collection, { body: lease, signal }),
    replace: (lease, signal) => client.request<Lease>('PUT', one, { body: lease, signal }),
  };
}

/** metav1.MicroTime for `ms`: RFC 3339 with exactly six fractional digits, as the API server requires. */
export function microTime(ms: number): string {
  return microTimeString(ms);
}

export interface LeaderElectorOptions {
  lock: LeaseClient;
  /** Unique per candidate (pod name + random suffix is usual). */
  identity: string;
  /** How long a holder's silence is tolerated before others take over (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a failing renewal before giving up (default 10 s). */
  renewDeadlineMs?: number;
  /** Pause between attempts (default 2 s; acquisition attempts are jittered up to ×2.2). */
  retryPeriodMs?: number;
  /** Release the Lease when stopped while leading (default true). */
  releaseOnCancel?: boolean;
  /** Called on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading?: (signal: AbortSignal) => void;
  /** Called when leadership ends (lost, or stopped). */
  onStoppedLeading?: () => void;
  /** Called whenever a different holder is observed. */
  onNewLeader?: (identity: string) => void;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  metrics?: LeaderMetrics;
}

const JITTER_FACTOR = 1.2;

export class LeaderElector {
  private readonly options: LeaderElectorOptions;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly stopSignal = new AbortController();

  private observed: Lease | undefined;
  private observedKey = '';
  private observedAt = 0;
  private leader = false;
  private running: Promise<void> | undefined;
  private lastLeader: string | undefined;

  constructor(options: LeaderElectorOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.logger = (options.logger ?? silentLogger()).child({ lease: `${options.lock.namespace}/${options.lock.name}`, identity: options.identity });
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (options.identity === '') throw new Error('leader election identity must not be empty');
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod × 1.2');
    if (this.leaseDurationMs % 1000 !== 0) throw new Error('leaseDuration must be whole seconds (the Lease stores seconds)');
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** The holder last observed ('' when released, undefined before the first read). */
  get observedLeader(): string | undefined {
    return this.lastLeader;
  }

  /**
   * Campaigns until leading, then renews until leadership is lost or stop() is called.
   * Resolves when it is over; a stopped elector cannot be run again.
   */
  run(): Promise<void> {
    this.running ??= this.campaign();
    return this.running;
  }

  /** Stops campaigning or renewing; a leader releases the Lease first (if releaseOnCancel). */
  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.running;
  }

  private async campaign(): Promise<void> {
    const signal = this.stopSignal.signal;
    this.options.metrics?.leading(false);
    if (!(await this.acquire(signal))) return;
    this.leader = true;
    this.options.metrics?.leading(true);
    this.logger.info('became leader');
    const leading = new AbortController();
    this.safely('onStartedLeading', () => this.options.onStartedLeading?.(leading.signal));
    await this.renew(signal);
    this.leader = false;
    this.options.metrics?.leading(false);
    leading.abort();
    if (signal.aborted && (this.options.releaseOnCancel ?? true)) await this.release();
    if (!signal.aborted) this.logger.error('leadership lost');
    this.safely('onStoppedLeading', () => this.options.onStoppedLeading?.());
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    this.logger.info('attempting to acquire leader lease');
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(this.renewDeadlineMs, signal)) return true;
      await sleep(this.clock, this.retryPeriodMs * (1 + this.random() * JITTER_FACTOR), signal);
    }
    return false;
  }

  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // Acquiring just wrote the Lease, and every renewal is followed by a pause.
      await sleep(this.clock, this.retryPeriodMs, signal);
      if (signal.aborted) return;
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted) {
        const remaining = deadline - this.clock.now();
        if (remaining <= 0) break;
        renewed = await this.tryAcquireOrRenew(remaining, signal);
        if (renewed) break;
        await sleep(this.clock, Math.min(this.retryPeriodMs, Math.max(0, deadline - this.clock.now())), signal);
      }
      if (signal.aborted || !renewed) return;
    }
  }

  /** One attempt; false on any failure (logged), never throws. */
  private async tryAcquireOrRenew(timeoutMs: number, stop: AbortSignal): Promise<boolean> {
    const attempt = new AbortController();
    const onStop = (): void => attempt.abort();
    stop.addEventListener('abort', onStop, { once: true });
    const timer = this.clock.setTimeout(() => attempt.abort(new Error('lease request timed out')), timeoutMs);
    try {
      return await this.attempt(attempt.signal);
    } catch (error) {
      if (!stop.aborted) this.logger.warn({ err: error, code: errorCode(error) }, 'lease update failed');
      return false;
    } finally {
      this.clock.clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
    }
  }

  private async attempt(signal: AbortSignal): Promise<boolean> {
    const { lock, identity } = this.options;
    const now = this.clock.now();
    const durationSeconds = this.leaseDurationMs / 1000;

    // Fast path: the leader renews from its last write without reading first (client-go does
    // the same); a conflict means someone else wrote, so fall back to a read.
    if (this.leader && this.observed?.spec?.holderIdentity === identity && this.isValid(now)) {
      try {
        const renewed = await lock.replace(this.next(this.observed, now, durationSeconds), signal);
        this.observe(renewed, this.clock.now());
        return true;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }

    const current = await lock.get(signal);
    if (current === undefined) {
      const created = await this.tryWrite(() =>
        lock.create(
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: lock.name, namespace: lock.namespace },
            spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
          },
          signal,
        ),
      );
      if (created !== undefined) this.observe(created, this.clock.now());
      return created !== undefined;
    }

    this.observe(current, now);
    const holder = current.spec?.holderIdentity ?? '';
    if (holder !== '' && holder !== identity && this.isValid(now)) return false;
    const written = await this.tryWrite(() => lock.replace(this.next(current, now, durationSeconds), signal));
    if (written !== undefined) this.observe(written, this.clock.now());
    return written !== undefined;
  }

  /** The record we write: us as holder; acquireTime and transitions change only on takeover. */
  private next(current: Lease, now: number, durationSeconds: number): Lease {
    const spec: NonNullable<Lease['spec']> = current.spec ?? {};
    const takeover = spec.holderIdentity !== this.options.identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...current.metadata },
      spec: {
        ...spec,
        holderIdentity: this.options.identity,
        leaseDurationSeconds: durationSeconds,
        // Re-format what was read back so every time we send has exactly six digits.
        acquireTime: takeover || spec.acquireTime === undefined ? microTime(now) : microTime(new Date(spec.acquireTime).getTime()),
        renewTime: microTime(now),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (takeover ? 1 : 0),
      },
    };
  }

  /** Writes; a 409 (lost the race, or stale resourceVersion) yields undefined. */
  private async tryWrite(write: () => Promise<Lease>): Promise<Lease | undefined> {
    try {
      return await write();
    } catch (error) {
      if (isConflict(error)) {
        this.logger.debug('lost a lease write race (409)');
        return undefined;
      }
      throw error;
    }
  }

  /** Remembers the record; restarts the local expiry clock only when the record changed. */
  private observe(lease: Lease, now: number): void {
    const spec = lease.spec ?? {};
    const key = `${spec.holderIdentity ?? ''}|${String(spec.renewTime ?? '')}|${spec.leaseTransitions ?? 0}`;
    if (key !== this.observedKey) {
      this.observedKey = key;
      this.observedAt = now;
    }
    this.observed = lease;
    const holder = spec.holderIdentity ?? '';
    if (holder !== this.lastLeader) {
      this.lastLeader = holder;
      if (holder !== '') {
        this.logger.info({ leader: holder }, 'new leader observed');
        this.safely('onNewLeader', () => this.options.onNewLeader?.(holder));
      }
    }
  }

  private isValid(now: number): boolean {
    const seconds = this.observed?.spec?.leaseDurationSeconds ?? this.leaseDurationMs / 1000;
    return this.observedAt + seconds * 1000 > now;
  }

  /**
   * Hands the Lease over: empty holder and a 1 s duration, so a standby takes it at once.
   * A renewal cut short by stop() may still have been written, leaving our resourceVersion
   * stale: on a conflict, re-read and retry while the Lease is still ours.
   */
  private async release(): Promise<void> {
    const attempt = new AbortController();
    const timer = this.clock.setTimeout(() => attempt.abort(new Error('lease release timed out')), this.renewDeadlineMs);
    try {
      let lease = this.observed;
      for (let tries = 0; tries < 3; tries += 1) {
        if (lease === undefined || lease.spec?.holderIdentity !== this.options.identity) return;
        const now = this.clock.now();
        try {
          const released = await this.options.lock.replace(
            {
              apiVersion: 'coordination.k8s.io/v1',
              kind: 'Lease',
              metadata: { ...lease.metadata },
              spec: {
                holderIdentity: '',
                leaseDurationSeconds: 1,
                acquireTime: microTime(now),
                renewTime: microTime(now),
                leaseTransitions: lease.spec?.leaseTransitions ?? 0,
              },
            },
            attempt.signal,
          );
          this.observe(released, now);
          this.logger.info('released leader lease');
          return;
        } catch (error) {
          if (!isConflict(error)) throw error;
          lease = await this.options.lock.get(attempt.signal);
        }
      }
      throw new Error('the Lease kept changing');
    } catch (error) {
      // Not fatal: the standby takes over when the lease expires instead.
      this.logger.warn({ err: error }, 'failed to release leader lease');
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.error({ err: error }, `${what} callback threw`);
    }
  }
}
