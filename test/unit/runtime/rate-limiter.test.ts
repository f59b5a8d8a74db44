import { describe, expect, it } from '@jest/globals';
import { Backoff } from '../../../src/runtime/backoff.js';
import { ExponentialRateLimiter } from '../../../src/runtime/rate-limiter.js';

describe('ExponentialRateLimiter', () => {
  it('defaults to controller-runtime values: 5 ms doubling to 1000 s', () => {
    const limiter = new ExponentialRateLimiter<string>();
    expect([1, 2, 3, 4].map(() => limiter.when('k'))).toEqual([5, 10, 20, 40]);
    for (let i = 0; i < 100; i += 1) limiter.when('k');
    expect(limiter.when('k')).toBe(1_000_000);
  });

  it('never overflows past the cap', () => {
    const limiter = new ExponentialRateLimiter<string>({ baseMs: 1, maxMs: 50 });
    for (let i = 0; i < 2000; i += 1) expect(limiter.when('k')).toBeLessThanOrEqual(50);
  });

  it('tracks keys independently and forget() resets one', () => {
    const limiter = new ExponentialRateLimiter<string>({ baseMs: 10, maxMs: 1000 });
    limiter.when('a');
    limiter.when('a');
    expect(limiter.when('b')).toBe(10);
    expect(limiter.retries('a')).toBe(2);
    limiter.forget('a');
    expect(limiter.retries('a')).toBe(0);
    expect(limiter.when('a')).toBe(10);
    expect(limiter.retries('b')).toBe(1);
  });

  it('rejects nonsense options', () => {
    expect(() => new ExponentialRateLimiter({ baseMs: 0 })).toThrow();
    expect(() => new ExponentialRateLimiter({ baseMs: 10, maxMs: 5 })).toThrow();
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, without jitter', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect(Array.from({ length: 7 }, () => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('adds at most `jitter` × delay at random', () => {
    const max = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0.999999 });
    const min = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0 });
    expect(max.next()).toBe(150);
    expect(min.next()).toBe(100);
    for (let i = 0; i < 10; i += 1) max.next();
    expect(max.next()).toBe(1500);
  });

  it('reset() starts over', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('defaults to 800 ms … 30 s (client-go reflector)', () => {
    const backoff = new Backoff({ jitter: 0 });
    expect(backoff.next()).toBe(800);
    for (let i = 0; i < 20; i += 1) backoff.next();
    expect(backoff.next()).toBe(30_000);
  });

  it('rejects nonsense options', () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow();
    expect(() => new Backoff({ initialMs: 10, maxMs: 5 })).toThrow();
    expect(() => new Backoff({ factor: 0.5 })).toThrow();
  });
});
