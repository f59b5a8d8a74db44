export interface WaitOptions<T> {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 200 ms). */
  intervalMs?: number;
  /** Done when this returns true for the value; default: the value is truthy. */
  until?: (value: T) => boolean;
  /** Stop early with this error when it returns a message (e.g. a process died). */
  abortIf?: () => string | undefined;
}

/**
 * Polls `fn` until its value satisfies `until`. Errors thrown by `fn` count as "not yet"
 * (the API server refuses connections while it starts). On timeout the error names what
 * was awaited and the last value or error seen, which is what one needs to debug a hang.
 */
export async function waitFor<T>(
  description: string,
  fn: () => Promise<T> | T,
  options: WaitOptions<T> = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 200;
  const until = options.until ?? ((value: T) => Boolean(value));
  const started = Date.now();
  let last: { value: T } | { error: unknown } | undefined;
  for (;;) {
    const aborted = options.abortIf?.();
    if (aborted !== undefined) throw new Error(`gave up waiting for ${description}: ${aborted}`);
    try {
      const value = await fn();
      last = { value };
      if (until(value)) return value;
    } catch (error) {
      last = { error };
    }
    if (Date.now() - started >= timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}; last observed: ${describeLast(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describeLast(last: { value: unknown } | { error: unknown } | undefined): string {
  if (last === undefined) return 'nothing (no attempt finished)';
  if ('error' in last) {
    const error = last.error as { message?: unknown; code?: unknown; body?: unknown };
    const parts = [String(error?.message ?? last.error)];
    if (error?.code !== undefined) parts.push(`code ${String(error.code)}`);
    if (error?.body !== undefined) parts.push(`body ${truncate(safeJson(error.body))}`);
    return `error: ${parts.join(', ')}`;
  }
  return truncate(safeJson(withoutManagedFields(last.value)));
}

/** managedFields is bookkeeping that would fill the whole excerpt and hide status. */
function withoutManagedFields(value: unknown): unknown {
  const metadata = (value as { metadata?: Record<string, unknown> } | undefined)?.metadata;
  if (metadata === undefined || typeof metadata !== 'object' || !('managedFields' in metadata)) return value;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...(value as object), metadata: rest };
}

function safeJson(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

function truncate(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more chars)` : text;
}
