// Pure parsing for `catalog serve|list|get`, and the spec.catalog field of the MCPServer API.
import { describe, expect, it } from '@jest/globals';
import { catalogBaseUrl } from '../../../src/catalog/client.js';
import { CatalogSettingsError, CatalogUrlError } from '../../../src/catalog/errors.js';
import { checkNamePrefix, parseListen, parseNamespaces } from '../../../src/catalog/settings.js';
import { MCPServerSpecSchema } from '../../../src/api/v1alpha1/mcpserver.js';
import { reportOf } from '../../../src/cli/errors.js';

describe('catalog serve settings', () => {
  it.each([
    ['8080', { host: '127.0.0.1', port: 8080 }],
    [':8080', { host: '0.0.0.0', port: 8080 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
  ])('--listen %s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['', 'host', 'host:', 'host:70000', 'a b:1', 'http://x:1'])('--listen "%s" is a usage error', (text) => {
    expect(() => parseListen(text)).toThrow(CatalogSettingsError);
    expect(reportOf(new CatalogSettingsError('x'))?.exit).toBe(2);
  });

  it('parses namespaces and prefixes, naming the bad value', () => {
    expect(parseNamespaces(undefined)).toBe('all');
    expect(parseNamespaces(' a, b ,a')).toEqual(['a', 'b']);
    expect(() => parseNamespaces('a,B_c')).toThrow('--namespaces: "B_c" is not a namespace name');
    expect(checkNamePrefix('io.example.mcp')).toBe('io.example.mcp');
    expect(() => checkNamePrefix('io/example')).toThrow('--name-prefix "io/example" must be a reverse-DNS name');
  });
});

describe('catalog client URL', () => {
  it('takes a base URL with or without the API path', () => {
    expect(catalogBaseUrl('http://mcp.example.com').href).toBe('http://mcp.example.com/');
    expect(catalogBaseUrl('https://h:8443/catalog/v0.1/servers?x=1').href).toBe('https://h:8443/catalog');
    expect(catalogBaseUrl('http://h/v0/servers/').href).toBe('http://h/');
  });

  it.each([
    ['mcp.example.com', /is not a URL/],
    ['ftp://h', /must start with http:\/\/ or https:\/\/ \(got ftp\)/],
    ['http://user:pw@h', /must not carry credentials/],
  ])('refuses %s as a usage error', (text, message) => {
    expect(() => catalogBaseUrl(text)).toThrow(message);
    expect(reportOf(new CatalogUrlError('x'))?.exit).toBe(2);
  });
});

describe('spec.catalog', () => {
  const spec = (catalog: unknown) => MCPServerSpecSchema.safeParse({ image: 'r/x', catalog });
  it('accepts the optional fields and refuses latest, ranges, long texts and unknown fields', () => {
    expect(spec({ publish: false, title: 'T', description: 'D', version: '1.2.3+build.5' }).success).toBe(true);
    expect(spec(undefined).success).toBe(true);
    for (const bad of [{ version: 'latest' }, { version: '^1.2' }, { version: '1.x*' }, { title: '' }, { description: 'x'.repeat(101) }, { publsh: false }]) {
      expect(spec(bad).success).toBe(false);
    }
  });
});
