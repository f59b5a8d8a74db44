/**
 * Reads a catalog (any MCP Registry API, ours or another) over HTTP: what `catalog list|get`
 * use, from inside or outside the cluster. Uses Node's fetch; TLS is verified as always.
 */
import { describeNetworkError } from '../runtime/kube-errors.js';
import { CatalogNotFoundError, CatalogResponseError, CatalogUnreachableError, CatalogUrlError } from './errors.js';
import { MAX_LIMIT } from './query.js';
import type { ServerList, ServerResponse } from './types.js';

export interface CatalogClientOptions {
  timeoutMs?: number;
}

/** The base URL: scheme, host, optional path prefix; a trailing `/v0.1/servers` (or `/v0/servers`) is dropped. */
export function catalogBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CatalogUrlError(`--url "${text}" is not a URL; give the catalog's address, e.g. http://mcp.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CatalogUrlError(`--url "${text}" must start with http:// or https:// (got ${url.protocol.replace(/:$/, '')})`);
  }
  if (url.username !== '' || url.password !== '') throw new CatalogUrlError(`--url must not carry credentials`);
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v0(\.1)?\/servers$/, '');
  return url;
}

export class CatalogClient {
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(url: string, options: CatalogClientOptions = {}) {
    this.base = catalogBaseUrl(url);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get url(): string {
    return this.base.href.replace(/\/$/, '');
  }

  private async getJson<T>(path: string, query: Record<string, string | undefined> = {}): Promise<{ status: number; body: T }> {
    const url = new URL(`${this.base.pathname.replace(/\/$/, '')}${path}`, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    let res: Response;
    const signal = AbortSignal.timeout(this.timeoutMs);
    const get = () => fetch(url, { headers: { Accept: 'application/json' }, signal, redirect: 'follow' });
    try {
      res = await get().catch((error: unknown) => {
        // A kept-alive connection that the server closed since the last request fails the next
        // one sent on it ("other side closed"). GET is idempotent: one retry on a fresh
        // connection says whether the catalog is really there (e.g. "connection refused").
        if ((error as { cause?: { code?: string } }).cause?.code === 'UND_ERR_SOCKET') return get();
        throw error;
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const code = (error as Error).name === 'TimeoutError' ? 'ETIMEDOUT' : cause?.code;
      const why = describeNetworkError(code, cause?.message ?? (error as Error).message).replace(' (is the cluster running?)', '');
      throw new CatalogUnreachableError(`cannot reach the catalog at ${this.url}: ${why}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new CatalogResponseError(`${url.href} answered ${res.status} with something that is not JSON: is ${this.url} an MCP Registry API?`);
    }
    if (res.status >= 400 && res.status !== 404) {
      const message = (body as { error?: unknown }).error;
      throw new CatalogResponseError(`the catalog at ${this.url} answered ${res.status}: ${typeof message === 'string' ? message : text.slice(0, 200)}`);
    }
    return { status: res.status, body: body as T };
  }

  /** Every server matching the filters, following cursors to the last page. */
  async list(filters: { search?: string; updatedSince?: string; includeDeleted?: boolean } = {}): Promise<ServerResponse[]> {
    const out: ServerResponse[] = [];
    let cursor: string | undefined;
    do {
      const { status, body } = await this.getJson<ServerList>('/v0.1/servers', {
        limit: String(MAX_LIMIT),
        cursor,
        search: filters.search,
        updated_since: filters.updatedSince,
        include_deleted: filters.includeDeleted === true ? 'true' : undefined,
      });
      if (status === 404 || !Array.isArray(body.servers)) throw new CatalogResponseError(`${this.url} does not serve the MCP Registry API (GET /v0.1/servers answered ${status})`);
      out.push(...body.servers);
      const next = body.metadata?.nextCursor;
      if (next !== undefined && next !== '' && next === cursor) throw new CatalogResponseError(`the catalog at ${this.url} returned the same cursor twice`);
      cursor = next !== undefined && next !== '' ? next : undefined;
    } while (cursor !== undefined);
    return out;
  }

  /** One server's latest version; CatalogNotFoundError when the catalog has no such name. */
  async get(name: string): Promise<ServerResponse> {
    const { status, body } = await this.getJson<ServerResponse>(`/v0.1/servers/${encodeURIComponent(name)}/versions/latest`);
    if (status === 404) throw new CatalogNotFoundError(`the catalog at ${this.url} has no server named "${name}" (see \`mcp-runtime catalog list --url ${this.url}\`)`);
    if (typeof body?.server?.name !== 'string') throw new CatalogResponseError(`the catalog at ${this.url} answered without a server: is it an MCP Registry API?`);
    return body;
  }
}
