import { describe, expect, it } from '@jest/globals';
import { ExponentialRateLimiter } from '../../../src/runtime/rate-limiter.js';
import { runWorkers, WorkQueue, type QueueMetrics } from '../../../src/runtime/work-queue.js';
import { FakeClock, flush } from './fake-clock.js';

function newQueue(clock = new FakeClock(), metrics?: QueueMetrics) {
  return { clock, queue: new WorkQueue<string>({ clock, metrics }) };
}

/** Collects what a getter resolved with, without awaiting it. */
function pending<T>(promise: Promise<T>): { settled: boolean; value: T | undefined } {
  const state: { settled: boolean; value: T | undefined } = { settled: false, value: undefined };
  void promise.then((value) => {
    state.settled = true;
    state.value = value;
  });
  return state;
}

describe('WorkQueue: dedupe and order', () => {
  it('hands keys out in FIFO order and holds a waiting key once', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    queue.add('c');
    queue.add('b');
    expect(queue.length).toBe(3);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(await queue.get()).toBe('c');
    expect(queue.length).toBe(0);
    expect(queue.inFlight).toBe(3);
  });

  it('a getter waits until a key is added', async () => {
    const { queue } = newQueue();
    const got = pending(queue.get());
    await flush();
    expect(got.settled).toBe(false);
    queue.add('x');
    await flush();
    expect(got).toEqual({ settled: true, value: 'x' });
  });

  it('waiting getters are served in the order they asked', async () => {
    const { queue } = newQueue();
    const first = pending(queue.get());
    const second = pending(queue.get());
    queue.add('1');
    queue.add('2');
    await flush();
    expect(first.value).toBe('1');
    expect(second.value).toBe('2');
  });

  it('ignores done() for a key that is not in flight', async () => {
    const { queue } = newQueue();
    queue.done('nothing');
    queue.add('a');
    queue.done('a'); // queued, not in flight
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe('a');
  });

  it('compacts its internal array without losing keys', async () => {
    const { queue } = newQueue();
    for (let i = 0; i < 5000; i += 1) queue.add(`k${i}`);
    for (let i = 0; i < 5000; i += 1) {
      const key = await queue.get();
      expect(key).toBe(`k${i}`);
      if (i % 7 === 0) queue.add(`late${i}`);
      queue.done(key as string);
    }
    const late: string[] = [];
    while (queue.length > 0) late.push((await queue.get()) as string);
    expect(late).toEqual(Array.from({ length: 715 }, (_, j) => `late${j * 7}`));
  });
});

describe('WorkQueue: a key in flight is never handed out twice', () => {
  it('a key re-added while processing is queued again only after done()', async () => {
    const { queue } = newQueue();
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.add('a');
    queue.add('a');
    expect(queue.length).toBe(0);
    const second = pending(queue.get());
    await flush();
    expect(second.settled).toBe(false);
    queue.done('a');
    await flush();
    expect(second.value).toBe('a');
    queue.done('a');
    expect(queue.length).toBe(0);
    expect(queue.inFlight).toBe(0);
  });

  it('other keys are handed out while one is in flight', async () => {
    const { queue } = newQueue();
    queue.add('a');
    await queue.get();
    queue.add('a');
    queue.add('b');
    expect(await queue.get()).toBe('b');
    expect(queue.inFlight).toBe(2);
  });

  it('a key done without being re-added is not queued again', async () => {
    const { queue } = newQueue();
    queue.add('a');
    await queue.get();
    queue.done('a');
    expect(queue.length).toBe(0);
  });
});

describe('WorkQueue: urgent keys', () => {
  const drain = async (queue: WorkQueue<string>): Promise<string[]> => {
    const out: string[] = [];
    while (queue.length > 0) {
      const key = (await queue.get())!;
      out.push(key);
      queue.done(key);
    }
    return out;
  };

  it('hands urgent keys out before ordinary ones, each lane in FIFO order', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('u1', { urgent: true });
    queue.add('c');
    queue.add('u2', { urgent: true });
    expect(queue.length).toBe(5);
    expect(await drain(queue)).toEqual(['u1', 'u2', 'a', 'b', 'c']);
  });

  it('moves a waiting ordinary key up once, without handing it out twice', async () => {
    const { queue } = newQueue();
    for (const key of ['a', 'b', 'c']) queue.add(key);
    queue.add('c', { urgent: true });
    queue.add('c', { urgent: true });
    queue.add('c');
    expect(queue.length).toBe(3);
    expect(await drain(queue)).toEqual(['c', 'a', 'b']);
    expect(queue.length).toBe(0);
  });

  it('an ordinary add does not move an urgent key back', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('u', { urgent: true });
    queue.add('u');
    expect(await drain(queue)).toEqual(['u', 'a']);
  });

  it('a key added urgently while in flight is queued urgently when done', async () => {
    const { queue } = newQueue();
    queue.add('x');
    expect(await queue.get()).toBe('x');
    queue.add('a');
    queue.add('b');
    queue.add('x', { urgent: true });
    queue.done('x');
    expect(await drain(queue)).toEqual(['x', 'a', 'b']);
  });

  it('a key added ordinarily while in flight is queued at the back when done', async () => {
    const { queue } = newQueue();
    queue.add('x');
    await queue.get();
    queue.add('x');
    queue.add('a');
    queue.done('x');
    expect(await drain(queue)).toEqual(['a', 'x']);
  });

  it('keeps every key once through many moves (stale places are skipped)', async () => {
    const { queue } = newQueue();
    const keys = Array.from({ length: 3000 }, (_, i) => `k${i}`);
    for (const key of keys) queue.add(key);
    for (const key of keys.filter((_, i) => i % 3 === 0)) queue.add(key, { urgent: true });
    const out = await drain(queue);
    expect(out).toHaveLength(keys.length);
    expect(new Set(out).size).toBe(keys.length);
    expect(out.slice(0, 1000)).toEqual(keys.filter((_, i) => i % 3 === 0));
  });
});

describe('WorkQueue: getUrgent', () => {
  it('hands out only urgent keys, and waits for one', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const waiting = pending(queue.getUrgent());
    await flush();
    expect(waiting.settled).toBe(false);
    queue.add('u', { urgent: true });
    await flush();
    expect(waiting.value).toBe('u');
    expect(await queue.get()).toBe('a');
  });

  it('takes a key moved up from the ordinary lane once, and ordinary getters skip it', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('b', { urgent: true });
    expect(await queue.getUrgent()).toBe('b');
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe('a');
    expect(queue.length).toBe(0);
  });

  it('a waiting urgent getter gets undefined at shutdown', async () => {
    const { queue } = newQueue();
    const waiting = pending(queue.getUrgent());
    await queue.shutDown('stop');
    await flush();
    expect(waiting).toEqual({ settled: true, value: undefined });
  });
});

describe('WorkQueue: delays', () => {
  it('addAfter parks a key until it is due', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 1000);
    expect(queue.length).toBe(0);
    expect(queue.delayed).toBe(1);
    await clock.advance(999);
    expect(queue.length).toBe(0);
    await clock.advance(1);
    expect(queue.length).toBe(1);
    expect(queue.delayed).toBe(0);
    expect(await queue.get()).toBe('a');
  });

  it('addAfter with zero or negative delay adds at once', () => {
    const { queue } = newQueue();
    queue.addAfter('a', 0);
    queue.addAfter('b', -5);
    expect(queue.length).toBe(2);
  });

  it('a key parked twice keeps the earlier time', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 5000);
    queue.addAfter('a', 1000);
    queue.addAfter('a', 3000);
    expect(queue.delayed).toBe(1);
    await clock.advance(1000);
    expect(queue.length).toBe(1);
    await queue.get();
    queue.done('a');
    // The stale 3 s and 5 s entries must not add it again.
    await clock.advance(10_000);
    expect(queue.length).toBe(0);
  });

  it('a parked key that is also added directly is handed out once when due', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 1000);
    queue.add('a');
    await clock.advance(1000);
    expect(queue.length).toBe(1);
  });

  it('fires many parked keys in due order', async () => {
    const { queue, clock } = newQueue();
    // Deterministic pseudo-random delays.
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const delays = new Map<string, number>();
    for (let i = 0; i < 300; i += 1) {
      const ms = 1 + Math.floor(rand() * 100_000);
      delays.set(`k${i}`, ms);
      queue.addAfter(`k${i}`, ms);
    }
    const order: string[] = [];
    for (let t = 0; t <= 100_000; t += 500) {
      await clock.advance(500);
      while (queue.length > 0) order.push((await queue.get()) as string);
    }
    expect(order).toHaveLength(300);
    const bucket = (k: string) => Math.ceil((delays.get(k) as number) / 500);
    for (let i = 1; i < order.length; i += 1) expect(bucket(order[i - 1] as string)).toBeLessThanOrEqual(bucket(order[i] as string));
  });

  it('keeps a single timer armed however many keys are parked', async () => {
    const { queue, clock } = newQueue();
    for (let i = 0; i < 50; i += 1) queue.addAfter(`k${i}`, 1000 + i);
    expect(clock.pending).toBe(1);
    await clock.advance(1025);
    expect(queue.length).toBe(26);
    expect(clock.pending).toBe(1);
  });
});

describe('WorkQueue: rate-limited retries', () => {
  it('backs off exponentially per key and forget() resets it', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, rateLimiter: new ExponentialRateLimiter({ baseMs: 100, maxMs: 1000 }) });
    const delays: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const start = clock.now();
      queue.addRateLimited('a');
      while (queue.length === 0) await clock.advance(clock.nextAt()! - clock.now());
      delays.push(clock.now() - start);
      await queue.get();
      queue.done('a');
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(queue.retries('a')).toBe(6);
    queue.forget('a');
    expect(queue.retries('a')).toBe(0);
    queue.addRateLimited('a');
    await clock.advance(100);
    expect(queue.length).toBe(1);
  });

  it('one failing key does not delay another', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, rateLimiter: new ExponentialRateLimiter({ baseMs: 100, maxMs: 100_000 }) });
    for (let i = 0; i < 5; i += 1) queue.addRateLimited('bad'); // 100..1600 ms; the parked time stays the earliest
    queue.addRateLimited('good');
    await clock.advance(100);
    expect(queue.length).toBe(2);
    expect(queue.retries('bad')).toBe(5);
    expect(queue.retries('good')).toBe(1);
  });
});

describe('WorkQueue: shutdown', () => {
  it("'stop' wakes idle getters with undefined, hands out nothing more, waits for in-flight keys", async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    await queue.get(); // a in flight
    const idle = pending(queue.get()); // gets b
    await flush();
    expect(idle.value).toBe('b');
    queue.add('c');
    const waiting = pending(queue.get()); // gets c
    await flush();
    queue.add('d');
    const stopped = pending(queue.shutDown('stop'));
    const after = pending(queue.get());
    await flush();
    expect(after).toEqual({ settled: true, value: undefined });
    expect(stopped.settled).toBe(false);
    queue.add('e'); // ignored
    queue.addAfter('f', 10);
    queue.addRateLimited('g');
    queue.done('a');
    queue.done('b');
    await flush();
    expect(stopped.settled).toBe(false);
    queue.done(waiting.value as string);
    await flush();
    expect(stopped.settled).toBe(true);
    expect(queue.shuttingDown).toBe(true);
    expect(await queue.get()).toBeUndefined();
  });

  it("'stop' resolves at once when nothing is in flight", async () => {
    const { queue } = newQueue();
    queue.add('a');
    await expect(queue.shutDown('stop')).resolves.toBeUndefined();
  });

  it("'drain' hands out queued keys, including ones re-added while in flight", async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    expect(await queue.get()).toBe('a');
    queue.add('a'); // dirty while in flight
    const drained = pending(queue.shutDown('drain'));
    expect(await queue.get()).toBe('b');
    // The queue is empty but 'a' may come back: a worker must wait, not exit.
    const third = pending(queue.get());
    await flush();
    expect(third.settled).toBe(false);
    queue.done('a');
    await flush();
    expect(third.value).toBe('a');
    queue.done('b');
    queue.done('a');
    await flush();
    expect(drained.settled).toBe(true);
    expect(await queue.get()).toBeUndefined();
  });

  it("'stop' after 'drain' escalates", async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    await queue.get();
    const drained = pending(queue.shutDown('drain'));
    const stopped = pending(queue.shutDown('stop'));
    // 'b' is still queued, but after 'stop' it is not handed out.
    expect(await queue.get()).toBeUndefined();
    await flush();
    expect(stopped.settled).toBe(false); // 'a' is still in flight
    queue.done('a');
    await flush();
    expect(stopped.settled).toBe(true);
    expect(drained.settled).toBe(true);
  });

  it('drops parked keys and their timer', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 1000);
    await queue.shutDown('drain');
    expect(clock.pending).toBe(0);
    expect(queue.delayed).toBe(0);
    await clock.advance(2000);
    expect(queue.length).toBe(0);
  });
});

describe('WorkQueue: metrics', () => {
  it('counts adds (not dedupes), depth, retries, queue and work durations', async () => {
    const events: string[] = [];
    const metrics: QueueMetrics = {
      added: () => events.push('add'),
      depth: (n) => events.push(`depth=${n}`),
      queueLatency: (s) => events.push(`latency=${s}`),
      workDuration: (s) => events.push(`work=${s}`),
      retried: () => events.push('retry'),
    };
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, metrics, rateLimiter: new ExponentialRateLimiter({ baseMs: 1000 }) });
    queue.add('a');
    queue.add('a');
    await clock.advance(250);
    await queue.get();
    await clock.advance(1500);
    queue.done('a');
    queue.addRateLimited('a');
    await clock.advance(1000);
    expect(events).toEqual(['add', 'depth=1', 'depth=0', 'latency=0.25', 'work=1.5', 'retry', 'add', 'depth=1']);
  });
});

describe('runWorkers', () => {
  it('runs at most `concurrency` keys at once and never one key twice at once', async () => {
    const { queue, clock } = newQueue();
    let running = 0;
    let maxRunning = 0;
    const active = new Set<string>();
    let overlap = false;
    const handled: string[] = [];
    const workers = runWorkers(queue, 3, async (key) => {
      if (active.has(key)) overlap = true;
      active.add(key);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      // Re-add keys while they are in flight: they must wait for this run to end.
      queue.add(key);
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 10));
      handled.push(key);
      active.delete(key);
      running -= 1;
    });
    for (let round = 0; round < 5; round += 1) {
      for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(key);
      await clock.advance(10);
    }
    const stopped = queue.shutDown('stop');
    await clock.advance(100);
    await stopped;
    await workers;
    expect(overlap).toBe(false);
    expect(maxRunning).toBe(3);
    expect(handled.length).toBeGreaterThanOrEqual(5);
    expect(new Set(handled)).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
  });

  it('calls done() and reports errors when the handler throws', async () => {
    const { queue } = newQueue();
    const errors: string[] = [];
    const workers = runWorkers(
      queue,
      2,
      async (key) => {
        throw new Error(`boom ${key}`);
      },
      (error, key) => errors.push(`${key}: ${(error as Error).message}`),
    );
    queue.add('x');
    await flush();
    expect(errors).toEqual(['x: boom x']);
    expect(queue.inFlight).toBe(0);
    await queue.shutDown('stop');
    await workers;
  });

  it('rejects a bad concurrency', async () => {
    const { queue } = newQueue();
    await expect(runWorkers(queue, 0, async () => {})).rejects.toThrow(/positive integer/);
  });
});
