import { describe, expect, it } from '@jest/globals';
import { StringInterner } from '../../../src/runtime/intern.js';

const deployment = (i: number) => ({
  apiVersion: 'apps/v1',
  metadata: { name: `s-${i}`, namespace: 'bench', uid: `uid-${i}`, resourceVersion: String(100 + i), labels: { 'app.kubernetes.io/managed-by': 'mcp-runtime' } },
  spec: { template: { spec: { containers: [{ name: 'server', image: 'img:1', args: ['--port', '8080'] }] } } },
  status: { conditions: [{ type: 'Available', status: 'True', lastTransitionTime: `2026-01-01T00:00:0${i}Z` }] },
});

describe('StringInterner', () => {
  it('keeps objects equal and remembers repeated values once, never per-object ones', () => {
    const interner = new StringInterner();
    const objects = [0, 1, 2].map(deployment);
    for (const obj of objects) expect(interner.internValues(structuredClone(obj))).toEqual(obj);
    // apps/v1, bench, mcp-runtime, img:1, --port, 8080, Available, True: names, UIDs,
    // resourceVersions and timestamps are not kept.
    expect(interner.size).toBe(8);
  });

  it('is bounded: a full table starts over', () => {
    const interner = new StringInterner(5);
    for (let i = 0; i < 12; i++) interner.intern(`v${i}`);
    expect(interner.size).toBeLessThanOrEqual(5);
    expect(interner.intern('x'.repeat(200))).toHaveLength(200);
    expect(interner.size).toBeLessThanOrEqual(5);
  });
});
