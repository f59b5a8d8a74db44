/**
 * Watches (list + watch, not polling) the benchmark namespace's MCPServers and their children
 * and resolves waits like "all N Deployments exist" or "all N servers Ready at generation 2"
 * at the moment the deciding event arrives. Counting is incremental (a Set per wait), so a
 * wait costs O(1) per event however many servers there are.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { MCPServers } from '../src/operator/types.js';
import { Deployments, Informer, Ingresses, keyOf, Services, TraefikMiddlewares, type KubeClient, type ResourceType } from '../src/runtime/index.js';

export type Obj = KubernetesObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

export const CHILD_TYPES: readonly ResourceType[] = [Deployments, Services, Ingresses, TraefikMiddlewares];

export interface WaitResult {
  /** performance.now() when the condition became true. */
  at: number;
}

export class ClusterTracker {
  readonly servers: Informer<Obj>;
  readonly children: Map<string, Informer<Obj>>;

  constructor(client: KubeClient, namespace: string) {
    this.servers = new Informer<Obj>({ client, type: MCPServers, namespaces: namespace, name: 'bench-mcpservers' });
    this.children = new Map(CHILD_TYPES.map((type) => [type.kind, new Informer<Obj>({ client, type, namespaces: namespace, name: `bench-${type.plural}` })]));
  }

  private all(): Informer<Obj>[] {
    return [this.servers, ...this.children.values()];
  }

  async start(signal?: AbortSignal): Promise<void> {
    for (const informer of this.all()) informer.start();
    for (const informer of this.all()) {
      if (!(await informer.waitForSync(signal))) throw new Error(`informer ${informer.name} did not sync`);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((i) => i.stop()));
  }

  /**
   * Resolves when at least `count` objects of `informer` satisfy `predicate` (evaluated on
   * every add/update; deletes remove). Rejects after `timeoutMs` with a description of the
   * objects that still do not satisfy it, or when `signal` aborts.
   */
  waitForCount(
    description: string,
    informer: Informer<Obj>,
    count: number,
    predicate: (obj: Obj) => boolean,
    options: { timeoutMs: number; signal?: AbortSignal; onProgress?: (satisfied: number) => void },
  ): Promise<WaitResult> {
    return new Promise<WaitResult>((resolve, reject) => {
      const satisfied = new Set<string>();
      let done = false;
      const finish = (error?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(progress);
        options.signal?.removeEventListener('abort', onAbort);
        // Deferred: addHandlers replays the store synchronously and may finish before it returns.
        queueMicrotask(() => off());
        if (error === undefined) resolve({ at: performance.now() });
        else reject(error);
      };
      const check = (obj: Obj): void => {
        const key = keyOf(obj);
        if (predicate(obj)) satisfied.add(key);
        else satisfied.delete(key);
        if (satisfied.size >= count) finish();
      };
      const timer = setTimeout(() => {
        const pending = informer.store.list().filter((o) => !predicate(o));
        const sample = pending.slice(0, 3).map((o) => `${keyOf(o)}: ${JSON.stringify({ generation: o.metadata?.generation, status: o.status }).slice(0, 600)}`);
        finish(
          new Error(
            `timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${description}: ${satisfied.size}/${count} done, ` +
              `${informer.store.size} objects cached; e.g.\n  ${sample.join('\n  ')}`,
          ),
        );
      }, options.timeoutMs);
      const progress = setInterval(() => options.onProgress?.(satisfied.size), 10_000);
      const onAbort = (): void => finish(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let off: () => void = () => {};
      off = informer.addHandlers({
        add: check,
        update: (_old, obj) => check(obj),
        delete: (obj) => {
          satisfied.delete(keyOf(obj));
        },
      });
      if (options.signal?.aborted) onAbort();
    });
  }
}

export interface KindFootprint {
  objects: number;
  /** Mean JSON size of a cached object as the API server sent it. */
  meanJsonBytes: number;
  /** …of which metadata.managedFields. */
  meanManagedFieldsBytes: number;
}

/**
 * What an informer cache of these objects holds, per kind (the benchmark's informers see the
 * same objects the operator's do). JSON bytes understate heap use, but show what dominates.
 */
export function cacheFootprint(tracker: ClusterTracker): Record<string, KindFootprint> {
  const out: Record<string, KindFootprint> = {};
  for (const informer of [tracker.servers, ...tracker.children.values()]) {
    const objects = informer.store.list();
    let json = 0;
    let managed = 0;
    for (const o of objects) {
      json += JSON.stringify(o).length;
      managed += JSON.stringify(o.metadata?.managedFields ?? []).length;
    }
    const n = Math.max(1, objects.length);
    out[informer.type.kind] = { objects: objects.length, meanJsonBytes: Math.round(json / n), meanManagedFieldsBytes: Math.round(managed / n) };
  }
  return out;
}
