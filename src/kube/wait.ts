/** Polling with a deadline; the CLI's waits are short and polling survives any API hiccup. */
import { TimeoutError } from './errors.js';

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Called after every attempt that did not satisfy the condition (progress display). */
  onPending?: (elapsedMs: number) => void;
  /** Aborts the wait (e.g. Ctrl-C). */
  signal?: AbortSignal;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Calls `check` until it returns a value other than undefined; throws TimeoutError with
 * `describe()` (what is still missing) once `timeoutMs` has passed.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  describe: () => string,
  options: PollOptions,
): Promise<T> {
  const started = Date.now();
  const interval = options.intervalMs ?? 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const elapsed = Date.now() - started;
    if (elapsed >= options.timeoutMs || options.signal?.aborted === true) {
      throw new TimeoutError(`timed out after ${Math.round(elapsed / 1000)} s: ${describe()}`);
    }
    options.onPending?.(elapsed);
    await sleep(Math.min(interval, Math.max(0, options.timeoutMs - elapsed)), options.signal);
  }
}
