import { describe, expect, it } from '@jest/globals';
import { EventRecorder, microTimeString } from '../../../src/runtime/events.js';
import { ApiError, type KubeClient } from '../../../src/runtime/kube-http.js';
import { FakeClock, flush } from './fake-clock.js';

interface Call {
  method: string;
  path: string;
  body: Record<string, unknown>;
  contentType?: string;
}

function fakeClient(fail?: (call: Call) => Error | undefined) {
  const calls: Call[] = [];
  const client = {
    request: async (method: string, path: string, options: { body?: unknown; contentType?: string }) => {
      const call = { method, path, body: structuredClone(options.body) as Record<string, unknown>, contentType: options.contentType };
      calls.push(call);
      const error = fail?.(call);
      if (error !== undefined) throw error;
      return {};
    },
  } as unknown as KubeClient;
  return { calls, client };
}

const server = {
  apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
  kind: 'MCPServer',
  metadata: { name: 'weather', namespace: 'mcp-servers', uid: 'uid-1', resourceVersion: '42' },
};

function recorder(client: KubeClient, clock: FakeClock, extra = {}) {
  return new EventRecorder({ client, reportingController: 'mcp.agent-hellboy.io/mcpserver', reportingInstance: 'pod-1', clock, ...extra });
}

describe('EventRecorder', () => {
  it('creates an events.k8s.io/v1 Event about the object', async () => {
    const clock = new FakeClock(Date.UTC(2024, 0, 1, 12, 0, 0, 123));
    const { calls, client } = fakeClient();
    await recorder(client, clock).record(server, 'Warning', 'ImagePullFailed', 'Reconcile', 'image missing');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.path).toBe('/apis/events.k8s.io/v1/namespaces/mcp-servers/events');
    const body = calls[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      eventTime: '2024-01-01T12:00:00.123000Z',
      reportingController: 'mcp.agent-hellboy.io/mcpserver',
      reportingInstance: 'pod-1',
      type: 'Warning',
      reason: 'ImagePullFailed',
      action: 'Reconcile',
      note: 'image missing',
      regarding: { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', name: 'weather', namespace: 'mcp-servers', uid: 'uid-1', resourceVersion: '42' },
    });
    expect((body.metadata as { name: string }).name).toMatch(/^weather\.[0-9a-f]{16}$/);
  });

  it('aggregates repeats into one Event whose series.count rises, at most one write per interval', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    const events = recorder(client, clock, { minPatchIntervalMs: 15_000 });
    await events.record(server, 'Warning', 'Failed', 'Reconcile', 'same note');
    for (let i = 0; i < 5; i += 1) {
      await clock.advance(1000);
      await events.record(server, 'Warning', 'Failed', 'Reconcile', 'same note');
    }
    expect(calls).toHaveLength(1);
    await clock.advance(10_000); // 15 s after the create
    expect(calls).toHaveLength(2);
    const name = (calls[0]?.body.metadata as { name: string }).name;
    expect(calls[1]).toMatchObject({
      method: 'PATCH',
      path: `/apis/events.k8s.io/v1/namespaces/mcp-servers/events/${name}`,
      contentType: 'application/merge-patch+json',
      body: { series: { count: 6, lastObservedTime: microTimeString(clock.now() - 10_000) } },
    });
    // Quiet: no more writes.
    await clock.advance(60_000);
    expect(calls).toHaveLength(2);
    // The next repeat more than an interval later is written at once.
    await events.record(server, 'Warning', 'Failed', 'Reconcile', 'same note');
    expect(calls).toHaveLength(3);
    expect(calls[2]?.body).toMatchObject({ series: { count: 7 } });
  });

  it('different reasons, notes or objects are different Events', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    const events = recorder(client, clock);
    await events.record(server, 'Normal', 'Ready', 'Reconcile', 'a');
    await events.record(server, 'Normal', 'Ready', 'Reconcile', 'b');
    await events.record(server, 'Normal', 'Progressing', 'Reconcile', 'a');
    await events.record({ ...server, metadata: { ...server.metadata, uid: 'uid-2' } }, 'Normal', 'Ready', 'Reconcile', 'a');
    expect(calls.map((c) => c.method)).toEqual(['POST', 'POST', 'POST', 'POST']);
  });

  it('starts a new Event after the series window', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    const events = recorder(client, clock, { seriesWindowMs: 60_000 });
    await events.record(server, 'Normal', 'Ready', 'Reconcile', 'x');
    await clock.advance(61_000);
    await events.record(server, 'Normal', 'Ready', 'Reconcile', 'x');
    expect(calls.map((c) => c.method)).toEqual(['POST', 'POST']);
  });

  it('re-creates an expired Event (404 on patch) with its series', async () => {
    const clock = new FakeClock();
    let expired = false;
    const { calls, client } = fakeClient((call) => (expired && call.method === 'PATCH' ? new ApiError(404, { reason: 'NotFound' }, 'PATCH', call.path) : undefined));
    const events = recorder(client, clock, { minPatchIntervalMs: 1000 });
    await events.record(server, 'Warning', 'Failed', 'Reconcile', 'n');
    expired = true;
    await clock.advance(2000);
    await events.record(server, 'Warning', 'Failed', 'Reconcile', 'n'); // PATCH → 404
    await clock.advance(2000);
    await events.record(server, 'Warning', 'Failed', 'Reconcile', 'n'); // POST again
    expect(calls.map((c) => c.method)).toEqual(['POST', 'PATCH', 'POST']);
    expect(calls[2]?.body).toMatchObject({ series: { count: 3 } });
    expect(calls[2]?.body.metadata).toEqual(calls[0]?.body.metadata);
  });

  it('never rejects, and does not retry forever when writes fail (e.g. RBAC)', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient((call) => new ApiError(403, { reason: 'Forbidden' }, call.method, call.path));
    const events = recorder(client, clock, { minPatchIntervalMs: 1000 });
    await expect(events.record(server, 'Normal', 'Ready', 'Reconcile', 'x')).resolves.toBeUndefined();
    await events.record(server, 'Normal', 'Ready', 'Reconcile', 'x');
    await clock.advance(60_000);
    expect(calls).toHaveLength(2); // the create, and one retry when the repeat came
  });

  it('stop() flushes pending counts', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    const events = recorder(client, clock);
    await events.record(server, 'Normal', 'Ready', 'Reconcile', 'x');
    await events.record(server, 'Normal', 'Ready', 'Reconcile', 'x');
    await flush();
    expect(calls).toHaveLength(1);
    await events.stop();
    expect(calls.map((c) => c.method)).toEqual(['POST', 'PATCH']);
    await events.record(server, 'Normal', 'Ready', 'Reconcile', 'x');
    expect(calls).toHaveLength(2);
  });

  it('stop() drops Events still waiting for the budget and writes owed counts a burst at a time', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    let maxInFlight = 0;
    const calls: string[] = [];
    const client = {
      request: async (method: string) => {
        calls.push(method);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return {};
      },
    } as unknown as KubeClient;
    const r = recorder(client, clock, { writeBurst: 3, writesPerSecond: 0.001 });
    const objects = Array.from({ length: 10 }, (_, i) => ({ ...server, metadata: { ...server.metadata, name: `s${i}`, uid: `uid-s${i}` } }));
    // Three Events get the burst; seven wait for a budget that refills once in 1,000 s.
    for (const o of objects) void r.record(o, 'Normal', 'Created', 'Apply', 'x');
    await flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['POST', 'POST', 'POST']);
    // Repeats of the three: counts owed to Events that exist.
    for (const o of objects.slice(0, 3)) void r.record(o, 'Normal', 'Created', 'Apply', 'x');
    maxInFlight = 0;
    await r.stop();
    expect(calls).toEqual(['POST', 'POST', 'POST', 'PATCH', 'PATCH', 'PATCH']);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(r.dropped).toBe(7);
    expect(r.pendingWrites()).toBe(7);
  });

  it('truncates long notes to 1 kB and puts cluster-scoped objects in default', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    await recorder(client, clock).record({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', uid: 'u' } }, 'Normal', 'R', 'A', 'é'.repeat(2000));
    expect(calls[0]?.path).toBe('/apis/events.k8s.io/v1/namespaces/default/events');
    const note = calls[0]?.body.note as string;
    expect(Buffer.byteLength(note)).toBeLessThanOrEqual(1024);
    expect(note.endsWith('...')).toBe(true);
  });

  it('forgets the least recently used series beyond cacheSize', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    const events = recorder(client, clock, { cacheSize: 2 });
    await events.record(server, 'Normal', 'R', 'A', '1');
    await events.record(server, 'Normal', 'R', 'A', '2');
    await events.record(server, 'Normal', 'R', 'A', '3'); // drops '1'
    await events.record(server, 'Normal', 'R', 'A', '1'); // new Event again
    expect(calls.map((c) => c.method)).toEqual(['POST', 'POST', 'POST', 'POST']);
  });

  it('shares one write budget across objects: a burst, then a steady rate, oldest first', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    const r = recorder(client, clock, { writeBurst: 3, writesPerSecond: 2 });
    const objects = Array.from({ length: 7 }, (_, i) => ({ ...server, metadata: { ...server.metadata, name: `s${i}`, uid: `uid-s${i}` } }));
    for (const o of objects) void r.record(o, 'Normal', 'Created', 'Apply', 'Created Deployment');
    await flush();
    const names = () => calls.map((c) => ((c.body.regarding as { name: string }).name));
    expect(names()).toEqual(['s0', 's1', 's2']);
    await clock.advance(499);
    expect(calls).toHaveLength(3);
    await clock.advance(1);
    expect(names()).toEqual(['s0', 's1', 's2', 's3']);
    await clock.advance(1500);
    expect(names()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
    expect(clock.pending).toBe(0);
  });

  it('drops writes beyond maxWaiting, and writes them on a later occurrence', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    const r = recorder(client, clock, { writeBurst: 1, writesPerSecond: 1, maxWaiting: 2 });
    const objects = Array.from({ length: 5 }, (_, i) => ({ ...server, metadata: { ...server.metadata, name: `s${i}`, uid: `uid-s${i}` } }));
    for (const o of objects) void r.record(o, 'Normal', 'Created', 'Apply', 'x');
    expect(r.dropped).toBe(2);
    await clock.advance(10_000);
    expect(calls.map((c) => (c.body.regarding as { name: string }).name)).toEqual(['s0', 's1', 's2']);
    void r.record(objects[4]!, 'Normal', 'Created', 'Apply', 'x');
    await flush();
    expect(calls.map((c) => (c.body.regarding as { name: string }).name)).toEqual(['s0', 's1', 's2', 's4']);
    expect((calls[3]!.body.series as { count: number }).count).toBe(2);
  });

  it('writes more slowly while the work it describes is waiting, and at the full rate once it is done', async () => {
    const clock = new FakeClock();
    const { calls, client } = fakeClient();
    let busy = true;
    const r = recorder(client, clock, { writeBurst: 1, writesPerSecond: 4, busy: () => busy, busyWritesPerSecond: 1 });
    const objects = Array.from({ length: 6 }, (_, i) => ({ ...server, metadata: { ...server.metadata, name: `s${i}`, uid: `uid-s${i}` } }));
    for (const o of objects) void r.record(o, 'Normal', 'Created', 'Apply', 'x');
    await flush();
    expect(calls).toHaveLength(1);
    // Busy: one write per second, not four.
    await clock.advance(999);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(calls).toHaveLength(2);
    // Caught up: after the write already due, the rest at four per second.
    busy = false;
    await clock.advance(1000);
    expect(calls).toHaveLength(3);
    await clock.advance(749);
    expect(calls).toHaveLength(5);
    await clock.advance(1);
    expect(calls).toHaveLength(6);
    expect(clock.pending).toBe(0);
  });
});
