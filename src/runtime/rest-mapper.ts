/**
 * Maps an object's apiVersion and kind to its resource (plural, scope) through API discovery,
 * so helpers like applyObject can write any kind — including custom resources installed after
 * start-up — without a hand-written table. Built-in kinds the runtime uses are known up front
 * and never cost a request. The one REST mapper of the project: the operator and the CLI both
 * resolve kinds here.
 */
import { isNotFound, KindNotServedError } from './kube-errors.js';
import type { KubeClient } from './kube-http.js';
import { BUILTIN_TYPES, resourcePath, type ResourceType } from './resources.js';

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

export class RestMapper {
  private readonly types = new Map<string, ResourceType>();
  /** groupVersion → when it was last discovered, and whether the API server serves it */
  private readonly discovered = new Map<string, { at: number; served: boolean }>();

  constructor(
    private readonly client: KubeClient,
    known: readonly ResourceType[] = BUILTIN_TYPES,
    /**
     * Rediscover a group at most this often when asked for an unknown kind (default 10 s; a
     * CLI that has just applied a CRD passes 0 to see it at once).
     */
    private readonly refreshMs = 10_000,
  ) {
    for (const type of known) this.register(type);
  }

  register(type: ResourceType): void {
    this.types.set(`${type.apiVersion}|${type.kind}`, type);
  }

  /** The resource of a kind; KindNotServedError when the API server does not serve it. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceType> {
    const key = `${apiVersion}|${kind}`;
    const known = this.types.get(key);
    if (known !== undefined) return known;
    const last = this.discovered.get(apiVersion);
    if (last === undefined || Date.now() - last.at >= this.refreshMs) await this.discover(apiVersion);
    const found = this.types.get(key);
    if (found === undefined) throw new KindNotServedError(apiVersion, kind);
    return found;
  }

  /** Whether the API server serves a group/version at all (asks discovery, unless asked within refreshMs). */
  async served(apiVersion: string): Promise<boolean> {
    const last = this.discovered.get(apiVersion);
    if (last !== undefined && Date.now() - last.at < this.refreshMs) return last.served;
    return this.discover(apiVersion);
  }

  /** URL path of a kind's collection (no name) or of one object. */
  async pathFor(apiVersion: string, kind: string, namespace: string | undefined, name?: string): Promise<string> {
    const type = await this.resolve(apiVersion, kind);
    if (type.namespaced && (namespace === undefined || namespace === '')) throw new Error(`${kind} ${name ?? ''} needs a namespace`.trim());
    return resourcePath(type, { namespace, ...(name !== undefined ? { name } : {}) });
  }

  private async discover(apiVersion: string): Promise<boolean> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let list: ApiResourceList | undefined;
    try {
      list = await this.client.request<ApiResourceList>('GET', path);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.discovered.set(apiVersion, { at: Date.now(), served: list !== undefined });
    for (const r of list?.resources ?? []) {
      // Subresources (deployments/status) share the kind; only the main resource maps.
      if (!r.name.includes('/')) this.register({ apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced });
    }
    return list !== undefined;
  }
}

const mappers = new WeakMap<KubeClient, RestMapper>();

/** One shared mapper per client. */
export function restMapperFor(client: KubeClient): RestMapper {
  let mapper = mappers.get(client);
  if (mapper === undefined) mappers.set(client, (mapper = new RestMapper(client)));
  return mapper;
}
