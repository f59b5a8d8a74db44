/**
 * The route index: which servers claim which host + path. Kept as an informer index so a
 * conflict check costs a lookup, not a scan of every server, and so that freeing a route
 * re-queues the servers waiting for it.
 */
import { MCPServerSpecSchema, type MCPServer } from '../api/v1alpha1/index.js';
import { resolveServer, type OperatorSettings } from '../../charts-ts/server/index.js';
import type { RouteClaim } from './conflicts.js';
import type { MCPServerObject } from './types.js';

export const ROUTE_INDEX = 'route';

export function asMCPServer(obj: MCPServerObject): MCPServer | undefined {
  const spec = MCPServerSpecSchema.safeParse(obj.spec);
  if (!spec.success || obj.metadata?.name === undefined) return undefined;
  return { ...(obj as unknown as MCPServer), metadata: { ...obj.metadata, name: obj.metadata.name }, spec: spec.data };
}

/**
 * The route claims of one operator's servers, remembered by server uid for one generation: a
 * claim is read for every server event (the route index) and twice per reconcile, and computing
 * it validates the spec and resolves the server, while only a spec change (a new generation)
 * can change it. One per operator (its settings never change); bounded, oldest first out.
 */
export class RouteClaims {
  private readonly memo = new Map<string, { generation: number; deleting: boolean; claim: RouteClaim | undefined }>();

  constructor(
    readonly settings: OperatorSettings,
    private readonly limit = 20_000,
  ) {}

  claim(obj: MCPServerObject): RouteClaim | undefined {
    const uid = obj.metadata?.uid;
    const generation = obj.metadata?.generation;
    const deleting = obj.metadata?.deletionTimestamp !== undefined;
    if (uid === undefined || generation === undefined) return routeClaim(obj, this.settings);
    const known = this.memo.get(uid);
    if (known !== undefined && known.generation === generation && known.deleting === deleting) return known.claim;
    const claim = routeClaim(obj, this.settings);
    this.memo.delete(uid);
    this.memo.set(uid, { generation, deleting, claim });
    if (this.memo.size > this.limit) this.memo.delete(this.memo.keys().next().value as string);
    return claim;
  }

  /** The informer index (ROUTE_INDEX): a server's host + path, none when it claims nothing. */
  readonly index = (obj: MCPServerObject): readonly string[] => {
    const claim = this.claim(obj);
    return claim === undefined ? [] : [routeKey(claim)];
  };
}

/** The host + path a server claims; undefined when deleting, invalid or unresolvable. */
export function routeClaim(obj: MCPServerObject, settings: OperatorSettings): RouteClaim | undefined {
  const server = asMCPServer(obj);
  if (server === undefined || obj.metadata?.deletionTimestamp !== undefined) return undefined;
  try {
    const resolved = resolveServer(server, settings);
    return {
      key: `${resolved.namespace}/${resolved.name}`,
      host: resolved.ingressHost ?? '',
      path: resolved.ingressPath.length > 1 ? resolved.ingressPath.replace(/\/$/, '') : resolved.ingressPath,
      createdAt: String(obj.metadata?.creationTimestamp ?? ''),
    };
  } catch {
    return undefined; // an invalid image: the server is reported in error and claims nothing
  }
}

export const routeKey = (claim: Pick<RouteClaim, 'host' | 'path'>): string => `${claim.host}|${claim.path}`;
