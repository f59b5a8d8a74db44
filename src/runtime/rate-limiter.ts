/**
 * Per-key retry delays for the work queue (client-go's ItemExponentialFailureRateLimiter):
 * every failure of a key doubles its next delay up to a cap; success forgets the key. Failing
 * keys back off on their own without slowing healthy ones.
 */
export interface RateLimiter<K> {
  /** Delay for the next retry of `key`; counts one more failure. */
  when(key: K): number;
  /** Clears the failure history of `key` (call after a successful reconcile). */
  forget(key: K): void;
  /** How many failures `key` has had since it was last forgotten. */
  retries(key: K): number;
}

export interface ExponentialRateLimiterOptions {
  /** Delay after the first failure (default 5 ms, as controller-runtime). */
  baseMs?: number;
  /** Cap (default 1000 s, as controller-runtime). */
  maxMs?: number;
}

export class ExponentialRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(options: ExponentialRateLimiterOptions = {}) {
    this.baseMs = options.baseMs ?? 5;
    this.maxMs = options.maxMs ?? 1_000_000;
    if (this.baseMs <= 0 || this.maxMs < this.baseMs) throw new Error('invalid rate limiter options');
  }

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2 ** n overflows to Infinity for large n; Math.min keeps the cap either way.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  retries(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}
