import { describe, expect, it } from '@jest/globals';
import { defaultOperatorSettings } from '../../../charts-ts/server/index.js';
import { routeClaim } from '../../../src/operator/routes.js';
import type { MCPServerObject } from '../../../src/operator/types.js';

const settings = defaultOperatorSettings({});
const server = (generation: number, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
    kind: 'MCPServer',
    metadata: { name: 'weather', namespace: 'team', uid: 'uid-routes-1', generation, creationTimestamp: '2026-11-27T00:00:00Z', ...extra },
    spec,
  }) as unknown as MCPServerObject;

describe('routeClaim', () => {
  it('follows the spec through new generations (remembered per generation only)', () => {
    expect(routeClaim(server(1, { image: 'r.example.com/weather' }), settings)).toMatchObject({ key: 'team/weather', path: '/weather/mcp' });
    expect(routeClaim(server(2, { image: 'r.example.com/weather', ingressPath: '/forecast' }), settings)).toMatchObject({ path: '/forecast' });
    expect(routeClaim(server(2, { image: 'r.example.com/weather', ingressPath: '/forecast' }), settings)).toMatchObject({ path: '/forecast' });
  });

  it('claims nothing once the server is being deleted, or with an invalid image', () => {
    expect(routeClaim(server(3, { image: 'r.example.com/weather' }), settings)).toBeDefined();
    expect(routeClaim(server(3, { image: 'r.example.com/weather' }, { deletionTimestamp: '2026-11-27T01:00:00Z' }), settings)).toBeUndefined();
    expect(routeClaim(server(4, { image: 'UPPER CASE:??' }), settings)).toBeUndefined();
  });
});
