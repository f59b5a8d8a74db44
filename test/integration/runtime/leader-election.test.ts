// Leader election on a real Lease: one leader among candidates, fast hand-over on release,
// MicroTime formats as the API server demands; and the manager running controllers only
// while leading.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoordinationV1Api, CoreV1Api, V1MicroTime, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { freshNamespace, kubeConfig, waitFor, type FreshNamespace } from '../harness/index.js';
import { KubeClient } from '../../../src/runtime/kube-http.js';
import { coordinationLeaseClient, LeaderElector } from '../../../src/runtime/leader-election.js';
import { LeaderElectionLostError, Manager } from '../../../src/runtime/manager.js';
import { ConfigMaps } from '../../../src/runtime/resources.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { RuntimeMetrics } from '../../../src/runtime/metrics.js';

let admin: KubeConfig;
let ns: FreshNamespace;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  admin = kubeConfig();
  ns = await freshNamespace('rt-leader');
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await ns.cleanup();
});

const TIMINGS = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 };
const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function elector(lease: string, identity: string) {
  const log: string[] = [];
  const e = new LeaderElector({
    lock: coordinationLeaseClient(new KubeClient(admin), ns.name, lease),
    identity,
    ...TIMINGS,
    onStartedLeading: () => log.push('started'),
    onStoppedLeading: () => log.push('stopped'),
  });
  const done = e.run();
  cleanups.push(() => e.stop());
  return { e, log, done };
}

async function readLease(name: string): Promise<{ spec: Record<string, unknown> }> {
  return new KubeClient(admin).request('GET', `/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases/${name}`);
}

describe('LeaderElector on a real Lease', () => {
  it('elects exactly one of two candidates, and hands over within the lease duration on release', async () => {
    const a = elector('pair', 'candidate-a');
    const b = elector('pair', 'candidate-b');
    await waitFor('a leader', () => a.e.isLeader || b.e.isLeader);
    // Watch through three renewals (counted on the Lease, not timed): never two leaders,
    // never a change of leader.
    const first = a.e.isLeader ? 'candidate-a' : 'candidate-b';
    const renewals = new Set<string>();
    await waitFor('three renewals', async () => {
      expect([a.e.isLeader, b.e.isLeader].filter(Boolean)).toHaveLength(1);
      expect(a.e.isLeader ? 'candidate-a' : 'candidate-b').toBe(first);
      renewals.add(String((await readLease('pair')).spec.renewTime));
      return renewals.size;
    }, { until: (n) => n >= 4, timeoutMs: 60_000, intervalMs: 100 });
    const lease = await readLease('pair');
    expect(lease.spec).toMatchObject({ holderIdentity: first, leaseDurationSeconds: 4 });
    // What the API server stored is a MicroTime with six fractional digits.
    expect(lease.spec.renewTime).toMatch(MICRO);
    expect(lease.spec.acquireTime).toMatch(MICRO);

    const [leader, standby] = a.e.isLeader ? [a, b] : [b, a];
    const lastRenewal = Date.parse(String((await readLease('pair')).spec.renewTime));
    await leader.e.stop();
    expect(leader.log).toEqual(['started', 'stopped']);
    const standbyId = standby === a ? 'candidate-a' : 'candidate-b';
    // Released (empty holder, 1 s), unless the standby already took it in between.
    const released = await readLease('pair');
    if (released.spec.holderIdentity !== standbyId) expect(released.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    await waitFor('the standby to lead', () => standby.e.isLeader, { timeoutMs: 30_000, intervalMs: 50 });
    const taken = (await readLease('pair')).spec;
    expect(taken).toMatchObject({ holderIdentity: standbyId, leaseTransitions: 1 });
    // Taken over because it was released, not because it expired: the Lease records the
    // standby's acquisition before the old holder's lease would have run out.
    expect(Date.parse(String(taken.acquireTime))).toBeLessThan(lastRenewal + TIMINGS.leaseDurationMs);
  });

  it('a candidate that finds an unexpired Lease of another holder waits; it takes over only after expiry', async () => {
    const coord = admin.makeApiClient(CoordinationV1Api);
    await coord.createNamespacedLease({
      namespace: ns.name,
      body: { metadata: { name: 'crashed' }, spec: { holderIdentity: 'dead-pod', leaseDurationSeconds: 2, renewTime: new V1MicroTime(Date.now()) } },
    });
    const deadRenewal = Date.parse(String((await readLease('crashed')).spec.renewTime));
    const c = elector('crashed', 'survivor');
    await waitFor('the survivor to take over', () => c.e.isLeader, { timeoutMs: 30_000, intervalMs: 50 });
    const taken = (await readLease('crashed')).spec;
    expect(taken).toMatchObject({ holderIdentity: 'survivor', leaseTransitions: 1 });
    // Only after the dead holder's lease expired, as the Lease itself records.
    expect(Date.parse(String(taken.acquireTime))).toBeGreaterThanOrEqual(deadRenewal + 2_000);
  });

  it('client-node: a Lease time must be V1MicroTime; a plain Date is rejected by the API server', async () => {
    const coord = admin.makeApiClient(CoordinationV1Api);
    const error = await coord
      .createNamespacedLease({ namespace: ns.name, body: { metadata: { name: 'plain-date' }, spec: { renewTime: new Date() as V1MicroTime } } })
      .catch((e: unknown) => e);
    expect((error as { code?: number }).code).toBe(400);
    expect(String((error as { body?: unknown }).body)).toContain('cannot parse');
    const created = await coord.createNamespacedLease({ namespace: ns.name, body: { metadata: { name: 'micro' }, spec: { renewTime: new V1MicroTime(Date.now()) } } });
    // And times come back as strings, whatever the TypeScript type says.
    expect(typeof created.spec?.renewTime).toBe('string');
    expect(created.spec?.renewTime).toMatch(MICRO);
  });
});

describe('Manager with leader election', () => {
  it('runs controllers only on the leader and fails over when the leader stops', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    const reconciled: Record<string, string[]> = { one: [], two: [] };
    const managers: Record<string, Manager> = {};
    for (const id of ['one', 'two']) {
      const mgr = new Manager({
        kubeConfig: admin,
        metricsPort: 0,
        healthPort: 0,
        bindAddress: '127.0.0.1',
        handleSignals: false,
        logger: silentLogger(),
        metrics: new RuntimeMetrics({ defaultMetrics: false }),
        gracefulShutdownTimeoutMs: 5000,
        leaderElection: { namespace: ns.name, name: 'manager-lock', identity: `manager-${id}`, ...TIMINGS },
      });
      const configMaps = mgr.informer<V1ConfigMap>(ConfigMaps, { namespaces: ns.name, labelSelector: 'case=manager' });
      mgr.addController<V1ConfigMap>({
        name: 'configmaps',
        for: configMaps,
        reconcile: async ({ key }) => {
          reconciled[id]?.push(key);
        },
      });
      managers[id] = mgr;
      cleanups.push(() => mgr.stop());
    }
    await managers.one?.start();
    await waitFor('manager one to lead', () => managers.one?.isLeader === true);
    await managers.two?.start();
    await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'watched', labels: { case: 'manager' } }, data: {} } });
    await waitFor('a reconcile on the leader', () => reconciled.one?.includes(`${ns.name}/watched`));
    expect(reconciled.two).toEqual([]);
    expect(managers.two?.isLeader).toBe(false);

    // Probes and metrics on both; the standby is ready (it can take over) but does not lead.
    const metricsOf = async (m: Manager) => (await fetch(`http://127.0.0.1:${m.metricsPort}/metrics`)).text();
    await waitFor('leader ready', async () => (await fetch(`http://127.0.0.1:${managers.one?.healthPort}/readyz`)).status === 200);
    expect((await fetch(`http://127.0.0.1:${managers.two?.healthPort}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${managers.two?.healthPort}/healthz`)).status).toBe(200);
    expect(await metricsOf(managers.one as Manager)).toContain('leader_election_master_status{name="manager-lock"} 1');
    expect(await metricsOf(managers.two as Manager)).toContain('leader_election_master_status{name="manager-lock"} 0');
    expect(await metricsOf(managers.one as Manager)).toMatch(/controller_runtime_reconcile_total\{controller="configmaps",result="success"\} [1-9]/);
    // Leader election runs on the one client, so its Lease requests are counted like the rest:
    // the leader's renewals are PUTs (nothing else in the runtime PUTs), and the standby, which
    // runs no informer while not leading, makes no request but reading the Lease.
    const requests = (text: string, method: string) =>
      text.split('\n').some((line) => line.startsWith('rest_client_requests_total{') && line.includes(`method="${method}"`) && line.includes('code="200"') && !line.endsWith(' 0'));
    await waitFor('a counted renewal', async () => requests(await metricsOf(managers.one as Manager), 'PUT'));
    expect(requests(await metricsOf(managers.two as Manager), 'GET')).toBe(true);

    await managers.one?.stop();
    await expect(managers.one?.wait()).resolves.toBeUndefined();
    await waitFor('manager two to take over', () => managers.two?.isLeader === true, { timeoutMs: TIMINGS.leaseDurationMs });
    // The new leader syncs its caches and reconciles everything (level-triggered).
    await waitFor('a reconcile on the new leader', () => reconciled.two?.includes(`${ns.name}/watched`));
    await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'later', labels: { case: 'manager' } }, data: {} } });
    await waitFor('the new leader to see new objects', () => reconciled.two?.includes(`${ns.name}/later`));
    expect(reconciled.one).not.toContain(`${ns.name}/later`);
    await managers.two?.stop();
    expect((await readLease('manager-lock')).spec.holderIdentity ?? '').toBe('');
  });

  it('stops everything and rejects wait() when leadership is lost (someone else holds the Lease)', async () => {
    const reconciles: string[] = [];
    const mgr = new Manager({
      kubeConfig: admin,
      metricsPort: false,
      healthPort: false,
      handleSignals: false,
      logger: silentLogger(),
      metrics: new RuntimeMetrics({ defaultMetrics: false }),
      leaderElection: { namespace: ns.name, name: 'lost-lock', identity: 'doomed', ...TIMINGS },
    });
    mgr.addController<V1ConfigMap>({
      name: 'noop',
      for: mgr.informer<V1ConfigMap>(ConfigMaps, { namespaces: ns.name }),
      reconcile: async ({ key }) => {
        reconciles.push(key);
      },
    });
    cleanups.push(() => mgr.stop());
    await mgr.start();
    await waitFor('the manager to lead', () => mgr.isLeader);
    const outcome = mgr.wait().then(
      () => 'resolved',
      (error: unknown) => error,
    );
    // An intruder takes the Lease (as a split-brained peer or an admin would): renewals fail.
    const coord = admin.makeApiClient(CoordinationV1Api);
    const lease = await coord.readNamespacedLease({ name: 'lost-lock', namespace: ns.name });
    await coord.replaceNamespacedLease({
      name: 'lost-lock',
      namespace: ns.name,
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', renewTime: new V1MicroTime(Date.now()), leaseDurationSeconds: 60 } },
    });
    const error = await outcome;
    expect(error).toBeInstanceOf(LeaderElectionLostError);
    expect(mgr.isLeader).toBe(false);
    expect((await readLease('lost-lock')).spec.holderIdentity).toBe('intruder');
  });
});
