import { describe, expect, it } from '@jest/globals';
import { diffObjects, flatten, renderChanges } from '../../../src/pipeline/field-diff.js';
import { comparable, outcomeOf } from '../../../src/kube/apply.js';

describe('field diff', () => {
  it('reports changed, added and removed leaves with readable paths', () => {
    const before = { spec: { replicas: 1, imageTag: 'v1', ingressAnnotations: { 'a.example.com/x': '1' } } };
    const after = { spec: { replicas: 3, ingressHost: 'mcp.example.com', ingressAnnotations: { 'a.example.com/x': '1' } } };
    expect(renderChanges(diffObjects(before, after))).toEqual([
      '  - spec.imageTag: "v1"',
      '  + spec.ingressHost: "mcp.example.com"',
      '  ~ spec.replicas: 1 -> 3',
    ]);
  });

  it('matches list items by name, so inserting one entry shows only that entry', () => {
    const before = { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
    const after = { env: [{ name: 'NEW', value: '0' }, { name: 'A', value: '1' }, { name: 'B', value: '3' }] };
    expect(renderChanges(diffObjects(before, after), '')).toEqual(['~ env[name=B].value: "2" -> "3"', '+ env[name=NEW].value: "0"']);
  });

  it('indexes lists without unique names by position and quotes keys that are not identifiers', () => {
    expect([...flatten({ args: ['--a', '--b'], labels: { 'app.kubernetes.io/name': 'x' } }).keys()]).toEqual([
      '.args[0]',
      '.args[1]',
      '.labels["app.kubernetes.io/name"]',
    ]);
  });

  it('treats empty maps and lists as values, and nothing as no fields', () => {
    expect(renderChanges(diffObjects({ a: {} }, { a: { b: 1 } }), '')).toEqual(['- a: {}', '+ a.b: 1']);
    expect(diffObjects(undefined, undefined)).toEqual([]);
    expect(renderChanges(diffObjects(undefined, { a: 1 }), '')).toEqual(['+ a: 1']);
  });

  it('finds no change between equal objects', () => {
    const obj = { spec: { a: [1, 2], b: { c: 'd' } } };
    expect(diffObjects(obj, structuredClone(obj))).toEqual([]);
  });
});

describe('apply outcome', () => {
  const live = {
    metadata: {
      name: 'x',
      resourceVersion: '5',
      generation: 2,
      managedFields: [{ manager: 'mcp-runtime-cli', operation: 'Apply', fieldsV1: { 'f:spec': {} }, time: 't1' }],
    },
    spec: { replicas: 1 },
    status: { phase: 'Ready' },
  };

  it('created when there was nothing before', () => {
    expect(outcomeOf(undefined, live, false, 'mcp-runtime-cli')).toBe('created');
    expect(outcomeOf(undefined, live, true, 'mcp-runtime-cli')).toBe('created');
  });

  it('real run: unchanged when the resourceVersion did not move, configured otherwise', () => {
    expect(outcomeOf(live, structuredClone(live), false, 'mcp-runtime-cli')).toBe('unchanged');
    expect(outcomeOf(live, { ...live, metadata: { ...live.metadata, resourceVersion: '6' } }, false, 'mcp-runtime-cli')).toBe('configured');
  });

  it('dry run: compares content (not status, not bookkeeping, not managedFields timestamps)', () => {
    const same = structuredClone(live);
    same.status.phase = 'Pending';
    same.metadata.resourceVersion = '9';
    same.metadata.managedFields[0]!.time = 't2';
    expect(outcomeOf(live, same, true, 'mcp-runtime-cli')).toBe('unchanged');
    const changed = structuredClone(live);
    changed.spec.replicas = 2;
    expect(outcomeOf(live, changed, true, 'mcp-runtime-cli')).toBe('configured');
  });

  it('dry run: taking ownership of fields counts as a change', () => {
    const adopted = structuredClone(live);
    adopted.metadata.managedFields[0]!.fieldsV1 = { 'f:spec': { 'f:replicas': {} } };
    expect(outcomeOf(live, adopted, true, 'mcp-runtime-cli')).toBe('configured');
  });

  it('comparable() drops status and volatile metadata without touching the input', () => {
    expect(comparable(live)).toEqual({ metadata: { name: 'x' }, spec: { replicas: 1 } });
    expect(live.metadata.resourceVersion).toBe('5');
  });
});
