/**
 * Two operator processes share one Lease: exactly one leads and reconciles; when the leader is
 * SIGKILLed (no release), the other takes over once the lease expires and carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freshNamespace, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin, get, installAllCrds, mcpServer, operatorIdentity, removeIdentity, serverPath } from './fixture.js';
import { kill, spawnOperator, writeKubeconfig, type OperatorProcess } from './subprocess.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const LEASE_SECONDS = 15; // controller-runtime's default, which the operator uses
const RETRY_SECONDS = 2;

let ns: FreshNamespace;
const operators = new Map<string, OperatorProcess>();

beforeAll(async () => {
  await installAllCrds();
  ns = await freshNamespace('leader');
  const kubeconfig = await writeKubeconfig(await operatorIdentity(ns.name));
  for (const id of ['operator-a', 'operator-b']) operators.set(id, spawnOperator(kubeconfig, ns.name, [], { POD_NAME: id }));
});

afterAll(async () => {
  for (const operator of operators.values()) await kill(operator);
  await removeIdentity(ns.name);
  await ns?.cleanup();
});

const lease = () => get<Obj>(`/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases/mcp-runtime-operator`);
const readyServer = (name: string) =>
  waitFor(`${name} Ready`, () => get<Obj>(serverPath(ns.name, name)), { until: (s) => s?.status?.phase === 'Ready', timeoutMs: 60_000 });

describe('leader election between two operator processes', () => {
  it('has one leader, and the other leads within the lease duration after the leader dies', async () => {
    const first = await waitFor('a leader', lease, { until: (l) => operators.has(l?.spec?.holderIdentity), timeoutMs: 60_000 });
    const leader = first!.spec.holderIdentity as string;
    expect(first!.spec.leaseDurationSeconds).toBe(LEASE_SECONDS);
    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'before', { image: 'before' }) });
    await readyServer('before');
    // Leadership is stable while both live.
    expect((await lease())!.spec.holderIdentity).toBe(leader);

    const killedAt = Date.now();
    await kill(operators.get(leader)!);
    const next = await waitFor('the other operator to take the lease', lease, {
      until: (l) => l?.spec?.holderIdentity !== undefined && l.spec.holderIdentity !== leader,
      timeoutMs: (LEASE_SECONDS + 2 * RETRY_SECONDS + 5) * 1000,
      intervalMs: 250,
    });
    expect(operators.has(next!.spec.holderIdentity)).toBe(true);
    // Not before the dead leader's lease ran out: nobody may lead while it could still be acting.
    expect(new Date(next!.spec.acquireTime).getTime()).toBeGreaterThanOrEqual(new Date(first!.spec.renewTime).getTime());
    console.log(`takeover after ${((Date.now() - killedAt) / 1000).toFixed(1)} s (lease ${LEASE_SECONDS} s)`);

    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'after', { image: 'after' }) });
    await readyServer('after');
  }, 180_000);
});
