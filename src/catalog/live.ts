/**
 * The catalog fed by an MCPServer informer (list + watch, self-healing: src/runtime/informer.ts).
 * Read-only and without leader election: any number of catalog processes can run, each with
 * its own cache. Needs only `list` and `watch` on mcpservers.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { MCPSERVER_RESOURCE } from '../api/v1alpha1/group.js';
import { Informer, type InformerNamespaces, type KubeClient, type Logger } from '../runtime/index.js';
import type { MCPServerLike } from './entry.js';
import type { CatalogView } from './handler.js';
import { MemoryCatalog, type MemoryCatalogOptions } from './memory-catalog.js';
import type { CatalogEntry } from './types.js';

export interface LiveCatalogOptions extends MemoryCatalogOptions {
  client: KubeClient;
  /** 'all' (default) or the namespaces to list. */
  namespaces?: InformerNamespaces;
  logger?: Logger;
}

// Objects arrive as raw JSON (timestamps are strings), which is what MCPServerLike describes.
const asServer = (obj: KubernetesObject): MCPServerLike => obj as unknown as MCPServerLike;

export class LiveCatalog implements CatalogView {
  private readonly catalog: MemoryCatalog;
  private readonly informer: Informer<KubernetesObject>;

  constructor(options: LiveCatalogOptions) {
    this.catalog = new MemoryCatalog(options);
    this.informer = new Informer({
      client: options.client,
      type: MCPSERVER_RESOURCE,
      namespaces: options.namespaces ?? 'all',
      name: 'catalog-mcpservers',
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    this.informer.addHandlers({
      add: (obj) => this.catalog.upsert(asServer(obj)),
      update: (_old, obj) => this.catalog.upsert(asServer(obj)),
      delete: (obj) => this.catalog.remove(asServer(obj)),
    });
  }

  start(): void {
    this.informer.start();
    // The store is complete once every namespace was listed; only then may the API answer.
    void this.informer.waitForSync().then((synced) => {
      if (synced) this.catalog.markSynced();
    });
  }

  /** Resolves true once the first list of every namespace is in, false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const synced = await this.informer.waitForSync(signal);
    if (synced) this.catalog.markSynced();
    return synced;
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  entries(): readonly CatalogEntry[] {
    return this.catalog.entries();
  }

  get(name: string): CatalogEntry | undefined {
    return this.catalog.get(name);
  }

  ready(): boolean {
    return this.catalog.ready();
  }
}
