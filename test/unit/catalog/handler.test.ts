// The MCP Registry API handler over an in-memory catalog: paging, cursors, filters, errors,
// tombstones. Every 200 is validated against the official schema.
import { describe, expect, it } from '@jest/globals';
import { handleCatalogRequest, type CatalogReply } from '../../../src/catalog/handler.js';
import { MemoryCatalog } from '../../../src/catalog/memory-catalog.js';
import type { MCPServerLike } from '../../../src/catalog/entry.js';
import type { ServerList, ServerResponse } from '../../../src/catalog/types.js';
import { registrySchemaErrors } from '../../fixtures/mcp-registry/validator.js';

const PREFIX = 'io.example.mcp';

function obj(name: string, namespace = 'team-a', at = '2026-01-01T10:00:00Z', spec: Record<string, unknown> = {}): MCPServerLike {
  return { metadata: { name, namespace, generation: 1, creationTimestamp: at }, spec: { image: `r/${name}:1.0.${name.length}`, ...spec } };
}

function catalog(names: string[], now = () => Date.parse('2026-02-01T00:00:00Z')): MemoryCatalog {
  const c = new MemoryCatalog({ namePrefix: PREFIX, now, tombstoneTtlMs: 60_000 });
  for (const n of names) c.upsert(obj(n));
  c.markSynced();
  return c;
}

function get(c: MemoryCatalog, target: string): CatalogReply {
  const reply = handleCatalogRequest(c, 'GET', target);
  if (reply.status === 200 && target.startsWith('/v0')) {
    const schema = /\/versions\/[^/]+$/.test(target.split('?')[0]!) ? 'ServerResponse' : 'ServerList';
    expect(registrySchemaErrors(schema, reply.body)).toEqual([]);
  }
  return reply;
}

const list = (c: MemoryCatalog, query: string) => get(c, `/v0.1/servers${query}`).body as ServerList;
const names = (l: ServerList) => l.servers.map((s) => s.server.name);

function pageAll(c: MemoryCatalog, limit: number, between?: (page: number) => void): string[] {
  const seen: string[] = [];
  let cursor: string | undefined;
  let page = 0;
  do {
    const l = list(c, `?limit=${limit}${cursor !== undefined ? `&cursor=${cursor}` : ''}`);
    expect(l.metadata.count).toBe(l.servers.length);
    expect(l.servers.length).toBeLessThanOrEqual(limit);
    seen.push(...names(l));
    cursor = l.metadata.nextCursor;
    between?.(page++);
  } while (cursor !== undefined);
  return seen;
}

const many = Array.from({ length: 73 }, (_, i) => `s${String(i).padStart(3, '0')}`);

describe('GET /v0.1/servers', () => {
  it('pages through every server exactly once, in name order, default 30 per page', () => {
    const c = catalog(many);
    expect(list(c, '').servers).toHaveLength(30);
    for (const limit of [1, 7, 30, 100]) {
      const seen = pageAll(c, limit);
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(73);
      expect(seen).toHaveLength(73);
    }
    expect(list(c, '?limit=100').metadata.nextCursor).toBeUndefined();
  });

  it('keeps cursors stable while servers are added and deleted between pages', () => {
    const c = catalog(many);
    const seen = pageAll(c, 10, (page) => {
      if (page === 1) {
        c.remove(obj('s005')); // already listed
        c.remove(obj('s050')); // not yet listed: never shown
        c.upsert(obj('s0005')); // sorts before the cursor: not shown on later pages
        c.upsert(obj('s0995')); // sorts after it: shown
      }
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(`${PREFIX}.team-a/s005`);
    expect(seen).not.toContain(`${PREFIX}.team-a/s050`);
    expect(seen).not.toContain(`${PREFIX}.team-a/s0005`);
    expect(seen).toContain(`${PREFIX}.team-a/s0995`);
  });

  it('searches names by substring, case-insensitively', () => {
    const c = catalog(['weather', 'Weather-2'.toLowerCase(), 'search']);
    c.upsert(obj('weather', 'team-b'));
    expect(names(list(c, '?search=EATH'))).toEqual([`${PREFIX}.team-a/weather`, `${PREFIX}.team-a/weather-2`, `${PREFIX}.team-b/weather`]);
    expect(names(list(c, '?search=team-b%2F'))).toEqual([`${PREFIX}.team-b/weather`]);
    expect(list(c, '?search=nothing').servers).toEqual([]);
  });

  it('updated_since returns servers updated at or after that second', () => {
    const c = new MemoryCatalog({ namePrefix: PREFIX });
    c.upsert(obj('old', 'team-a', '2026-01-01T10:00:00Z'));
    c.upsert(obj('same-second', 'team-a', '2026-01-01T11:00:00Z'));
    c.upsert(obj('new', 'team-a', '2026-01-01T12:00:00Z'));
    c.markSynced();
    // Kubernetes keeps whole seconds: a change at 11:00:00.7 reads 11:00:00 and must not be missed.
    expect(names(list(c, '?updated_since=2026-01-01T11:00:00.500Z'))).toEqual([`${PREFIX}.team-a/new`, `${PREFIX}.team-a/same-second`]);
    expect(names(list(c, '?updated_since=2026-01-01T13:00:00%2B02:00'))).toEqual([`${PREFIX}.team-a/new`, `${PREFIX}.team-a/same-second`]);
    expect(names(list(c, '?updated_since=2026-01-01T12:00:01Z'))).toEqual([]);
  });

  it('version=latest lists every server; an exact version only those that have it', () => {
    const c = catalog(['ab', 'abc', 'xyz']);
    expect(list(c, '?version=latest').servers).toHaveLength(3);
    expect(names(list(c, '?version=1.0.3'))).toEqual([`${PREFIX}.team-a/abc`, `${PREFIX}.team-a/xyz`]);
  });

  it.each([
    ['?limit=0', /limit must be an integer from 1 to 100 \(got "0"\)/],
    ['?limit=101', /limit must be an integer from 1 to 100/],
    ['?limit=abc', /limit/],
    ['?limit=1.5', /limit/],
    ['?limit=-1', /limit/],
    ['?cursor=not*base64', /cursor is not one this registry returned/],
    [`?cursor=${Buffer.from('no-slash').toString('base64url')}`, /cursor/],
    ['?updated_since=yesterday', /updated_since must be an RFC 3339 date-time/],
    ['?updated_since=2026-01-01', /updated_since/],
    ['?include_deleted=yes', /include_deleted must be true or false/],
  ])('%s is a 400 naming the parameter', (query, message) => {
    const reply = get(catalog(['a']), `/v0.1/servers${query}`);
    expect(reply.status).toBe(400);
    expect((reply.body as { error: string }).error).toMatch(message);
  });

  it('answers 503 until the catalog has listed once, and /healthz says so', () => {
    const c = new MemoryCatalog({ namePrefix: PREFIX });
    expect(get(c, '/v0.1/servers').status).toBe(503);
    expect(get(c, '/healthz').status).toBe(503);
    c.markSynced();
    expect(get(c, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(get(c, '/v0.1/servers').status).toBe(200);
  });

  it('serves /v0 like /v0.1, refuses writes and unknown paths', () => {
    const c = catalog(['a', 'b']);
    expect(get(c, '/v0/servers').body).toEqual(get(c, '/v0.1/servers').body);
    expect(handleCatalogRequest(c, 'POST', '/v0.1/publish').status).toBe(405);
    expect(handleCatalogRequest(c, 'DELETE', '/v0.1/servers/x%2Fy/versions/1').status).toBe(405);
    expect(get(c, '/v1/servers').status).toBe(404);
  });
});

describe('GET /v0.1/servers/{name}/versions[/{version}]', () => {
  const c = catalog(['weather']);
  const encoded = encodeURIComponent(`${PREFIX}.team-a/weather`);

  it('finds a server by its URL-encoded name (an unencoded slash works too)', () => {
    const versions = get(c, `/v0.1/servers/${encoded}/versions`);
    expect(versions.status).toBe(200);
    expect(names(versions.body as ServerList)).toEqual([`${PREFIX}.team-a/weather`]);
    const latest = get(c, `/v0.1/servers/${encoded}/versions/latest`);
    expect((latest.body as ServerResponse).server.version).toBe('1.0.7');
    expect(get(c, `/v0.1/servers/${encoded}/versions/1.0.7`).body).toEqual(latest.body);
    expect(get(c, `/v0.1/servers/${PREFIX}.team-a/weather/versions/latest`).body).toEqual(latest.body);
  });

  it('answers 404 in the spec error shape for an unknown server or version', () => {
    expect(get(c, `/v0.1/servers/${encodeURIComponent(`${PREFIX}.team-a/nope`)}/versions`)).toEqual({ status: 404, body: { error: 'Server not found' } });
    expect(get(c, `/v0.1/servers/${encoded}/versions/9.9.9`)).toEqual({ status: 404, body: { error: 'Server version not found' } });
    expect(get(c, '/v0.1/servers/%E0%A4%A/versions').status).toBe(400);
  });
});

describe('deleted and opted-out servers (tombstones)', () => {
  it('hides a deleted server from lists and lookups, but reports it as deleted to updated_since until the TTL ends', () => {
    let now = Date.parse('2026-02-01T00:00:00Z');
    const c = catalog(['keep', 'gone'], () => now);
    c.remove(obj('gone'));
    const name = `${PREFIX}.team-a/gone`;
    expect(names(list(c, ''))).toEqual([`${PREFIX}.team-a/keep`]);
    expect(get(c, `/v0.1/servers/${encodeURIComponent(name)}/versions/latest`).status).toBe(404);
    const synced = list(c, '?updated_since=2026-01-31T23:59:59Z');
    expect(names(synced)).toEqual([name]);
    expect(synced.servers[0]!._meta['io.modelcontextprotocol.registry/official']).toMatchObject({ status: 'deleted', updatedAt: '2026-02-01T00:00:00.000Z', statusChangedAt: '2026-02-01T00:00:00.000Z' });
    expect(names(list(c, '?include_deleted=true'))).toEqual([name, `${PREFIX}.team-a/keep`]);
    expect(get(c, `/v0.1/servers/${encodeURIComponent(name)}/versions/latest?include_deleted=true`).status).toBe(200);
    now += 60_000;
    expect(names(list(c, '?include_deleted=true'))).toEqual([`${PREFIX}.team-a/keep`]);
  });

  it('treats opting out like a deletion, and opting in again (or re-creating) like a new entry', () => {
    const c = catalog(['flip']);
    c.upsert(obj('flip', 'team-a', '2026-01-01T10:00:00Z', { catalog: { publish: false } }));
    expect(list(c, '').servers).toEqual([]);
    const tomb = list(c, '?include_deleted=true').servers[0]!;
    expect(tomb._meta['io.modelcontextprotocol.registry/official'].status).toBe('deleted');
    c.upsert(obj('flip'));
    expect(list(c, '?include_deleted=true').servers.map((s) => s._meta['io.modelcontextprotocol.registry/official'].status)).toEqual(['active']);
  });

  it('never lists a server that was never published', () => {
    const c = catalog([]);
    c.upsert(obj('private', 'team-a', '2026-01-01T10:00:00Z', { catalog: { publish: false } }));
    c.remove(obj('private', 'team-a', '2026-01-01T10:00:00Z', { catalog: { publish: false } }));
    expect(list(c, '?include_deleted=true').servers).toEqual([]);
  });
});
