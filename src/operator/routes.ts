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
 * Claims by server uid, valid for one generation: a claim is read for every server event (the
 * route index) and twice per reconcile, and computing it validates the spec and resolves the
 * server, while only a spec change (a new generation) can change it. Bounded; oldest first out.
 */
const CLAIM_MEMO_LIMIT = 20_000;
const claimMemo = new Map<string, { generation: number; deleting: boolean; settings: OperatorSettings; claim: RouteClaim | undefined }>();

export function routeClaim(obj: MCPServerObject, settings: OperatorSettings): RouteClaim | undefined {
  const uid = obj.metadata?.uid;
  const generation = obj.metadata?.generation;
  const deleting = obj.metadata?.deletionTimestamp !== undefined;
  if (uid === undefined || generation === undefined) return computeRouteClaim(obj, settings);
  const memo = claimMemo.get(uid);
  if (memo !== undefined && memo.generation === generation && memo.deleting === deleting && memo.settings === settings) return memo.claim;
  const claim = computeRouteClaim(obj, settings);
  claimMemo.delete(uid);
  claimMemo.set(uid, { generation, deleting, settings, claim });
  if (claimMemo.size > CLAIM_MEMO_LIMIT) claimMemo.delete(claimMemo.keys().next().value as string);
  return claim;
}

function computeRouteClaim(obj: MCPServerObject, settings: OperatorSettings): RouteClaim | undefined {
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
