import { describe, expect, it } from '@jest/globals';
import { MCPServerSpecSchema, compareQuantities, parseQuantity } from '../../../src/api/v1alpha1/index.js';
import { ORIGINAL_API_CASES, REJECTED_EARLY } from '../../fixtures/original-api.js';

describe('the spec schema accepts what the original API accepted', () => {
  it.each(ORIGINAL_API_CASES.map((c) => [c.name, c.spec] as const))('accepts %s', (_name, spec) => {
    const result = MCPServerSpecSchema.safeParse(spec);
    expect(result.error?.issues ?? []).toEqual([]);
  });
});

describe('the spec schema refuses what Kubernetes would refuse later', () => {
  it.each(REJECTED_EARLY.map((c) => [c.name, c.spec, c.message] as const))('refuses %s', (_name, spec, message) => {
    const result = MCPServerSpecSchema.safeParse(spec);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('reports a request above its limit on the request field', () => {
    const result = MCPServerSpecSchema.safeParse({ image: 'x', resources: { requests: { cpu: '600m' } } });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['resources.requests.cpu']);
  });

  it('accepts a request equal to its limit written differently', () => {
    expect(MCPServerSpecSchema.safeParse({ image: 'x', resources: { requests: { cpu: '0.5' }, limits: { cpu: '500m' } } }).success).toBe(true);
    expect(MCPServerSpecSchema.safeParse({ image: 'x', resources: { requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } } }).success).toBe(true);
  });
});

describe('quantities compare exactly', () => {
  it.each([
    ['100m', '0.1', 0],
    ['1', '999m', 1],
    ['1Gi', '1G', 1],
    ['1e3', '1k', 0],
    ['1.5Gi', '1536Mi', 0],
    ['+2', '3', -1],
    ['5n', '1u', -1],
  ] as const)('%s vs %s', (a, b, want) => {
    expect(compareQuantities(a, b)).toBe(want);
  });

  it('refuses what is not a quantity', () => {
    expect(parseQuantity('64MB')).toBeUndefined();
    expect(compareQuantities('lots', '1')).toBeUndefined();
  });
});
