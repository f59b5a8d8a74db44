import { describe, expect, it } from '@jest/globals';

import { ApiError } from '../../../src/runtime/kube-http.js';
import { LeaderElector, microTime, type Lease, type LeaderElectorOptions, type LeaseClient } from '../../../src/runtime/leader-election.js';
import { FakeClock, flush } from './fake-clock.js';

/**
 * An in-memory Lease with the API server's rules: create fails with 409 if it exists, replace
 * fails with 409 on a stale resourceVersion; objects go through JSON like on the wire (so
 * MicroTimes come back as strings).
 */
class FakeLeaseServer {
  lease: Lease | undefined;
  private rv = 1;
  writes: Lease[] = [];
  /** When set, every call fails with this. */
  down: Error | undefined;

  client(): LeaseClient {
    return {
      namespace: 'ops',
      name: 'lock',
      get: async () => {
        if (this.down) throw this.down;
        return this.lease === undefined ? undefined : structuredClone(this.lease);
      },
      create: async (lease) => {
        if (this.down) throw this.down;
        if (this.lease !== undefined) throw new ApiError(409, { reason: 'AlreadyExists' }, 'POST', '/leases');
        return this.store(lease);
      },
      replace: async (lease) => {
        if (this.down) throw this.down;
        if (this.lease === undefined) throw new ApiError(404, { reason: 'NotFound' }, 'PUT', '/leases/lock');
        if (lease.metadata?.resourceVersion !== this.lease.metadata?.resourceVersion) throw new ApiError(409, { reason: 'Conflict' }, 'PUT', '/leases/lock');
        return this.store(lease);
      },
    };
  }

  private store(lease: Lease): Lease {
    const wire = JSON.parse(JSON.stringify(lease)) as Lease;
    wire.metadata = { ...wire.metadata, resourceVersion: String(++this.rv) };
    this.lease = wire;
    this.writes.push(wire);
    return structuredClone(wire);
  }
}

function candidate(server: FakeLeaseServer, clock: FakeClock, identity: string, extra: Partial<LeaderElectorOptions> = {}) {
  const log: string[] = [];
  const elector = new LeaderElector({
    lock: server.client(),
    identity,
    clock,
    random: () => 0,
    onStartedLeading: () => log.push('started'),
    onStoppedLeading: () => log.push('stopped'),
    onNewLeader: (id) => log.push(`leader=${id}`),
    ...extra,
  });
  const done = elector.run();
  return { elector, log, done };
}

const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('LeaderElector', () => {
  it('creates the Lease, leads, and renews every retry period with MicroTime timestamps', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    await flush();
    expect(a.elector.isLeader).toBe(true);
    expect(a.log).toEqual(['leader=a', 'started']);
    const spec = server.lease?.spec;
    expect(spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(spec?.renewTime).toMatch(MICRO);
    expect(spec?.acquireTime).toMatch(MICRO);
    const writes = server.writes.length;
    await clock.advance(2000);
    expect(server.writes.length).toBe(writes + 1);
    await clock.advance(2000);
    expect(server.writes.length).toBe(writes + 2);
    expect(new Date(server.lease?.spec?.renewTime as unknown as string).getTime()).toBe(clock.now());
    // acquireTime stays put while the same holder renews
    expect(server.lease?.spec?.acquireTime).toBe(spec?.acquireTime);
    await a.elector.stop();
    await a.done;
  });

  it('of two candidates exactly one leads; the other keeps polling', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    const b = candidate(server, clock, 'b');
    await flush();
    for (let i = 0; i < 20; i += 1) {
      await clock.advance(1000);
      expect([a.elector.isLeader, b.elector.isLeader].filter(Boolean)).toHaveLength(1);
    }
    const leaderId = a.elector.isLeader ? 'a' : 'b';
    const standby = a.elector.isLeader ? b : a;
    expect(standby.log).toEqual([`leader=${leaderId}`]);
    expect(standby.elector.observedLeader).toBe(leaderId);
    await a.elector.stop();
    await b.elector.stop();
  });

  it('a stopped leader releases the Lease and the standby takes over at its next retry', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    await flush();
    const b = candidate(server, clock, 'b');
    await flush();
    expect(a.elector.isLeader).toBe(true);
    await clock.advance(5000);
    await a.elector.stop();
    await a.done;
    expect(a.log).toEqual(['leader=a', 'started', 'stopped']);
    expect(server.lease?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    expect(b.elector.isLeader).toBe(false);
    // random() = 0: retries are exactly 2 s apart
    await clock.advance(2000);
    expect(b.elector.isLeader).toBe(true);
    expect(server.lease?.spec).toMatchObject({ holderIdentity: 'b', leaseDurationSeconds: 15, leaseTransitions: 1 });
    await b.elector.stop();
  });

  it('a standby takes over a dead leader only after the lease duration (as it observed it)', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    // A lease held by a crashed process, renewed "just now" according to its own (skewed) clock.
    server.lease = {
      metadata: { name: 'lock', namespace: 'ops', resourceVersion: '1' },
      spec: { holderIdentity: 'dead', leaseDurationSeconds: 15, renewTime: microTime(clock.now() + 3_600_000), leaseTransitions: 4 },
    };
    const b = candidate(server, clock, 'b');
    await flush();
    expect(b.elector.isLeader).toBe(false);
    await clock.advance(14_000);
    expect(b.elector.isLeader).toBe(false);
    await clock.advance(2000);
    expect(b.elector.isLeader).toBe(true);
    expect(server.lease?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 5 });
    expect(b.log).toEqual(['leader=dead', 'leader=b', 'started']);
    await b.elector.stop();
  });

  it('a leader that cannot renew within the renew deadline stops leading (and does not release)', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    await flush();
    expect(a.elector.isLeader).toBe(true);
    server.down = new Error('connection refused');
    await clock.advance(2000); // renewal due: starts failing
    expect(a.elector.isLeader).toBe(true);
    await clock.advance(9999);
    expect(a.elector.isLeader).toBe(true);
    await clock.advance(2);
    await a.done;
    expect(a.elector.isLeader).toBe(false);
    expect(a.log).toEqual(['leader=a', 'started', 'stopped']);
    server.down = undefined;
    expect(server.lease?.spec?.holderIdentity).toBe('a');
  });

  it('a leader whose Lease was taken by someone else stops leading', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    await flush();
    // An admin (or a split-brained peer) overwrites the holder.
    server.lease = { ...server.lease, metadata: { ...server.lease?.metadata, resourceVersion: '999' }, spec: { ...server.lease?.spec, holderIdentity: 'intruder', renewTime: microTime(clock.now()) } };
    // Renewal at 2 s fails (the holder is someone else and valid); retries until 2 s + 10 s.
    await clock.advance(11_999);
    expect(a.elector.isLeader).toBe(true);
    await clock.advance(1);
    await a.done;
    expect(a.elector.isLeader).toBe(false);
    expect(a.log).toContain('stopped');
    expect(server.lease?.spec?.holderIdentity).toBe('intruder');
  });

  it('loses a create race with 409 and does not lead', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const client = server.client();
    const racing: LeaseClient = {
      ...client,
      get: async (signal) => {
        const lease = await client.get(signal);
        // Someone creates it between our read and our create.
        if (lease === undefined && server.lease === undefined) {
          await client.create({ metadata: { name: 'lock' }, spec: { holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: microTime(clock.now()) } }, signal);
        }
        return lease;
      },
    };
    const a = candidate(server, clock, 'a', { lock: racing });
    await flush();
    expect(a.elector.isLeader).toBe(false);
    expect(server.lease?.spec?.holderIdentity).toBe('other');
    await a.elector.stop();
  });

  it('the leader renews without reading first (one request per renewal)', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const client = server.client();
    let gets = 0;
    const counting: LeaseClient = { ...client, get: (signal) => ((gets += 1), client.get(signal)) };
    const a = candidate(server, clock, 'a', { lock: counting });
    await flush();
    const getsAfterAcquire = gets;
    await clock.advance(20_000);
    expect(gets).toBe(getsAfterAcquire);
    await a.elector.stop();
  });

  it('validates its timings', () => {
    const lock = new FakeLeaseServer().client();
    expect(() => new LeaderElector({ lock, identity: '' })).toThrow(/identity/);
    expect(() => new LeaderElector({ lock, identity: 'a', leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(/leaseDuration/);
    expect(() => new LeaderElector({ lock, identity: 'a', renewDeadlineMs: 2000, retryPeriodMs: 2000 })).toThrow(/renewDeadline/);
    expect(() => new LeaderElector({ lock, identity: 'a', leaseDurationMs: 15_500 })).toThrow(/whole seconds/);
  });
});

describe('microTime', () => {
  it('serializes with six fractional digits', () => {
    expect(JSON.stringify({ t: microTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) })).toBe('{"t":"2024-01-02T03:04:05.678000Z"}');
  });
});

describe('LeaderElector release', () => {
  it('releases even when a renewal cut short by stop() was written (stale resourceVersion)', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const client = server.client();
    let stopDuringReplace: (() => void) | undefined;
    const racing: LeaseClient = {
      ...client,
      // The renewal reaches the server, but its answer is lost because stop() aborted it.
      replace: async (lease, signal) => {
        const written = await client.replace(lease, signal);
        if (stopDuringReplace !== undefined && lease.spec?.holderIdentity === 'a') {
          const stop = stopDuringReplace;
          stopDuringReplace = undefined;
          stop();
          throw new Error('aborted');
        }
        return written;
      },
    };
    const a = candidate(server, clock, 'a', { lock: racing });
    await flush();
    expect(a.elector.isLeader).toBe(true);
    let stopping: Promise<void> | undefined;
    stopDuringReplace = () => {
      stopping = a.elector.stop();
    };
    await clock.advance(2000); // the renewal: written, then "aborted"
    await stopping;
    await a.done;
    expect(server.lease?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });
});
