/**
 * Jittered exponential backoff for reconnect loops (informer watches, leader election).
 * Jitter spreads many clients that failed together (an API server restart) so they do not
 * reconnect in lockstep.
 */
export interface BackoffOptions {
  /** First delay (default 800 ms, client-go's reflector value). */
  initialMs?: number;
  /** Upper bound before jitter (default 30 s). */
  maxMs?: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /** Up to this fraction of the delay is added at random (default 0.5). */
  jitter?: number;
  /** Source of randomness in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.5;
    this.random = options.random ?? Math.random;
    if (this.initialMs <= 0 || this.maxMs < this.initialMs || this.factor < 1 || this.jitter < 0) {
      throw new Error('invalid backoff options');
    }
  }

  /** Delay before the next attempt; each call counts one more failure. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.failures);
    // Stop growing the exponent once capped, so it never overflows to Infinity.
    if (base < this.maxMs) this.failures += 1;
    return Math.round(base * (1 + this.jitter * this.random()));
  }

  /** Call after a success so the next failure starts small again. */
  reset(): void {
    this.failures = 0;
  }
}
