/**
 * Maps an object's apiVersion and kind to its resource (plural, scope) through API discovery,
 * so helpers like applyObject can write any kind — including custom resources installed after
 * start-up — without a hand-written table. Built-in kinds the runtime uses are known up front
 * and never cost a request.
 */
import type { KubeClient } from './kube-http.js';
import { BUILTIN_TYPES, type ResourceType } from './resources.js';

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

export class RestMapper {
  private readonly types = new Map<string, ResourceType>();
  /** groupVersion → when it was last discovered */
  private readonly discovered = new Map<string, number>();

  constructor(
    private readonly client: KubeClient,
    known: readonly ResourceType[] = BUILTIN_TYPES,
    /** Rediscover a group at most this often when asked for an unknown kind (default 10 s). */
    private readonly refreshMs = 10_000,
  ) {
    for (const type of known) this.register(type);
  }

  register(type: ResourceType): void {
    this.types.set(`${type.apiVersion}|${type.kind}`, type);
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceType> {
    const key = `${apiVersion}|${kind}`;
    const known = this.types.get(key);
    if (known !== undefined) return known;
    const last = this.discovered.get(apiVersion);
    if (last === undefined || Date.now() - last >= this.refreshMs) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const list = await this.client.request<ApiResourceList>('GET', path);
      this.discovered.set(apiVersion, Date.now());
      for (const r of list.resources ?? []) {
        // Subresources (deployments/status) share the kind; only the main resource maps.
        if (!r.name.includes('/')) this.register({ apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced });
      }
    }
    const found = this.types.get(key);
    if (found === undefined) throw new Error(`the API server does not serve kind ${kind} in ${apiVersion}`);
    return found;
  }
}

const mappers = new WeakMap<KubeClient, RestMapper>();

/** One shared mapper per client. */
export function restMapperFor(client: KubeClient): RestMapper {
  let mapper = mappers.get(client);
  if (mapper === undefined) mappers.set(client, (mapper = new RestMapper(client)));
  return mapper;
}
