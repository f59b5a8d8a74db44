/**
 * The informer's in-memory cache: objects by key (`namespace/name`) plus secondary indexes
 * (namespace, owner UID, or any the caller adds).
 *
 * Objects in the store are shared with every handler and reader: NEVER mutate them. Copy
 * (structuredClone) before changing anything. With `freeze: true` the informer deep-freezes
 * objects as they enter, so an accidental mutation throws (in strict mode) instead of silently
 * corrupting the cache; tests should turn it on.
 *
 * Only the informer writes to the store (upsert/remove/replace); everyone else reads.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { keyOf } from './keys.js';

/** Values an object is indexed under (e.g. its owners' UIDs). */
export type IndexFunc<T> = (obj: T) => readonly string[];

/** Built-in index: objects by metadata.namespace ('' for cluster-scoped objects). */
export const NAMESPACE_INDEX = 'namespace';
/** Built-in index: objects by the UID of each of their ownerReferences. */
export const OWNER_UID_INDEX = 'ownerUid';

export const namespaceIndex: IndexFunc<KubernetesObject> = (obj) => [obj.metadata?.namespace ?? ''];
export const ownerUidIndex: IndexFunc<KubernetesObject> = (obj) => (obj.metadata?.ownerReferences ?? []).map((ref) => ref.uid);

export interface ReplaceResult<T> {
  added: T[];
  updated: { old: T; obj: T }[];
  deleted: T[];
}

export class Store<T extends KubernetesObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → value → keys */
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.addIndexer(NAMESPACE_INDEX, namespaceIndex);
    this.addIndexer(OWNER_UID_INDEX, ownerUidIndex);
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace !== undefined && namespace !== '' ? `${namespace}/${name}` : name);
  }

  /** All objects, or those of one namespace. */
  list(namespace?: string): T[] {
    return namespace === undefined ? [...this.items.values()] : this.byIndex(NAMESPACE_INDEX, namespace);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indexes.get(indexName);
    if (index === undefined) throw new Error(`no index named "${indexName}"`);
    const keys = index.get(value);
    if (keys === undefined) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.items.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }

  /** Adds (or replaces) an index and builds it from the current contents. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indexes.set(name, index);
    for (const [key, obj] of this.items) addToIndex(index, fn(obj), key);
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes by key; returns the removed object. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    this.unindex(key, old);
    return old;
  }

  /**
   * Makes the part of the store selected by `inScope` equal to `objects` (a relist) and
   * reports what changed. Objects whose resourceVersion did not change count as unchanged.
   */
  replace(objects: readonly T[], inScope: (obj: T) => boolean = () => true): ReplaceResult<T> {
    const result: ReplaceResult<T> = { added: [], updated: [], deleted: [] };
    const seen = new Set<string>();
    for (const obj of objects) {
      const key = keyOf(obj);
      seen.add(key);
      const old = this.upsert(obj);
      if (old === undefined) result.added.push(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) result.updated.push({ old, obj });
    }
    for (const [key, obj] of [...this.items]) {
      if (!seen.has(key) && inScope(obj)) {
        this.remove(key);
        result.deleted.push(obj);
      }
    }
    return result;
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) addToIndex(this.indexes.get(name) as Map<string, Set<string>>, fn(obj), key);
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indexes.get(name) as Map<string, Set<string>>;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (keys === undefined) index.set(value, (keys = new Set()));
    keys.add(key);
  }
}

/** Freezes an object and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
