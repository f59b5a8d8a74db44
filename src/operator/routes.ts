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

export function routeIndex(settings: OperatorSettings): (obj: MCPServerObject) => readonly string[] {
  return (obj) => {
    const claim = routeClaim(obj, settings);
    return claim === undefined ? [] : [routeKey(claim)];
  };
}
