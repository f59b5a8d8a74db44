/**
 * Two servers claiming the same host and path: the one created first keeps the route; the later
 * one gets a Conflict condition and no Ingress. Ordering by creation time (then namespace/name)
 * makes the outcome stable no matter which reconcile runs first.
 */
export interface RouteClaim {
  readonly key: string; // namespace/name
  readonly host: string; // '' for any host
  readonly path: string;
  readonly createdAt: string; // RFC 3339, as stored
}

function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function earlier(a: RouteClaim, b: RouteClaim): boolean {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return a.key < b.key;
}

/** The claim that owns `mine`'s route, if it is not `mine` itself. */
export function routeOwner(mine: RouteClaim, all: Iterable<RouteClaim>): RouteClaim | undefined {
  let owner: RouteClaim = mine;
  for (const other of all) {
    if (other.key === mine.key) continue;
    if (other.host !== mine.host || normalizePath(other.path) !== normalizePath(mine.path)) continue;
    if (earlier(other, owner)) owner = other;
  }
  return owner === mine ? undefined : owner;
}
