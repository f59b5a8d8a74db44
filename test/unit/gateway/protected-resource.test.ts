import { describe, expect, it } from '@jest/globals';
import { metadataDocument, metadataUrl, publicOrigin, resourceOf } from '../../../src/gateway/protected-resource.js';

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
