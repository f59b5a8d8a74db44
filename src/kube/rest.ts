/**
 * The CLI's handle on the Kubernetes API: the one client (src/runtime/kube-http.ts: raw JSON,
 * keep-alive, TLS and authentication from client-node's KubeConfig) and the one REST mapper
 * (src/runtime/rest-mapper.ts), plus what a command needs on top: GET-or-undefined, paging,
 * and the server and context to name in messages.
 *
 * Why not the generated clients: they re-serialize built-in kinds through their models, which
 * drops fields the models do not know, and return models (Date objects, renamed keys) — see the
 * stack notes. Server-side apply, dry runs and diffs must see the API server's JSON as it is.
 */
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { isNotFound } from '../runtime/kube-errors.js';
import { KubeClient, type Query, type RequestOptions } from '../runtime/kube-http.js';
import { RestMapper } from '../runtime/rest-mapper.js';
import { BUILTIN_TYPES } from '../runtime/resources.js';

export type { Query, RequestOptions };

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  items: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

export class KubeRest {
  readonly server: string;
  readonly context: string;
  /** The one client underneath (library functions take it). */
  readonly client: KubeClient<KubeConfig>;
  /**
   * Kinds to resources. A command may apply a CRD and then an object of its kind a moment
   * later, so an unknown kind is always rediscovered (refresh 0).
   */
  readonly mapper: RestMapper;

  constructor(
    readonly kc: KubeConfig,
    timeoutMs = 30_000,
  ) {
    this.client = new KubeClient(kc, { timeoutMs, userAgent: 'mcp-runtime-cli' });
    this.mapper = new RestMapper(this.client, BUILTIN_TYPES, 0);
    if (kc.getCurrentCluster() === null) throw new Error('kubeconfig has no current cluster');
    this.server = this.client.server;
    this.context = this.client.context;
  }

  /** The user name the kubeconfig authenticates as (for messages). */
  get userName(): string {
    return this.kc.getCurrentUser()?.name ?? 'unknown';
  }

  request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.client.request<T>(method, path, options);
  }

  /** A streamed GET (pod logs): the response once the API server answered 200. Aborting `signal` ends the stream. */
  stream(path: string, query: Query, signal: AbortSignal): Promise<IncomingMessage> {
    return this.client.stream(path, query, signal);
  }

  get<T = KubeObject>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  /** GET that returns undefined on 404. */
  async find<T = KubeObject>(path: string, query?: Query): Promise<T | undefined> {
    try {
      return await this.get<T>(path, query);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Lists every page. */
  async list<T = KubeObject>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const page = await this.get<KubeList<T>>(path, { ...query, limit: 500, continue: token });
      items.push(...(page.items ?? []));
      token = page.metadata?.continue || undefined;
    } while (token !== undefined);
    return items;
  }

  /** URL path of one object (KindNotServedError when its kind is not served). */
  objectPath(obj: KubeObject): Promise<string> {
    return this.mapper.pathFor(obj.apiVersion ?? 'v1', obj.kind ?? '', obj.metadata?.namespace, obj.metadata?.name ?? '');
  }

  /** GET /version: { gitVersion, platform, ... }. */
  version(): Promise<{ gitVersion?: string; platform?: string; major?: string; minor?: string }> {
    return this.get('/version');
  }
}
