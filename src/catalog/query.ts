/**
 * Query parameters of `GET /v0.1/servers`, checked: a bad value is a 400 naming the parameter,
 * never a silently ignored filter.
 */
import { REGISTRY_NAME } from './names.js';

export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

export interface ListQuery {
  limit: number;
  /** The name the previous page ended with (decoded cursor). */
  after?: string;
  search?: string;
  /** updated_since, truncated to the whole second (see updatedSinceMs). */
  updatedSinceMs?: number;
  /** An exact version; undefined for none or `latest` (every entry is its server's latest). */
  version?: string;
  includeDeleted: boolean;
}

export class QueryError extends Error {}

// RFC 3339 date-time (Date.parse alone would accept "2025" or "Nov 27").
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The cursor is the base64url of the last name on the page: the next page starts after that name
 * in name order, so servers added or removed meanwhile never shift a page (no offsets).
 */
export function encodeCursor(lastName: string): string {
  return Buffer.from(lastName, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const name = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!REGISTRY_NAME.test(name)) throw new QueryError('cursor is not one this registry returned (use metadata.nextCursor as is)');
  return name;
}

/**
 * Kubernetes records times with second precision, so an entry changed at 10:00:00.700 says
 * 10:00:00. The comparison is inclusive on the whole second: a client that passes the time of its
 * last sync may see an entry twice but never misses one.
 */
export function updatedSinceMs(text: string): number {
  const ms = RFC3339.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new QueryError(`updated_since must be an RFC 3339 date-time such as 2025-08-07T13:15:04Z (got "${text}")`);
  return Math.floor(ms / 1000) * 1000;
}

export function parseBoolean(name: string, text: string | null): boolean {
  if (text === null || text === 'false') return false;
  if (text === 'true') return true;
  throw new QueryError(`${name} must be true or false (got "${text}")`);
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  const limitText = params.get('limit');
  let limit = DEFAULT_LIMIT;
  if (limitText !== null) {
    limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new QueryError(`limit must be an integer from 1 to ${MAX_LIMIT} (got "${limitText}")`);
  }
  const cursor = params.get('cursor');
  const search = params.get('search');
  const since = params.get('updated_since');
  const version = params.get('version');
  return {
    limit,
    ...(cursor !== null && cursor !== '' ? { after: decodeCursor(cursor) } : {}),
    ...(search !== null && search !== '' ? { search } : {}),
    ...(since !== null && since !== '' ? { updatedSinceMs: updatedSinceMs(since) } : {}),
    ...(version !== null && version !== '' && version !== 'latest' ? { version } : {}),
    // The spec: deleted servers are included when updated_since is given (clients sync deletions).
    includeDeleted: parseBoolean('include_deleted', params.get('include_deleted')) || (since !== null && since !== ''),
  };
}
