import { describe, expect, it } from '@jest/globals';
import { metadataDocument, metadataUrl, publicOrigin, resourceOf, rootMetadata } from '../../../src/gateway/protected-resource.js';
import { routeHostMatches } from '../../../src/gateway/routing-header.js';

const server = { ingressPath: '/weather/mcp', auth: { issuer: 'https://id.example.com' } };

describe('publicOrigin', () => {
  it('prefers the ingress host, with the scheme the edge saw', () => {
    expect(publicOrigin({ ingressHost: 'mcp.example.com' }, { forwardedProto: 'https', host: 'evil.example' }, undefined)).toBe('https://mcp.example.com');
  });
  it('takes the configured public URL when the server names no host', () => {
    expect(publicOrigin({}, { forwardedHost: 'evil.example' }, new URL('https://mcp.example.com/base'))).toBe('https://mcp.example.com');
  });
  it('falls back to the forwarded host, then Host', () => {
    expect(publicOrigin({}, { forwardedProto: 'http', forwardedHost: 'localhost:8080, proxy' }, undefined)).toBe('http://localhost:8080');
    expect(publicOrigin({}, { host: 'LOCALHOST:9' }, undefined)).toBe('http://localhost:9');
    expect(publicOrigin({}, { host: '[::1]:8080' }, undefined)).toBe('http://[::1]:8080');
  });
  it('refuses a host that is not one', () => {
    expect(publicOrigin({}, { host: 'a b' }, undefined)).toBeUndefined();
    expect(publicOrigin({}, { host: 'x/y' }, undefined)).toBeUndefined();
    expect(publicOrigin({}, {}, undefined)).toBeUndefined();
  });
  it('ignores a wildcard ingress host', () => {
    expect(publicOrigin({ ingressHost: '*.example.com' }, { host: 'a.example.com' }, undefined)).toBe('http://a.example.com');
  });
});

describe('the metadata', () => {
  it('lives at the path-inserted well-known URL and names the resource and issuer', () => {
    expect(metadataUrl(server, 'https://h')).toBe('https://h/.well-known/oauth-protected-resource/weather/mcp');
    expect(resourceOf(server, 'https://h')).toBe('https://h/weather/mcp');
    expect(metadataDocument({ ...server, auth: { ...server.auth, scopes: ['mcp'] } }, 'https://h', 'ns/weather')).toEqual({
      resource: 'https://h/weather/mcp',
      authorization_servers: ['https://id.example.com'],
      scopes_supported: ['mcp'],
      bearer_methods_supported: ['header'],
      resource_name: 'ns/weather',
    });
  });
  it('drops a trailing slash of the path, as the route that serves the metadata does', () => {
    expect(metadataUrl({ ...server, ingressPath: '/weather/mcp/' }, 'https://h')).toBe('https://h/.well-known/oauth-protected-resource/weather/mcp');
  });

  it('names an explicit audience as the resource', () => {
    expect(resourceOf({ ...server, auth: { ...server.auth, audience: 'https://api.example.com/weather' } }, 'https://h')).toBe('https://api.example.com/weather');
  });
});

describe('the root fallback (bare well-known path) on a host', () => {
  const on = (key: string, ingressHost?: string) => ({ key, ingressPath: `/${key.split('/')[1]}/mcp`, auth: { issuer: 'https://id.example.com' }, ...(ingressHost === undefined ? {} : { ingressHost }) });
  const servers = [on('ns/solo', 'solo.example.com'), on('ns/a', 'shared.example.com'), on('ns/b', 'shared.example.com'), on('ns/anywhere')];

  it("answers the one server routed on the host with its own document (as at its path-inserted URL)", () => {
    const answer = rootMetadata(servers, { forwardedProto: 'https', host: 'SOLO.example.com:443' }, undefined);
    expect(answer).toEqual({ status: 200, body: metadataDocument(servers[0]!, 'https://solo.example.com', 'ns/solo') });
  });

  it('answers 404 listing the path-inserted metadata URLs when several share the host', () => {
    expect(rootMetadata(servers, { forwardedProto: 'https', forwardedHost: 'shared.example.com' }, undefined)).toEqual({
      status: 404,
      body: expect.objectContaining({
        error: 'several_protected_resources',
        resource_metadata: ['https://shared.example.com/.well-known/oauth-protected-resource/a/mcp', 'https://shared.example.com/.well-known/oauth-protected-resource/b/mcp'],
      }),
    });
  });

  it('falls back to the servers routed on any host only when none names the host, and answers 404 without any', () => {
    const answer = rootMetadata(servers, { host: 'other.example.com' }, undefined);
    expect(answer.status).toBe(200);
    expect(answer.body.resource).toBe('http://other.example.com/anywhere/mcp');
    expect(rootMetadata(servers.slice(0, 3), { host: 'other.example.com' }, undefined)).toMatchObject({ status: 404, body: { error: 'no_protected_resource' } });
    expect(rootMetadata([], { host: 'solo.example.com' }, undefined).status).toBe(404);
    expect(rootMetadata(servers, { host: 'a b' }, undefined).status).toBe(404);
  });

  it("matches hosts as the route's rule does: letter case, port, one label for a wildcard, any host without one", () => {
    expect(routeHostMatches('mcp.example.com', 'MCP.example.com:8443')).toBe(true);
    expect(routeHostMatches('mcp.example.com', 'other.example.com')).toBe(false);
    expect(routeHostMatches('*.example.com', 'a.example.com')).toBe(true);
    expect(routeHostMatches('*.example.com', 'a.b.example.com')).toBe(false);
    expect(routeHostMatches('*.example.com', 'example.com')).toBe(false);
    expect(routeHostMatches(undefined, 'anything.example')).toBe(true);
  });
});
