import { describe, expect, it } from '@jest/globals';
import {
  Controller,
  controllerOwnerKey,
  generationChanged,
  TerminalError,
  type ControllerOptions,
  type ReconcileRequest,
  type ReconcileResult,
} from '../../../src/runtime/controller.js';
import { Informer } from '../../../src/runtime/informer.js';
import { RuntimeMetrics } from '../../../src/runtime/metrics.js';
import { ExponentialRateLimiter } from '../../../src/runtime/rate-limiter.js';
import { ConfigMaps, type ResourceType } from '../../../src/runtime/resources.js';
import { FakeClock, flush } from './fake-clock.js';
import { FakeListWatcher, obj, type Obj } from './fake-list-watcher.js';

const Widgets: ResourceType = { apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: true };

function widget(name: string, rv: string, generation = 1, namespace = 'ns'): Obj {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace, resourceVersion: rv, uid: `w-${name}`, generation } };
}

function ownedBy(name: string, rv: string, owner: string, options: { controller?: boolean; kind?: string; apiVersion?: string } = {}): Obj {
  return obj(name, rv, {
    owners: [
      {
        apiVersion: options.apiVersion ?? 'example.com/v1',
        kind: options.kind ?? 'Widget',
        name: owner,
        uid: `w-${owner}`,
        controller: options.controller ?? true,
      },
    ],
  });
}

type Reconcile = (req: ReconcileRequest) => Promise<ReconcileResult | void>;

function setup(reconcile: Reconcile, options: Partial<ControllerOptions<Obj>> = {}) {
  const clock = new FakeClock();
  const primaryLw = new FakeListWatcher();
  const ownedLw = new FakeListWatcher();
  const primary = new Informer<Obj>({ type: Widgets, listWatcher: primaryLw, clock, watchTimeoutSeconds: () => 300 });
  const owned = new Informer<Obj>({ type: ConfigMaps, listWatcher: ownedLw, clock, watchTimeoutSeconds: () => 300 });
  const metrics = new RuntimeMetrics({ defaultMetrics: false });
  const controller = new Controller<Obj>({
    name: 'widgets',
    for: primary,
    owns: [owned],
    reconcile,
    clock,
    metrics,
    rateLimiter: new ExponentialRateLimiter({ baseMs: 100, maxMs: 10_000 }),
    resyncPeriodMs: 0,
    ...options,
  });
  const start = async () => {
    primary.start();
    owned.start();
    const run = controller.start();
    await flush();
    // Wrapped: returning the promise itself from an async function would wait for it.
    return { run };
  };
  return { clock, primaryLw, ownedLw, primary, owned, controller, metrics, start };
}

/** A reconciler that records keys and can be told how to answer. */
function recorder() {
  const calls: string[] = [];
  let answer: (key: string, n: number) => Promise<ReconcileResult | void> = async () => undefined;
  const reconcile: Reconcile = async (req) => {
    calls.push(req.key);
    return answer(req.key, calls.filter((k) => k === req.key).length);
  };
  return {
    calls,
    reconcile,
    answer(fn: typeof answer) {
      answer = fn;
    },
  };
}

async function metricValue(metrics: RuntimeMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value;
}

describe('Controller: sources', () => {
  it('reconciles primary objects by their own key, after the caches synced', async () => {
    const r = recorder();
    const t = setup(r.reconcile);
    t.primaryLw.objects = [widget('a', '1'), widget('b', '2')];
    await t.start();
    expect(r.calls.sort()).toEqual(['ns/a', 'ns/b']);
    t.primaryLw.current().emit({ type: 'MODIFIED', object: widget('a', '3', 2) });
    await flush();
    t.primaryLw.current().emit({ type: 'DELETED', object: widget('b', '4') });
    await flush();
    expect(r.calls.slice(2)).toEqual(['ns/a', 'ns/b']);
    await t.controller.stop();
  });

  it('maps owned objects to their controlling owner of the primary kind only', async () => {
    const r = recorder();
    const t = setup(r.reconcile);
    await t.start();
    const w = t.ownedLw.current();
    w.emit({ type: 'ADDED', object: ownedBy('cm1', '10', 'owner1') });
    await flush();
    w.emit({ type: 'ADDED', object: ownedBy('cm2', '11', 'owner2', { controller: false }) });
    w.emit({ type: 'ADDED', object: ownedBy('cm3', '12', 'owner3', { kind: 'Gadget' }) });
    w.emit({ type: 'ADDED', object: ownedBy('cm4', '13', 'owner4', { apiVersion: 'other.com/v1' }) });
    w.emit({ type: 'ADDED', object: obj('cm5', '14') });
    await flush();
    // The version may differ: ownership is by group and kind.
    w.emit({ type: 'ADDED', object: ownedBy('cm6', '15', 'owner6', { apiVersion: 'example.com/v2' }) });
    await flush();
    w.emit({ type: 'DELETED', object: ownedBy('cm1', '16', 'owner1') });
    await flush();
    expect(r.calls).toEqual(['ns/owner1', 'ns/owner6', 'ns/owner1']);
    await t.controller.stop();
  });

  it("an owned source's urgent events put the owner ahead of waiting work, on a worker kept for them", async () => {
    const r = recorder();
    let release: () => void = () => {};
    r.answer(async (key) => {
      if (key === 'ns/busy') await new Promise<void>((resolve) => (release = resolve));
    });
    const clock = new FakeClock();
    const ownedLw = new FakeListWatcher();
    const owned = new Informer<Obj>({ type: ConfigMaps, listWatcher: ownedLw, clock, watchTimeoutSeconds: () => 300 });
    const flipped = (e: { type: string; obj: Obj; old?: Obj }) => e.type === 'update' && e.obj.data?.ready !== e.old?.data?.ready;
    const t = setup(r.reconcile, { clock, concurrency: 1, owns: [{ informer: owned, urgent: flipped }] });
    ownedLw.objects = [ownedBy('cm-c', '1', 'c')];
    owned.start();
    await t.start();
    r.calls.length = 0;
    const p = t.primaryLw.current();
    p.emit({ type: 'ADDED', object: widget('busy', '2') });
    await flush();
    for (const [name, rv] of [['a', '3'], ['b', '4']] as const) p.emit({ type: 'ADDED', object: widget(name, rv) });
    // An ordinary owned update queues c at the back; the flip moves it to the front.
    ownedLw.current().emit({ type: 'MODIFIED', object: { ...ownedBy('cm-c', '5', 'c'), data: { note: 'x' } } });
    ownedLw.current().emit({ type: 'MODIFIED', object: { ...ownedBy('cm-c', '6', 'c'), data: { note: 'x', ready: 'yes' } } });
    await flush();
    // The worker kept for urgent keys takes c while the only ordinary worker is still busy.
    expect(r.calls).toEqual(['ns/busy', 'ns/c']);
    release();
    await flush();
    expect(r.calls).toEqual(['ns/busy', 'ns/c', 'ns/a', 'ns/b']);
    await t.controller.stop();
  });

  it('an update that changes the owner enqueues both owners', async () => {
    const r = recorder();
    const t = setup(r.reconcile);
    t.ownedLw.objects = [ownedBy('cm', '1', 'old')];
    await t.start();
    r.calls.length = 0;
    t.ownedLw.current().emit({ type: 'MODIFIED', object: ownedBy('cm', '2', 'new') });
    await flush();
    expect(r.calls.sort()).toEqual(['ns/new', 'ns/old']);
    await t.controller.stop();
  });

  it('uses custom mappers for watched kinds', async () => {
    const r = recorder();
    const clock = new FakeClock();
    const lw = new FakeListWatcher();
    const other = new Informer<Obj>({ type: ConfigMaps, listWatcher: lw, clock });
    const t = setup(r.reconcile, {
      owns: [],
      watches: [{ informer: other, map: (o: Obj) => (o.data?.targets ?? '').split(',').filter((s) => s !== '').map((n) => `ns/${n}`) }],
    });
    other.start();
    await t.start();
    lw.current().emit({ type: 'ADDED', object: obj('cfg', '1', { data: { targets: 'x,y' } }) });
    await flush();
    expect(r.calls.sort()).toEqual(['ns/x', 'ns/y']);
    await t.controller.stop();
    await other.stop();
  });

  it('applies predicates (generationChanged ignores status-only updates)', async () => {
    const r = recorder();
    const t = setup(r.reconcile, { forPredicate: generationChanged });
    t.primaryLw.objects = [widget('a', '1', 1)];
    await t.start();
    t.primaryLw.current().emit({ type: 'MODIFIED', object: widget('a', '2', 1) });
    await flush();
    expect(r.calls).toEqual(['ns/a']);
    t.primaryLw.current().emit({ type: 'MODIFIED', object: widget('a', '3', 2) });
    await flush();
    expect(r.calls).toEqual(['ns/a', 'ns/a']);
    await t.controller.stop();
  });

  it('lists every informer it reads', () => {
    const t = setup(async () => undefined);
    expect(t.controller.informers()).toEqual([t.primary, t.owned]);
  });
});

describe('Controller: results', () => {
  it('retries errors with per-key backoff and forgets it after success', async () => {
    const r = recorder();
    r.answer(async (_key, n) => {
      if (n <= 3) throw new Error(`attempt ${n} failed`);
    });
    const t = setup(r.reconcile);
    t.primaryLw.objects = [widget('a', '1')];
    await t.start();
    expect(r.calls).toHaveLength(1);
    await t.clock.advance(100);
    expect(r.calls).toHaveLength(2);
    await t.clock.advance(199);
    expect(r.calls).toHaveLength(2);
    await t.clock.advance(1);
    expect(r.calls).toHaveLength(3);
    await t.clock.advance(400);
    expect(r.calls).toHaveLength(4);
    expect(t.controller.queue.retries('ns/a')).toBe(0);
    expect(await metricValue(t.metrics, 'controller_runtime_reconcile_total', { controller: 'widgets', result: 'error' })).toBe(3);
    expect(await metricValue(t.metrics, 'controller_runtime_reconcile_total', { controller: 'widgets', result: 'success' })).toBe(1);
    expect(await metricValue(t.metrics, 'controller_runtime_reconcile_errors_total', { controller: 'widgets' })).toBe(3);
    expect(await metricValue(t.metrics, 'workqueue_retries_total', { name: 'widgets' })).toBe(3);
    await t.controller.stop();
  });

  it('requeueAfter looks again after the delay and resets the backoff', async () => {
    const r = recorder();
    r.answer(async (_key, n) => (n === 1 ? { requeue: true } : n === 2 ? { requeueAfter: 5000 } : undefined));
    const t = setup(r.reconcile);
    t.primaryLw.objects = [widget('a', '1')];
    await t.start();
    await t.clock.advance(100); // requeue: rate-limited
    expect(r.calls).toHaveLength(2);
    expect(t.controller.queue.retries('ns/a')).toBe(0);
    await t.clock.advance(4999);
    expect(r.calls).toHaveLength(2);
    await t.clock.advance(1);
    expect(r.calls).toHaveLength(3);
    expect(await metricValue(t.metrics, 'controller_runtime_reconcile_total', { controller: 'widgets', result: 'requeue' })).toBe(1);
    expect(await metricValue(t.metrics, 'controller_runtime_reconcile_total', { controller: 'widgets', result: 'requeue_after' })).toBe(1);
    await t.controller.stop();
  });

  it('does not retry a TerminalError', async () => {
    const r = recorder();
    r.answer(async () => {
      throw new TerminalError('spec can never work');
    });
    const t = setup(r.reconcile);
    t.primaryLw.objects = [widget('a', '1')];
    await t.start();
    await t.clock.advance(1_000_000);
    expect(r.calls).toHaveLength(1);
    expect(await metricValue(t.metrics, 'controller_runtime_reconcile_errors_total', { controller: 'widgets' })).toBe(1);
    await t.controller.stop();
  });

  it('never reconciles one key twice at once; an event during a reconcile causes one more', async () => {
    let release: () => void = () => {};
    let running = 0;
    let overlap = false;
    const keys: string[] = [];
    const t = setup(
      async (req) => {
        keys.push(req.key);
        running += 1;
        if (running > 1) overlap = true;
        if (keys.length === 1) await new Promise<void>((resolve) => (release = resolve));
        running -= 1;
      },
      { concurrency: 4 },
    );
    t.primaryLw.objects = [widget('a', '1')];
    await t.start();
    for (let i = 2; i < 6; i += 1) t.primaryLw.current().emit({ type: 'MODIFIED', object: widget('a', `${i}`) });
    await flush();
    expect(keys).toEqual(['ns/a']);
    release();
    await flush();
    expect(keys).toEqual(['ns/a', 'ns/a']);
    expect(overlap).toBe(false);
    await t.controller.stop();
  });

  it('passes namespace, name, a logger and a signal', async () => {
    const seen: ReconcileRequest[] = [];
    const t = setup(async (req) => {
      seen.push(req);
    });
    t.primaryLw.objects = [widget('a', '1', 1, 'team')];
    await t.start();
    expect(seen[0]).toMatchObject({ key: 'team/a', namespace: 'team', name: 'a' });
    expect(typeof seen[0]?.logger.info).toBe('function');
    expect(seen[0]?.signal.aborted).toBe(false);
    await t.controller.stop();
  });
});

describe('Controller: resync and shutdown', () => {
  it('enqueues every primary key each resync period', async () => {
    const r = recorder();
    const t = setup(r.reconcile, { resyncPeriodMs: 60_000 });
    t.primaryLw.objects = [widget('a', '1'), widget('b', '2')];
    await t.start();
    expect(r.calls).toHaveLength(2);
    await t.clock.advance(60_000);
    expect(r.calls).toHaveLength(4);
    await t.clock.advance(60_000);
    expect(r.calls).toHaveLength(6);
    await t.controller.stop();
    await t.clock.advance(60_000);
    expect(r.calls).toHaveLength(6);
  });

  it('does not reconcile before every informer synced', async () => {
    const r = recorder();
    const t = setup(r.reconcile);
    t.primaryLw.objects = [widget('a', '1')];
    t.ownedLw.listAnswers.push(new Error('not yet'));
    await t.start();
    expect(r.calls).toEqual([]);
    await t.clock.advance(2000); // owned informer retries its list
    expect(r.calls).toEqual(['ns/a']);
    await t.controller.stop();
  });

  it('stop() waits for in-flight reconciles, then the workers end', async () => {
    let release: () => void = () => {};
    let finished = false;
    const t = setup(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    t.primaryLw.objects = [widget('a', '1')];
    const { run } = await t.start();
    let stopped = false;
    const stopping = t.controller.stop(30_000).then((ok) => {
      stopped = true;
      return ok;
    });
    await flush();
    expect(stopped).toBe(false);
    release();
    await expect(stopping).resolves.toBe(true);
    expect(finished).toBe(true);
    await run;
  });

  it('stop() aborts the reconcile signal when the deadline passes', async () => {
    let signal: AbortSignal | undefined;
    const t = setup(async (req) => {
      signal = req.signal;
      await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve()));
    });
    t.primaryLw.objects = [widget('a', '1')];
    await t.start();
    const stopping = t.controller.stop(5000);
    await t.clock.advance(4999);
    expect(signal?.aborted).toBe(false);
    await t.clock.advance(1);
    await expect(stopping).resolves.toBe(false);
    expect(signal?.aborted).toBe(true);
  });

  it('stop() before sync returns without starting workers', async () => {
    const r = recorder();
    const t = setup(r.reconcile);
    t.primaryLw.listAnswers.push(new Error('down'));
    const { run } = await t.start();
    await t.controller.stop();
    await run;
    await t.clock.advance(100_000);
    expect(r.calls).toEqual([]);
  });

  it('rejects bad concurrency and double start', async () => {
    expect(() => setup(async () => undefined, { concurrency: 0 })).toThrow(/concurrency/);
    const t = setup(async () => undefined);
    const { run } = await t.start();
    await expect(t.controller.start()).rejects.toThrow(/already started/);
    await t.controller.stop();
    await run;
  });
});

describe('controllerOwnerKey', () => {
  it('returns the owner key only for a controller reference of the owner kind', () => {
    expect(controllerOwnerKey(ownedBy('x', '1', 'o'), Widgets)).toBe('ns/o');
    expect(controllerOwnerKey(ownedBy('x', '1', 'o', { controller: false }), Widgets)).toBeUndefined();
    expect(controllerOwnerKey(obj('x', '1'), Widgets)).toBeUndefined();
    const clusterOwner: ResourceType = { ...Widgets, namespaced: false };
    expect(controllerOwnerKey(ownedBy('x', '1', 'o'), clusterOwner)).toBe('o');
  });
});

describe('Controller: abort signals', () => {
  it('gives each reconcile its own signal, so many parallel requests raise no MaxListenersExceeded warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const signals: AbortSignal[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      // Each reconcile listens on its signal 8 times, as 8 parallel API requests would.
      const t = setup(
        async (req) => {
          signals.push(req.signal);
          for (let i = 0; i < 8; i++) req.signal.addEventListener('abort', () => undefined);
          await gate;
        },
        { concurrency: 16 },
      );
      t.primaryLw.objects = Array.from({ length: 16 }, (_, i) => widget(`w${i}`, String(i + 1)));
      await t.start();
      expect(signals).toHaveLength(16);
      expect(new Set(signals).size).toBe(16); // one signal per reconcile
      release();
      await flush();
      // Shutdown still reaches in-flight reconciles through their own signals.
      const stuck: AbortSignal[] = [];
      const t2 = setup(async (req) => {
        stuck.push(req.signal);
        await new Promise((resolve) => req.signal.addEventListener('abort', resolve));
      });
      t2.primaryLw.objects = [widget('slow', '1')];
      await t2.start();
      const stopping = t2.controller.stop(10);
      await t2.clock.advance(10);
      await stopping;
      expect(stuck[0]?.aborted).toBe(true);
      await t.controller.stop();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
