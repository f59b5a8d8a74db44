// The validator the catalog tests rely on: it reads the official document and really rejects.
import { describe, expect, it } from '@jest/globals';
import { REGISTRY_SPEC_VERSION, registrySchemaErrors } from '../../fixtures/mcp-registry/validator.js';

const valid = {
  server: { name: 'io.example.mcp.team-a/weather', description: 'Weather', version: '1.0.0', remotes: [{ type: 'streamable-http', url: 'http://h/weather/mcp' }] },
  _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', publishedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', isLatest: true } },
};

describe('the official MCP Registry schema (test fixture)', () => {
  it('is spec version 2025-12-01 and accepts a well-formed ServerResponse', () => {
    expect(REGISTRY_SPEC_VERSION).toBe('2025-12-01');
    expect(registrySchemaErrors('ServerResponse', valid)).toEqual([]);
    expect(registrySchemaErrors('ServerList', { servers: [valid], metadata: { count: 1 } })).toEqual([]);
  });

  it.each([
    ['a name without a slash', { ...valid, server: { ...valid.server, name: 'weather' } }],
    ['a name with two slashes', { ...valid, server: { ...valid.server, name: 'a/b/c' } }],
    ['a description over 100 characters', { ...valid, server: { ...valid.server, description: 'x'.repeat(101) } }],
    ['no version', { ...valid, server: { name: valid.server.name, description: 'd' } }],
    ['a remote URL that is not http(s)', { ...valid, server: { ...valid.server, remotes: [{ type: 'streamable-http', url: 'ftp://h' }] } }],
    ['an unknown official status', { ...valid, _meta: { 'io.modelcontextprotocol.registry/official': { status: 'gone' } } }],
    ['an extra field in the official block', { ...valid, _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', live: true } } }],
    ['a publishedAt that is not a date-time', { ...valid, _meta: { 'io.modelcontextprotocol.registry/official': { publishedAt: 'yesterday' } } }],
  ])('rejects %s', (_what, data) => {
    expect(registrySchemaErrors('ServerResponse', data).length).toBeGreaterThan(0);
  });
});
