/**
 * The two calls an informer makes, behind an interface so the informer's state machine can be
 * unit-tested with a scripted fake and run against the real API server with `apiListWatcher`.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient, Query, WatchEvent } from './kube-http.js';
import { resourcePath, type ResourceType } from './resources.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (continue tokens are followed until the list is complete). */
  limit?: number;
}

export interface ListResult<T> {
  items: T[];
  /** The collection's resourceVersion: where the following watch starts. */
  resourceVersion: string;
}

export interface WatchOptions {
  resourceVersion: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side watch timeout; the server closes the stream cleanly after it. */
  timeoutSeconds?: number;
}

export interface ListWatcher<T extends KubernetesObject> {
  /** Lists `namespace` ('' or undefined: all namespaces / cluster-scoped). */
  list(namespace: string | undefined, options: ListOptions, signal: AbortSignal): Promise<ListResult<T>>;
  /**
   * Watches from options.resourceVersion with bookmarks; resolves when the server closes the
   * stream or `signal` aborts; rejects on errors (ApiError 410 when the version is too old).
   */
  watch(
    namespace: string | undefined,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

interface RawList<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

/** List/watch through the raw client: objects arrive exactly as the API server sent them. */
export function apiListWatcher<T extends KubernetesObject>(client: KubeClient, type: ResourceType): ListWatcher<T> {
  return {
    async list(namespace, options, signal) {
      const path = resourcePath(type, { namespace });
      const items: T[] = [];
      let resourceVersion = '';
      let token: string | undefined;
      do {
        const query: Query = {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: options.limit,
          continue: token,
        };
        const page = await client.request<RawList<T>>('GET', path, { query, signal, timeoutMs: 120_000 });
        // List items of built-in kinds carry no apiVersion/kind; restore them so cached
        // objects look the same whether they came from a list or a watch.
        for (const item of page.items ?? []) items.push({ ...item, apiVersion: type.apiVersion, kind: type.kind });
        resourceVersion = page.metadata?.resourceVersion ?? '';
        token = page.metadata?.continue !== undefined && page.metadata.continue !== '' ? page.metadata.continue : undefined;
      } while (token !== undefined);
      return { items, resourceVersion };
    },
    watch(namespace, options, onEvent, signal) {
      const query: Query = {
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: true,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        timeoutSeconds: options.timeoutSeconds,
      };
      return client.watch<T>(resourcePath(type, { namespace }), query, onEvent, signal);
    },
  };
}
