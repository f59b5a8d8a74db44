import { describe, expect, it } from '@jest/globals';
import { canonicalJson, jsonEqual } from '../../../src/kube/equal.js';
import { pickContainer } from '../../../src/servers/logs.js';
import { renderApplyResults } from '../../../src/cluster/init.js';
import { describeObject } from '../../../src/kube/apply.js';

describe('jsonEqual', () => {
  it('ignores key order and undefined members, not values or list order', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1, d: undefined })).toBe(true);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: '1' }, { a: 1 })).toBe(false);
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});

describe('pickContainer', () => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'sidecar' }, { name: 'weather' }] } };
  it('prefers the flag, then the container named after the server, then the first', () => {
    expect(pickContainer(pod, 'weather')).toBe('weather');
    expect(pickContainer(pod, 'other')).toBe('sidecar');
    expect(pickContainer(pod, 'weather', 'sidecar')).toBe('sidecar');
    expect(() => pickContainer(pod, 'weather', 'nope')).toThrow('pod p has no container "nope" (containers: sidecar, weather)');
  });
});

describe('apply result lines', () => {
  it('align the outcome and name the object', () => {
    const object = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mcp-servers' } };
    expect(describeObject({ kind: 'Deployment', metadata: { name: 'r', namespace: 'registry' } })).toBe('Deployment registry/r');
    expect(renderApplyResults([{ object, outcome: 'created', dryRun: false, after: object }], false)).toEqual(['created    Namespace mcp-servers']);
    expect(renderApplyResults([{ object, outcome: 'unchanged', dryRun: true, after: object }], true)).toEqual(['unchanged (dry run)  Namespace mcp-servers']);
  });
});
