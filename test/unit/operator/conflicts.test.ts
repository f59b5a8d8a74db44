import { describe, expect, it } from '@jest/globals';
import { routeOwner, type RouteClaim } from '../../../src/operator/conflicts.js';

const claim = (key: string, path: string, createdAt: string, host = ''): RouteClaim => ({ key, host, path, createdAt });

describe('routeOwner', () => {
  const a = claim('ns1/a', '/x/mcp', '2026-01-01T00:00:00Z');
  const b = claim('ns2/b', '/x/mcp', '2026-01-02T00:00:00Z');
  it('gives the route to the earlier server', () => {
    expect(routeOwner(b, [a, b])).toBe(a);
    expect(routeOwner(a, [a, b])).toBeUndefined();
  });
  it('breaks creation-time ties by key, so both sides agree', () => {
    const c = claim('ns0/c', '/x/mcp', a.createdAt);
    expect(routeOwner(a, [a, c])).toBe(c);
    expect(routeOwner(c, [a, c])).toBeUndefined();
  });
  it('does not conflict on other hosts or paths, and ignores a trailing slash', () => {
    expect(routeOwner(b, [a, b].map((x) => (x === a ? { ...a, host: 'other.example.com' } : x)))).toBeUndefined();
    expect(routeOwner(b, [{ ...a, path: '/y/mcp' }, b])).toBeUndefined();
    expect(routeOwner(b, [{ ...a, path: '/x/mcp/' }, b])).toEqual({ ...a, path: '/x/mcp/' });
  });
});
