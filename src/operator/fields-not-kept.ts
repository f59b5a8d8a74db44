/**
 * Remembers children whose applied fields the API server did not keep: the answer to an apply
 * already lacked or changed them (a CRD schema that prunes unknown fields, a mutating webhook).
 * Without this, every watch event from our own apply would look like drift and the operator
 * would re-apply in a tight loop. A recorded child is re-applied only when its desired object
 * changes (a new digest) or after a backoff that doubles up to a ceiling, in case the cause was
 * fixed (e.g. the CRD was upgraded).
 */
export interface NotKept {
  readonly digest: string;
  readonly paths: readonly string[];
  /** When the next apply may be tried (epoch ms). */
  readonly retryAt: number;
  readonly backoffMs: number;
}

export class FieldsNotKept {
  private readonly entries = new Map<string, NotKept>();

  constructor(
    private readonly initialBackoffMs = 60_000,
    private readonly maxBackoffMs = 30 * 60_000,
  ) {}

  /** Records that the apply of `digest` to `child` came back without `paths`. */
  record(child: string, digest: string, paths: readonly string[], now: number): NotKept {
    const before = this.entries.get(child);
    const backoffMs = before?.digest === digest ? Math.min(before.backoffMs * 2, this.maxBackoffMs) : this.initialBackoffMs;
    const entry = { digest, paths, backoffMs, retryAt: now + backoffMs };
    this.entries.set(child, entry);
    return entry;
  }

  /** The apply came back whole: nothing to remember. */
  clear(child: string): void {
    this.entries.delete(child);
  }

  /** Forget every child of a server (it was deleted). */
  clearPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /**
   * The entry for `child` if it still holds for `digest`; paths in it are not drift until
   * `retryAt`. A changed digest means a new desired object: forget the old entry.
   */
  current(child: string, digest: string | undefined): NotKept | undefined {
    const entry = this.entries.get(child);
    if (entry === undefined) return undefined;
    if (entry.digest !== digest) {
      this.entries.delete(child);
      return undefined;
    }
    return entry;
  }
}
