import { describe, expect, it } from '@jest/globals';
import { keyOf, objectKey, parseKey } from '../../../src/runtime/keys.js';
import { deepFreeze, NAMESPACE_INDEX, OWNER_UID_INDEX, Store } from '../../../src/runtime/store.js';
import { obj, type Obj } from './fake-list-watcher.js';

describe('keys', () => {
  it('formats and parses namespace/name and cluster-scoped names', () => {
    expect(objectKey({ namespace: 'ns', name: 'a' })).toBe('ns/a');
    expect(objectKey({ name: 'a' })).toBe('a');
    expect(objectKey({ namespace: '', name: 'a' })).toBe('a');
    expect(keyOf(obj('a', '1'))).toBe('ns/a');
    expect(parseKey('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(parseKey('a')).toEqual({ name: 'a' });
    for (const bad of ['/a', 'a/', 'a/b/c']) expect(() => parseKey(bad)).toThrow(/invalid/);
    expect(() => keyOf({ kind: 'X', metadata: {} })).toThrow(/no metadata.name/);
  });
});

describe('Store', () => {
  it('gets, lists (all or per namespace) and indexes by owner UID', () => {
    const store = new Store<Obj>();
    const owner = { apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u1' };
    store.upsert(obj('a', '1', { namespace: 'n1', owners: [owner] }));
    store.upsert(obj('b', '1', { namespace: 'n2', owners: [owner, { ...owner, uid: 'u2' }] }));
    store.upsert(obj('c', '1', { namespace: 'n2' }));
    expect(store.size).toBe(3);
    expect(store.getByName('n1', 'a')?.metadata?.name).toBe('a');
    expect(store.get('n2/c')?.metadata?.name).toBe('c');
    expect(store.list().length).toBe(3);
    expect(store.list('n2').map((o) => o.metadata?.name).sort()).toEqual(['b', 'c']);
    expect(store.byIndex(OWNER_UID_INDEX, 'u1').map((o) => o.metadata?.name).sort()).toEqual(['a', 'b']);
    expect(store.byIndex(OWNER_UID_INDEX, 'u2').map((o) => o.metadata?.name)).toEqual(['b']);
    expect(store.byIndex(NAMESPACE_INDEX, 'none')).toEqual([]);
    expect(() => store.byIndex('nope', 'x')).toThrow(/no index/);
  });

  it('keeps indexes right across updates and removals', () => {
    const store = new Store<Obj>({ byData: (o) => Object.values(o.data ?? {}) });
    store.upsert(obj('a', '1', { data: { k: 'red' } }));
    store.upsert(obj('a', '2', { data: { k: 'blue' } }));
    expect(store.byIndex('byData', 'red')).toEqual([]);
    expect(store.byIndex('byData', 'blue')).toHaveLength(1);
    expect(store.remove('ns/a')?.metadata?.resourceVersion).toBe('2');
    expect(store.byIndex('byData', 'blue')).toEqual([]);
    expect(store.remove('ns/a')).toBeUndefined();
  });

  it('builds an index added later from the current contents', () => {
    const store = new Store<Obj>();
    store.upsert(obj('a', '1', { data: { color: 'red' } }));
    store.addIndexer('color', (o) => (o.data?.color !== undefined ? [o.data.color] : []));
    expect(store.byIndex('color', 'red')).toHaveLength(1);
  });

  it('replace() reports added, updated (version changed) and deleted, within scope only', () => {
    const store = new Store<Obj>();
    store.upsert(obj('same', '1', { namespace: 'a' }));
    store.upsert(obj('changed', '1', { namespace: 'a' }));
    store.upsert(obj('gone', '1', { namespace: 'a' }));
    store.upsert(obj('other', '1', { namespace: 'b' }));
    const result = store.replace([obj('same', '1', { namespace: 'a' }), obj('changed', '2', { namespace: 'a' }), obj('new', '1', { namespace: 'a' })], (o) => o.metadata?.namespace === 'a');
    expect(result.added.map((o) => o.metadata?.name)).toEqual(['new']);
    expect(result.updated.map(({ old, obj: o }) => `${o.metadata?.name} ${old.metadata?.resourceVersion}->${o.metadata?.resourceVersion}`)).toEqual(['changed 1->2']);
    expect(result.deleted.map((o) => o.metadata?.name)).toEqual(['gone']);
    expect(store.keys().sort()).toEqual(['a/changed', 'a/new', 'a/same', 'b/other']);
  });

  it('deepFreeze freezes nested objects and arrays', () => {
    const o = deepFreeze({ a: { b: [1, { c: 2 }] } });
    expect(Object.isFrozen(o.a.b)).toBe(true);
    expect(Object.isFrozen(o.a.b[1])).toBe(true);
  });
});
