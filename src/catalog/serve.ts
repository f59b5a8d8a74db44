/** `catalog serve` as a library function: informer + HTTP server until the signal aborts. */
import { MCPSERVER_RESOURCE } from '../api/v1alpha1/group.js';
import { resourcePath, type KubeClient, type Logger } from '../runtime/index.js';
import { serveCatalog, type CatalogServer } from './http-server.js';
import { LiveCatalog } from './live.js';
import type { ListenAddress } from './settings.js';

/** One list call per namespace (limit 1): a missing CRD or RBAC rule fails here with the API's error. */
export async function checkCanList(client: KubeClient, namespaces: 'all' | readonly string[]): Promise<void> {
  for (const namespace of namespaces === 'all' ? [undefined] : namespaces) {
    await client.request('GET', resourcePath(MCPSERVER_RESOURCE, { namespace }), { query: { limit: 1 } });
  }
}

export interface RunCatalogOptions {
  client: KubeClient;
  namespaces: 'all' | readonly string[];
  namePrefix: string;
  listen: ListenAddress;
  signal: AbortSignal;
  logger?: Logger;
  /** Called once serving, with the base URL and the number of servers listed. */
  onListening?: (url: string, count: number) => void;
}

/** Lists, then serves until `signal` aborts; closes everything before returning. */
export async function runCatalog(options: RunCatalogOptions): Promise<void> {
  const catalog = new LiveCatalog({
    client: options.client,
    namespaces: options.namespaces === 'all' ? 'all' : [...options.namespaces],
    namePrefix: options.namePrefix,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  catalog.start();
  let server: CatalogServer | undefined;
  try {
    if (!(await catalog.waitForSync(options.signal))) return;
    server = await serveCatalog(catalog, options.listen.host, options.listen.port);
    options.onListening?.(server.url, catalog.entries().filter((e) => !e.deleted).length);
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await server?.close();
    await catalog.stop();
  }
}
