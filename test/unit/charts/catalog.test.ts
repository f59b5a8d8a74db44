// The catalog's Ingress: the Registry API under /v0.1 and the catalog page at the host's root.
import { describe, expect, it } from '@jest/globals';
import { renderPlatform } from '../../../charts-ts/platform/index.js';
import { j } from './fixtures.js';

function catalogIngress(options: Parameters<typeof renderPlatform>[0] = {}) {
  const all = renderPlatform(options).flatMap((f) => f.objects);
  return all.find((o) => o.kind === 'Ingress' && o.metadata.name === 'mcp-runtime-catalog');
}

describe('catalog Ingress', () => {
  it('routes /v0.1 (the API) and / (the page) to the catalog Service on the platform host', () => {
    const ingress = j(catalogIngress({ defaultIngressHost: 'mcp.example.com' }));
    expect(ingress.spec.rules).toHaveLength(1);
    expect(ingress.spec.rules[0].host).toBe('mcp.example.com');
    expect(ingress.spec.rules[0].http.paths.map((p: { path: string; pathType: string }) => [p.path, p.pathType])).toEqual([
      ['/v0.1', 'Prefix'],
      ['/', 'Prefix'],
    ]);
    for (const p of ingress.spec.rules[0].http.paths) expect(p.backend).toEqual({ service: { name: 'mcp-runtime-catalog', port: { name: 'http' } } });
  });

  it('is absent without the catalog', () => {
    expect(catalogIngress({ catalog: false })).toBeUndefined();
  });
});
