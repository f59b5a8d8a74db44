/**
 * The CLI's view of the Kubernetes API: the runtime's raw JSON client (src/runtime/kube-http.ts,
 * TLS and authentication from client-node's KubeConfig) plus what a command needs on top —
 * discovery that says "this kind is not installed", paging, and errors that name the server
 * and context so src/cli/errors.ts can turn them into advice.
 *
 * Why not the generated clients: they re-serialize built-in kinds through their models, which
 * drops fields the models do not know, and return models (Date objects, renamed keys) — see the
 * stack notes. Server-side apply, dry runs and diffs must see the API server's JSON as it is,
 * and one request path gives one place where errors become actionable messages.
 */
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiError, KubeClient } from '../runtime/kube-http.js';
import { KubeApiError, KubeUnreachableError, type StatusBody } from './errors.js';

// One request shape for the CLI and the operator: KubeRest sits on the runtime's KubeClient.
import type { Query, RequestOptions } from '../runtime/kube-http.js';
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

export interface ResourceInfo {
  /** Plural resource name, e.g. `deployments`. */
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

/** The API group/version is not served at all (e.g. the CRD is not installed). */
export class KindNotServedError extends Error {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`the API server does not serve ${kind} (${apiVersion})`);
    this.name = 'KindNotServedError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ESOCKETTIMEDOUT',
]);

export function isNetworkErrorCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return NETWORK_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('CERT_') || code.includes('CERT') || code.includes('SELF_SIGNED');
}

/** What a network error code means, in words (for KubeUnreachableError). */
export function describeNetworkError(code: string | undefined, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the cluster running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return 'the request timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host';
    default:
      if (code !== undefined && (code.includes('CERT') || code.includes('SELF_SIGNED') || code.startsWith('ERR_TLS'))) {
        return `TLS verification failed (${code}): the kubeconfig's certificate authority does not match the server`;
      }
      return message;
  }
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export class KubeRest {
  readonly server: string;
  readonly context: string;
  private readonly discovery = new Map<string, ResourceInfo[] | null>();
  /** The runtime client underneath (for library functions that take a KubeClient). */
  readonly client: KubeClient;

  constructor(
    readonly kc: KubeConfig,
    timeoutMs = 30_000,
  ) {
    this.client = new KubeClient(kc, { timeoutMs, userAgent: 'mcp-runtime-cli' });
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new Error('kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
    this.context = kc.getCurrentContext();
  }

  /** The user name the kubeconfig authenticates as (for messages). */
  get userName(): string {
    return this.kc.getCurrentUser()?.name ?? 'unknown';
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    try {
      return await this.client.request<T>(method, path, options);
    } catch (error) {
      throw this.translate(error, method, path);
    }
  }

  /**
   * A streamed GET (pod logs): the response once the API server answered 200; KubeApiError or
   * KubeUnreachableError otherwise, as request() throws them. Aborting `signal` ends the stream.
   */
  async stream(path: string, query: Query, signal: AbortSignal): Promise<IncomingMessage> {
    try {
      return await this.client.stream(path, query, signal);
    } catch (error) {
      throw this.translate(error, 'GET', path);
    }
  }

  private translate(error: unknown, method: string, path: string): unknown {
    if (error instanceof ApiError) {
      const status: StatusBody = error.status ?? { code: error.code, message: `HTTP ${error.code}` };
      return new KubeApiError(error.code, status, method, path, this.server);
    }
    const code = (error as NodeJS.ErrnoException).code;
    const message = (error as Error).message ?? String(error);
    if (typeof code === 'string' && isNetworkErrorCode(code)) {
      return new KubeUnreachableError(this.server, this.context, code, describeNetworkError(code, message));
    }
    if (/timed out after/.test(message)) return new KubeUnreachableError(this.server, this.context, 'ETIMEDOUT', `no answer: ${message}`);
    return error;
  }

  get<T = KubeObject>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  /** GET that returns undefined on 404. */
  async find<T = KubeObject>(path: string, query?: Query): Promise<T | undefined> {
    try {
      return await this.get<T>(path, query);
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) return undefined;
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

  /** The resources of a group/version, or null when it is not served. Cached. */
  async resources(apiVersion: string, refresh = false): Promise<ResourceInfo[] | null> {
    if (!refresh && this.discovery.has(apiVersion)) return this.discovery.get(apiVersion) ?? null;
    const list = await this.find<{ resources?: ResourceInfo[] }>(groupVersionPath(apiVersion));
    const resources = list === undefined ? null : (list.resources ?? []).filter((r) => !r.name.includes('/'));
    this.discovery.set(apiVersion, resources);
    return resources;
  }

  /** Plural name and scope of a kind; throws KindNotServedError when the server does not know it. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let found = (await this.resources(apiVersion))?.find((r) => r.kind === kind);
    // A CRD applied a moment ago may not have been in the cached answer.
    if (found === undefined) found = (await this.resources(apiVersion, true))?.find((r) => r.kind === kind);
    if (found === undefined) throw new KindNotServedError(apiVersion, kind);
    return found;
  }

  /** URL path of a collection (name undefined) or of one object. */
  async pathFor(apiVersion: string, kind: string, namespace: string | undefined, name?: string): Promise<string> {
    const info = await this.resourceFor(apiVersion, kind);
    let path = groupVersionPath(apiVersion);
    if (info.namespaced) {
      if (namespace === undefined || namespace === '') throw new Error(`${kind} ${name ?? ''} needs a namespace`);
      path += `/namespaces/${encodeURIComponent(namespace)}`;
    }
    path += `/${info.name}`;
    if (name !== undefined) path += `/${encodeURIComponent(name)}`;
    return path;
  }

  objectPath(obj: KubeObject): Promise<string> {
    return this.pathFor(obj.apiVersion ?? 'v1', obj.kind ?? '', obj.metadata?.namespace, obj.metadata?.name ?? '');
  }

  /** GET /version: { gitVersion, platform, ... }. */
  version(): Promise<{ gitVersion?: string; platform?: string; major?: string; minor?: string }> {
    return this.get('/version');
  }
}
