import { describe, expect, it } from '@jest/globals';
import { summarizeLag } from '../../../bench/lag.js';
import { percentile } from '../../../bench/percentile.js';

describe('operator lag', () => {
  it('is server Ready minus Deployment ready, per server, over servers that have both', () => {
    const deployments = new Map(Array.from({ length: 100 }, (_, i) => [`s${i}`, 1000 + i] as const));
    // s0..s98 lag i ms; s99 lags 5000 ms; s100 has no Deployment moment and is left out.
    const servers = new Map<string, number>(Array.from({ length: 99 }, (_, i) => [`s${i}`, 1000 + i + i] as const));
    servers.set('s99', 1099 + 5000);
    servers.set('s100', 7000);
    const lag = summarizeLag(deployments, servers);
    expect(lag).toEqual({ servers: 100, p50Ms: 49, p99Ms: 98, maxMs: 5000, readyFirst: 0 });
  });

  it('counts a server seen Ready before its Deployment as 0 ms and says how many there were', () => {
    const lag = summarizeLag(new Map([['a', 500], ['b', 100]]), new Map([['a', 400], ['b', 350]]));
    expect(lag).toEqual({ servers: 2, p50Ms: 0, p99Ms: 250, maxMs: 250, readyFirst: 1 });
  });

  it('has no figures without servers', () => {
    const lag = summarizeLag(new Map(), new Map());
    expect(lag.servers).toBe(0);
    expect(Number.isNaN(lag.p99Ms)).toBe(true);
  });

  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100), percentile([7], 99)]).toEqual([500, 990, 1000, 7]);
  });

  it('splits the figures at the moment every child existed, by when the Deployment became ready', () => {
    const deployments = new Map([['early', 100], ['late', 500], ['later', 600]]);
    const servers = new Map([['early', 1100], ['late', 520], ['later', 610]]);
    const lag = summarizeLag(deployments, servers, 300);
    expect(lag.whileConverging).toEqual({ servers: 1, p50Ms: 1000, p99Ms: 1000, maxMs: 1000 });
    expect(lag.afterConverged).toEqual({ servers: 2, p50Ms: 10, p99Ms: 20, maxMs: 20 });
    expect(lag.p99Ms).toBe(1000);
  });
});
