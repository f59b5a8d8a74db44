import { describe, expect, it } from '@jest/globals';
import { Informer, stripManagedFields, type InformerMetrics, type InformerOptions, type WatchRestartReason } from '../../../src/runtime/informer.js';
import { ApiError } from '../../../src/runtime/kube-http.js';
import { apiListWatcher } from '../../../src/runtime/list-watch.js';
import type { KubeClient } from '../../../src/runtime/kube-http.js';
import { ConfigMaps, Namespaces } from '../../../src/runtime/resources.js';
import { OWNER_UID_INDEX } from '../../../src/runtime/store.js';
import { FakeClock, flush } from './fake-clock.js';
import { FakeListWatcher, obj, type Obj } from './fake-list-watcher.js';

interface Harness {
  informer: Informer<Obj>;
  lw: FakeListWatcher;
  clock: FakeClock;
  events: string[];
  restarts: WatchRestartReason[];
  lists: number;
}

function setup(options: Partial<InformerOptions<Obj>> = {}, lw = new FakeListWatcher()): Harness {
  const clock = new FakeClock();
  const restarts: WatchRestartReason[] = [];
  const h = { lw, clock, events: [] as string[], restarts, lists: 0 } as Harness;
  const metrics: InformerMetrics = { restarted: (r) => restarts.push(r), listed: () => (h.lists += 1) };
  h.informer = new Informer<Obj>({
    type: ConfigMaps,
    listWatcher: lw,
    clock,
    metrics,
    backoff: { initialMs: 1000, maxMs: 8000, jitter: 0 },
    watchTimeoutSeconds: () => 300,
    watchdogMs: 150_000,
    ...options,
  } as InformerOptions<Obj>);
  h.informer.addHandlers({
    add: (o) => h.events.push(`add ${o.metadata?.name}@${o.metadata?.resourceVersion}`),
    update: (old, o) => h.events.push(`update ${o.metadata?.name} ${old.metadata?.resourceVersion}->${o.metadata?.resourceVersion}`),
    delete: (o) => h.events.push(`delete ${o.metadata?.name}`),
  });
  return h;
}

const gone = () => new ApiError(410, { code: 410, reason: 'Expired', message: 'too old resource version' }, 'WATCH', '/api/v1/configmaps');

describe('Informer: list then watch', () => {
  it('lists, syncs, then watches from the list version with the given selectors', async () => {
    const h = setup({ labelSelector: 'app=x', fieldSelector: 'metadata.name!=y' });
    h.lw.objects = [obj('a', '1'), obj('b', '2')];
    h.lw.resourceVersion = '10';
    expect(h.informer.hasSynced()).toBe(false);
    const synced = h.informer.waitForSync();
    h.informer.start();
    await flush();
    await expect(synced).resolves.toBe(true);
    expect(h.informer.hasSynced()).toBe(true);
    expect(h.events).toEqual(['add a@1', 'add b@2']);
    expect(h.lw.lists).toEqual([{ namespace: undefined, options: { labelSelector: 'app=x', fieldSelector: 'metadata.name!=y', limit: 500 } }]);
    expect(h.lw.current().options).toEqual({ resourceVersion: '10', labelSelector: 'app=x', fieldSelector: 'metadata.name!=y', timeoutSeconds: 300 });
    expect(h.informer.store.keys().sort()).toEqual(['ns/a', 'ns/b']);
    await h.informer.stop();
  });

  it('applies watch events to the store and tells handlers (update gets old and new)', async () => {
    const h = setup();
    h.lw.objects = [obj('a', '1')];
    h.informer.start();
    await flush();
    const w = h.lw.current();
    w.emit({ type: 'ADDED', object: obj('b', '11') });
    w.emit({ type: 'MODIFIED', object: obj('a', '12', { data: { k: 'v' } }) });
    w.emit({ type: 'DELETED', object: obj('b', '13') });
    expect(h.events).toEqual(['add a@1', 'add b@11', 'update a 1->12', 'delete b']);
    expect(h.informer.store.get('ns/a')?.data).toEqual({ k: 'v' });
    expect(h.informer.store.get('ns/b')).toBeUndefined();
    await h.informer.stop();
  });

  it('a MODIFIED for an object it never saw is an add', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    h.lw.current().emit({ type: 'MODIFIED', object: obj('x', '5') });
    expect(h.events).toEqual(['add x@5']);
    await h.informer.stop();
  });
});

describe('Informer: recovery', () => {
  it('re-watches from the last seen version (event or bookmark) after a clean close, without relisting', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    h.lw.current().emit({ type: 'ADDED', object: obj('a', '20') });
    h.lw.current().emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '25' } } });
    h.lw.current().close();
    await flush();
    expect(h.lw.watches).toHaveLength(2);
    expect(h.lw.current().options.resourceVersion).toBe('25');
    expect(h.lw.lists).toHaveLength(1);
    expect(h.restarts).toEqual(['closed']);
    await h.informer.stop();
  });

  it('relists on 410 Gone (ERROR event), emitting deletes for vanished objects and updates for changed ones', async () => {
    const h = setup();
    h.lw.objects = [obj('keep', '1'), obj('change', '2'), obj('vanish', '3')];
    h.informer.start();
    await flush();
    h.events.length = 0;
    h.lw.objects = [obj('keep', '1'), obj('change', '40'), obj('new', '41')];
    h.lw.resourceVersion = '42';
    h.lw.current().emit({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } as unknown as Obj });
    await flush();
    expect(h.lw.lists).toHaveLength(2);
    expect(h.events).toEqual(['delete vanish', 'add new@41', 'update change 2->40']);
    expect(h.lw.current().options.resourceVersion).toBe('42');
    expect(h.restarts).toEqual(['gone']);
    expect(h.lists).toBe(2);
    await h.informer.stop();
  });

  it('relists on 410 returned when the watch starts', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    h.lw.current().fail(gone());
    await flush();
    expect(h.lw.lists).toHaveLength(2);
    expect(h.lw.watches).toHaveLength(2);
    await h.informer.stop();
  });

  it('backs off when 410 keeps coming (relist at once only the first time)', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    h.lw.listAnswers.push(gone(), gone());
    h.lw.current().fail(gone());
    await flush();
    // first relist was immediate and failed with 410; the next waits 1 s
    expect(h.lw.lists).toHaveLength(2);
    await h.clock.advance(999);
    expect(h.lw.lists).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.lw.lists).toHaveLength(3);
    await h.clock.advance(2000);
    expect(h.lw.lists).toHaveLength(4);
    expect(h.lw.watches).toHaveLength(2);
    await h.informer.stop();
  });

  it('reconnects with exponential backoff after errors and keeps its version (no relist)', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    h.lw.current().emit({ type: 'ADDED', object: obj('a', '150') });
    h.lw.current().fail(new Error('ECONNRESET'));
    await flush();
    expect(h.lw.watches).toHaveLength(1);
    await h.clock.advance(1000);
    expect(h.lw.watches).toHaveLength(2);
    expect(h.lw.current().options.resourceVersion).toBe('150');
    h.lw.current().fail(new ApiError(500, undefined, 'WATCH', '/x'));
    await h.clock.advance(1999);
    expect(h.lw.watches).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.lw.watches).toHaveLength(3);
    // A healthy watch (it delivered an event) resets the backoff.
    h.lw.current().emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '160' } } });
    h.lw.current().close();
    await flush();
    expect(h.lw.watches).toHaveLength(4);
    h.lw.current().fail(new Error('boom'));
    await h.clock.advance(1000);
    expect(h.lw.watches).toHaveLength(5);
    expect(h.lw.lists).toHaveLength(1);
    expect(h.restarts).toEqual(['error', 'error', 'closed', 'error']);
    await h.informer.stop();
  });

  it('caps the backoff', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    const delays: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const before = h.lw.watches.length;
      h.lw.current().fail(new Error('down'));
      await flush();
      const start = h.clock.now();
      while (h.lw.watches.length === before) await h.clock.advance(h.clock.nextAt()! - h.clock.now());
      delays.push(h.clock.now() - start);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    await h.informer.stop();
  });

  it('retries a failing initial list with backoff and syncs when it succeeds', async () => {
    const h = setup();
    h.lw.listAnswers.push(new ApiError(403, { reason: 'Forbidden' }, 'GET', '/api/v1/configmaps'), new Error('refused'));
    h.lw.objects = [obj('a', '1')];
    let synced = false;
    void h.informer.waitForSync().then(() => (synced = true));
    h.informer.start();
    await flush();
    expect(synced).toBe(false);
    await h.clock.advance(1000);
    expect(synced).toBe(false);
    await h.clock.advance(2000);
    expect(synced).toBe(true);
    expect(h.lw.lists).toHaveLength(3);
    expect(h.events).toEqual(['add a@1']);
    await h.informer.stop();
  });

  it('a watch that ends at once without events backs off instead of spinning', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    h.lw.current().close();
    await flush();
    expect(h.lw.watches).toHaveLength(1);
    await h.clock.advance(1000);
    expect(h.lw.watches).toHaveLength(2);
    await h.informer.stop();
  });
});

describe('Informer: watchdog', () => {
  it('restarts a watch that delivered nothing for watchdogMs', async () => {
    const h = setup({ watchdogMs: 60_000 });
    h.informer.start();
    await flush();
    const first = h.lw.current();
    await h.clock.advance(59_999);
    expect(first.ended).toBe(false);
    await h.clock.advance(1);
    expect(first.ended).toBe(true);
    expect(first.signal.aborted).toBe(true);
    expect(h.restarts).toEqual(['watchdog']);
    // Restarted at once (a silent minute counts as healthy), from the same version.
    expect(h.lw.watches).toHaveLength(2);
    expect(h.lw.current().options.resourceVersion).toBe(first.options.resourceVersion);
    expect(h.lw.lists).toHaveLength(1);
    await h.informer.stop();
  });

  it('events and bookmarks keep the watchdog quiet', async () => {
    const h = setup({ watchdogMs: 60_000 });
    h.informer.start();
    await flush();
    for (let i = 0; i < 10; i += 1) {
      await h.clock.advance(50_000);
      h.lw.current().emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: `${200 + i}` } } });
    }
    expect(h.lw.watches).toHaveLength(1);
    expect(h.restarts).toEqual([]);
    await h.clock.advance(60_000);
    expect(h.lw.watches).toHaveLength(2);
    expect(h.lw.current().options.resourceVersion).toBe('209');
    await h.informer.stop();
  });
});

describe('Informer: namespaces', () => {
  it('runs one list/watch per namespace; a relist of one leaves the others alone', async () => {
    const h = setup({ namespaces: ['a', 'b', 'a'] });
    h.lw.objects = [obj('x', '1', { namespace: 'a' }), obj('y', '2', { namespace: 'b' }), obj('z', '3', { namespace: 'c' })];
    h.informer.start();
    await flush();
    expect(h.lw.lists.map((l) => l.namespace)).toEqual(['a', 'b']);
    expect(h.informer.store.keys().sort()).toEqual(['a/x', 'b/y']);
    expect(h.informer.hasSynced()).toBe(true);
    const watchA = h.lw.watches.find((w) => w.namespace === 'a' && !w.ended)!;
    h.lw.objects = [obj('y', '2', { namespace: 'b' })]; // x vanished from a
    watchA.fail(gone());
    await flush();
    expect(h.informer.store.keys()).toEqual(['b/y']);
    expect(h.events).toContain('delete x');
    expect(h.informer.store.list('b')).toHaveLength(1);
    await h.informer.stop();
  });

  it('accepts a single namespace and watches cluster-scoped kinds cluster-wide', async () => {
    const single = setup({ namespaces: 'only' });
    single.informer.start();
    await flush();
    expect(single.lw.lists[0]?.namespace).toBe('only');
    await single.informer.stop();
    const cluster = setup({ type: Namespaces, namespaces: ['ignored'] });
    cluster.informer.start();
    await flush();
    expect(cluster.lw.lists[0]?.namespace).toBeUndefined();
    await cluster.informer.stop();
  });

  it('rejects an empty namespace list', () => {
    expect(() => setup({ namespaces: [] })).toThrow(/namespaces/);
    expect(() => setup({ namespaces: [''] })).toThrow(/namespaces/);
  });
});

describe('Informer: cache and handlers', () => {
  it('freezes cached objects when asked, so a mutation throws', async () => {
    const h = setup({ freeze: true });
    h.lw.objects = [obj('a', '1', { data: { k: 'v' } })];
    h.informer.start();
    await flush();
    const cached = h.informer.store.get('ns/a')!;
    expect(() => {
      (cached.data as Record<string, string>).k = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      cached.metadata!.name = 'other';
    }).toThrow(TypeError);
    await h.informer.stop();
  });

  it('caches and hands over transformed objects: stripManagedFields drops only managedFields', async () => {
    const managedFields = [{ manager: 'kube-controller-manager', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} } }];
    const withFields = (name: string, rv: string): Obj => {
      const o = obj(name, rv, { data: { k: 'v' } });
      return { ...o, metadata: { ...o.metadata, labels: { app: 'x' }, managedFields } };
    };
    const seen: Obj[] = [];
    const h = setup({ transform: stripManagedFields });
    h.informer.addHandlers({ add: (o) => seen.push(o), update: (_old, o) => seen.push(o) });
    h.lw.objects = [withFields('a', '1')];
    h.informer.start();
    await flush();
    h.lw.current().emit({ type: 'MODIFIED', object: withFields('a', '2') });
    await flush();
    const cached = h.informer.store.get('ns/a')!;
    expect(cached.metadata).toEqual({ name: 'a', namespace: 'ns', resourceVersion: '2', uid: 'uid-ns-a', ownerReferences: undefined, labels: { app: 'x' } });
    expect(cached.data).toEqual({ k: 'v' });
    expect(seen.map((o) => [o.metadata?.resourceVersion, 'managedFields' in (o.metadata ?? {})])).toEqual([['1', false], ['2', false]]);
    await h.informer.stop();
  });

  it('indexes by owner UID', async () => {
    const h = setup();
    const owner = { apiVersion: 'x/v1', kind: 'Owner', name: 'o', uid: 'owner-1', controller: true };
    h.lw.objects = [obj('a', '1', { owners: [owner] }), obj('b', '2', { owners: [owner] }), obj('c', '3')];
    h.informer.start();
    await flush();
    expect(h.informer.store.byIndex(OWNER_UID_INDEX, 'owner-1').map((o) => o.metadata?.name).sort()).toEqual(['a', 'b']);
    h.lw.current().emit({ type: 'MODIFIED', object: obj('b', '5') }); // owner removed
    expect(h.informer.store.byIndex(OWNER_UID_INDEX, 'owner-1').map((o) => o.metadata?.name)).toEqual(['a']);
    await h.informer.stop();
  });

  it('replays the cache to handlers added late, and unsubscribes', async () => {
    const h = setup();
    h.lw.objects = [obj('a', '1'), obj('b', '2')];
    h.informer.start();
    await flush();
    const late: string[] = [];
    const off = h.informer.addHandlers({ add: (o) => late.push(o.metadata!.name!) });
    expect(late.sort()).toEqual(['a', 'b']);
    off();
    h.lw.current().emit({ type: 'ADDED', object: obj('c', '3') });
    expect(late).toHaveLength(2);
    await h.informer.stop();
  });

  it('a throwing handler does not break the watch or other handlers', async () => {
    const h = setup();
    h.informer.addHandlers({
      add: () => {
        throw new Error('bad handler');
      },
    });
    h.informer.start();
    await flush();
    h.lw.current().emit({ type: 'ADDED', object: obj('a', '1') });
    h.lw.current().emit({ type: 'ADDED', object: obj('b', '2') });
    expect(h.events).toEqual(['add a@1', 'add b@2']);
    expect(h.lw.watches).toHaveLength(1);
    await h.informer.stop();
  });

  it('stop() ends the watch and nothing restarts it', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    const w = h.lw.current();
    await h.informer.stop();
    expect(w.signal.aborted).toBe(true);
    await h.clock.advance(1_000_000);
    expect(h.lw.watches).toHaveLength(1);
    expect(h.informer.running).toBe(false);
  });

  it('waitForSync resolves false when its signal aborts first', async () => {
    const h = setup();
    const abort = new AbortController();
    const result = h.informer.waitForSync(abort.signal);
    abort.abort();
    await expect(result).resolves.toBe(false);
  });
});

describe('apiListWatcher', () => {
  it('follows continue tokens, restores apiVersion/kind on items, and watches with bookmarks', async () => {
    const requests: { method: string; path: string; query: unknown }[] = [];
    const pages = [
      { metadata: { resourceVersion: '7', continue: 'tok' }, items: [{ metadata: { name: 'a', namespace: 'n' } }] },
      { metadata: { resourceVersion: '9' }, items: [{ metadata: { name: 'b', namespace: 'n' } }] },
    ];
    const watches: { path: string; query: unknown }[] = [];
    const client = {
      request: async (method: string, path: string, options: { query?: unknown }) => {
        requests.push({ method, path, query: options.query });
        return pages.shift();
      },
      watch: async (path: string, query: unknown) => {
        watches.push({ path, query });
      },
    } as unknown as KubeClient;
    const lw = apiListWatcher<Obj>(client, ConfigMaps);
    const result = await lw.list('n', { labelSelector: 'a=b', limit: 1 }, new AbortController().signal);
    expect(result.resourceVersion).toBe('9');
    expect(result.items.map((i) => [i.apiVersion, i.kind, i.metadata?.name])).toEqual([
      ['v1', 'ConfigMap', 'a'],
      ['v1', 'ConfigMap', 'b'],
    ]);
    expect(requests).toEqual([
      { method: 'GET', path: '/api/v1/namespaces/n/configmaps', query: { labelSelector: 'a=b', fieldSelector: undefined, limit: 1, continue: undefined } },
      { method: 'GET', path: '/api/v1/namespaces/n/configmaps', query: { labelSelector: 'a=b', fieldSelector: undefined, limit: 1, continue: 'tok' } },
    ]);
    await lw.watch(undefined, { resourceVersion: '9', timeoutSeconds: 5 }, () => {}, new AbortController().signal);
    expect(watches).toEqual([
      {
        path: '/api/v1/configmaps',
        query: { resourceVersion: '9', allowWatchBookmarks: true, labelSelector: undefined, fieldSelector: undefined, timeoutSeconds: 5 },
      },
    ]);
  });
});

describe('Informer: ERROR events', () => {
  it('treats a non-410 ERROR event as a failure and backs off (growing)', async () => {
    const h = setup();
    h.informer.start();
    await flush();
    const status = { kind: 'Status', code: 500, reason: 'InternalError' } as unknown as Obj;
    h.lw.current().emit({ type: 'ERROR', object: status });
    await flush();
    await h.clock.advance(1000);
    expect(h.lw.watches).toHaveLength(2);
    h.lw.current().emit({ type: 'ERROR', object: status });
    await flush();
    await h.clock.advance(1999);
    expect(h.lw.watches).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.lw.watches).toHaveLength(3);
    expect(h.restarts).toEqual(['error', 'error']);
    expect(h.lw.lists).toHaveLength(1);
    await h.informer.stop();
  });
});
