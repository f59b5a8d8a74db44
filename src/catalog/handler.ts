/**
 * The MCP Registry API as a pure function: a request (method, path and query) and a read-only
 * view of the catalog in, status and JSON body out. node:http (http-server.ts) only transports.
 *
 *   GET /v0.1/servers                                  list (cursor, limit, search, updated_since, version, include_deleted)
 *   GET /v0.1/servers/{name}/versions                  the server's versions (always one: the deployed one)
 *   GET /v0.1/servers/{name}/versions/{version|latest} one version
 *   GET /healthz                                       200 once the catalog is complete (first list done), else 503
 * `/v0/...` is served the same way. Names are URL-encoded (`io.example.mcp.team-a%2Fweather`);
 * an unencoded `/` is accepted too.
 */
import { encodeCursor, parseBoolean, parseListQuery, QueryError, type ListQuery } from './query.js';
import type { CatalogEntry, ServerList, ServerResponse } from './types.js';

/** What the handler reads; LiveCatalog (live.ts) implements it over an MCPServer informer. */
export interface CatalogView {
  /** Every entry, live and deleted, sorted by name. */
  entries(): readonly CatalogEntry[];
  get(name: string): CatalogEntry | undefined;
  /** False until the catalog has listed every namespace once. */
  ready(): boolean;
}

export interface CatalogReply {
  status: number;
  body: unknown;
}

const SERVERS = /^\/v0(?:\.1)?\/servers$/;
const VERSIONS = /^\/v0(?:\.1)?\/servers\/(.+?)\/versions(?:\/([^/]+))?$/;

const error = (status: number, message: string): CatalogReply => ({ status, body: { error: message } });

export function listServers(view: CatalogView, query: ListQuery): ServerList {
  const search = query.search?.toLowerCase();
  const selected = view.entries().filter(
    (e) =>
      (query.includeDeleted || !e.deleted) &&
      (search === undefined || e.name.toLowerCase().includes(search)) &&
      (query.updatedSinceMs === undefined || e.updatedMs >= query.updatedSinceMs) &&
      (query.version === undefined || e.version === query.version) &&
      (query.after === undefined || e.name > query.after),
  );
  const page = selected.slice(0, query.limit);
  const more = selected.length > page.length;
  const last = page[page.length - 1];
  return {
    servers: page.map((e) => e.response),
    metadata: { count: page.length, ...(more && last !== undefined ? { nextCursor: encodeCursor(last.name) } : {}) },
  };
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

function versions(view: CatalogView, rawName: string, rawVersion: string | undefined, params: URLSearchParams): CatalogReply {
  const name = decode(rawName);
  const version = rawVersion === undefined ? undefined : decode(rawVersion);
  if (name === undefined || (rawVersion !== undefined && version === undefined)) return error(400, 'the server name or version is not valid URL encoding');
  const entry = view.get(name);
  const includeDeleted = parseBoolean('include_deleted', params.get('include_deleted'));
  if (entry === undefined || (entry.deleted && !includeDeleted)) return error(404, 'Server not found');
  if (version === undefined) return { status: 200, body: { servers: [entry.response], metadata: { count: 1 } } satisfies ServerList };
  if (version !== 'latest' && version !== entry.version) return error(404, 'Server version not found');
  return { status: 200, body: entry.response satisfies ServerResponse };
}

export function handleCatalogRequest(view: CatalogView, method: string, target: string): CatalogReply {
  let url: URL;
  try {
    url = new URL(target, 'http://catalog.invalid');
  } catch {
    return error(400, 'malformed request target');
  }
  if (method !== 'GET' && method !== 'HEAD') return error(405, 'this registry is read-only: only GET is served');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  if (path === '/healthz') return view.ready() ? { status: 200, body: { status: 'ok' } } : error(503, 'the catalog has not listed the servers yet');
  try {
    if (SERVERS.test(path)) {
      if (!view.ready()) return error(503, 'the catalog has not listed the servers yet; retry shortly');
      return { status: 200, body: listServers(view, parseListQuery(url.searchParams)) };
    }
    const m = VERSIONS.exec(path);
    if (m !== null) {
      if (!view.ready()) return error(503, 'the catalog has not listed the servers yet; retry shortly');
      return versions(view, m[1]!, m[2], url.searchParams);
    }
  } catch (e) {
    if (e instanceof QueryError) return error(400, e.message);
    throw e;
  }
  return error(404, `no such endpoint: ${path} (this is the MCP Registry API: GET /v0.1/servers)`);
}
