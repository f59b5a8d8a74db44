import { describe, expect, it } from '@jest/globals';
import { defaultOperatorSettings } from '../../../charts-ts/server/index.js';
import { RouteClaims, routeClaim } from '../../../src/operator/routes.js';
import type { MCPServerObject } from '../../../src/operator/types.js';

const settings = defaultOperatorSettings({});
const server = (generation: number, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
    kind: 'MCPServer',
    metadata: { name: 'weather', namespace: 'team', uid: 'uid-routes-1', generation, creationTimestamp: '2026-11-27T00:00:00Z', ...extra },
    spec,
  }) as unknown as MCPServerObject;

describe('RouteClaims', () => {
  it('follows the spec through new generations (remembered per generation only)', () => {
    const routes = new RouteClaims(settings);
    expect(routes.claim(server(1, { image: 'r.example.com/weather' }))).toMatchObject({ key: 'team/weather', path: '/weather/mcp' });
    expect(routes.claim(server(2, { image: 'r.example.com/weather', ingressPath: '/forecast' }))).toMatchObject({ path: '/forecast' });
    expect(routes.index(server(2, { image: 'r.example.com/weather', ingressPath: '/forecast' }))).toEqual(['|/forecast']);
  });

  it('reads a generation once, and computes again what the bound pushed out', () => {
    const routes = new RouteClaims(settings, 1);
    routes.claim(server(1, { image: 'r.example.com/weather' }));
    // Only a new generation can change the spec: the same generation is answered from memory.
    expect(routes.claim(server(1, { image: 'r.example.com/weather', ingressPath: '/other' }))).toMatchObject({ path: '/weather/mcp' });
    const other = { ...server(1, { image: 'r.example.com/news' }), metadata: { name: 'news', namespace: 'team', uid: 'uid-routes-2', generation: 1 } } as unknown as MCPServerObject;
    routes.claim(other);
    expect(routes.claim(server(1, { image: 'r.example.com/weather', ingressPath: '/other' }))).toMatchObject({ path: '/other' });
  });

  it('is one per operator: settings of another operator are not mixed in', () => {
    const a = new RouteClaims(settings);
    const b = new RouteClaims(defaultOperatorSettings({ MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com' }));
    expect(a.claim(server(1, { image: 'r.example.com/weather' }))?.host).toBe('');
    expect(b.claim(server(1, { image: 'r.example.com/weather' }))?.host).toBe('mcp.example.com');
  });
});

describe('routeClaim', () => {

  it('claims nothing once the server is being deleted, or with an invalid image', () => {
    expect(routeClaim(server(3, { image: 'r.example.com/weather' }), settings)).toBeDefined();
    expect(routeClaim(server(3, { image: 'r.example.com/weather' }, { deletionTimestamp: '2026-11-27T01:00:00Z' }), settings)).toBeUndefined();
    expect(routeClaim(server(4, { image: 'UPPER CASE:??' }), settings)).toBeUndefined();
  });
});
