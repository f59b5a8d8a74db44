/**
 * The catalog's state: entries by registry name, plus tombstones of deleted servers.
 *
 * Deletion: when a server is deleted (or opts out with `catalog.publish: false`) its last entry
 * stays for `tombstoneTtlMs` (default 24 h) with status `deleted` and updatedAt = the moment the
 * catalog saw it go. Plain lists leave tombstones out; `updated_since` (and include_deleted=true)
 * include them, so a client syncing incrementally learns of the deletion. Tombstones live in
 * memory: after a restart, or once expired, a deleted server is simply absent (a client that
 * syncs less often than the TTL must do a full list).
 *
 * Pure apart from the clock passed in; LiveCatalog feeds it from an informer.
 */
import { catalogEntry, type EntrySettings, type MCPServerLike } from './entry.js';
import type { CatalogView } from './handler.js';
import { registryName } from './names.js';
import type { CatalogEntry } from './types.js';

export const DEFAULT_TOMBSTONE_TTL_MS = 24 * 60 * 60 * 1000;

export interface MemoryCatalogOptions extends EntrySettings {
  tombstoneTtlMs?: number;
  now?: () => number;
}

function nameOf(obj: MCPServerLike, prefix: string): string | undefined {
  const { name, namespace } = obj.metadata ?? {};
  return name === undefined || namespace === undefined ? undefined : registryName(prefix, namespace, name);
}

export class MemoryCatalog implements CatalogView {
  private readonly live = new Map<string, CatalogEntry>();
  private readonly tombstones = new Map<string, { entry: CatalogEntry; expiresMs: number }>();
  /** Objects by Kubernetes key, to know which registry name an update or delete concerns. */
  private readonly byKey = new Map<string, MCPServerLike>();
  private sorted: CatalogEntry[] | undefined;
  private synced = false;
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(private readonly options: MemoryCatalogOptions) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.tombstoneTtlMs ?? DEFAULT_TOMBSTONE_TTL_MS;
  }

  /** A server was added or changed. */
  upsert(obj: MCPServerLike): void {
    const key = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    this.byKey.set(key, obj);
    const entry = catalogEntry(obj, this.options);
    const name = nameOf(obj, this.options.namePrefix);
    if (name === undefined) return;
    if (entry === undefined) this.bury(name, obj);
    else {
      this.live.set(name, entry);
      this.tombstones.delete(name);
    }
    this.sorted = undefined;
  }

  /** A server was deleted (its last known state). */
  remove(obj: MCPServerLike): void {
    const key = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    const last = this.byKey.get(key) ?? obj;
    this.byKey.delete(key);
    const name = nameOf(last, this.options.namePrefix);
    if (name !== undefined) this.bury(name, last);
    this.sorted = undefined;
  }

  markSynced(): void {
    this.synced = true;
  }

  ready(): boolean {
    return this.synced;
  }

  get(name: string): CatalogEntry | undefined {
    this.expire();
    return this.live.get(name) ?? this.tombstones.get(name)?.entry;
  }

  entries(): readonly CatalogEntry[] {
    if (this.expire() || this.sorted === undefined) {
      this.sorted = [...this.live.values(), ...[...this.tombstones.values()].map((t) => t.entry)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    return this.sorted;
  }

  /** Replaces a live entry by its tombstone (only a server that was listed leaves one). */
  private bury(name: string, obj: MCPServerLike): void {
    const was = this.live.get(name);
    if (was === undefined) return;
    this.live.delete(name);
    const now = this.now();
    // The tombstone shows the last published state, not the opted-out one.
    const published = { ...obj, spec: { ...(obj.spec as object), catalog: { ...((obj.spec as { catalog?: object } | undefined)?.catalog ?? {}), publish: true } } };
    const entry = catalogEntry(published, this.options, Math.max(now, was.updatedMs));
    if (entry !== undefined) this.tombstones.set(name, { entry, expiresMs: now + this.ttlMs });
  }

  /** Drops expired tombstones; true when any went. */
  private expire(): boolean {
    const now = this.now();
    let changed = false;
    for (const [name, t] of this.tombstones) {
      if (t.expiresMs <= now) {
        this.tombstones.delete(name);
        changed = true;
      }
    }
    if (changed) this.sorted = undefined;
    return changed;
  }
}
