/**
 * The API server goes away (every connection cut, new ones refused for a while, as in a
 * restart): the operator's informers reconnect with backoff and later changes are reconciled.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Manager } from '../../../src/runtime/index.js';
import { freshNamespace, waitFor, type FreshNamespace } from '../harness/index.js';
import { proxiedKubeConfig, type TcpProxy } from '../runtime/tcp-proxy.js';
import { admin, get, installAllCrds, mcpServer, operatorIdentity, paths, removeIdentity, serverPath, startOperator, withOperatorLog } from './fixture.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ns: FreshNamespace;
let operator: Manager;
let proxy: TcpProxy;

beforeAll(async () => {
  await installAllCrds();
  ns = await freshNamespace('outage');
  const proxied = await proxiedKubeConfig(await operatorIdentity(ns.name));
  proxy = proxied.proxy;
  operator = await startOperator(proxied.kc, ns.name);
});

afterAll(async () => {
  await operator?.stop();
  await proxy?.close();
  await removeIdentity(ns.name);
  await ns?.cleanup();
});

// On a timeout the error shows the server's status next to its Deployment's (did the
// Deployment never become ready, or did the operator not notice?) and the operator's log.
const ready = (name: string, generation = 1) =>
  withOperatorLog(
    operator,
    waitFor(
      `${name} Ready at generation ${generation}`,
      // The Deployment's (short) status first: the server's long messages fill the excerpt.
      async () => ({ deployment: (await get<Obj>(paths.deployment(ns.name, name)))?.status, server: (await get<Obj>(serverPath(ns.name, name)))?.status }),
      { until: ({ server }) => server?.phase === 'Ready' && server.observedGeneration === generation, timeoutMs: 90_000 },
    ),
  );

describe('API server outage', () => {
  it('resumes after every connection is cut and refused for 5 s, and reconciles later changes', async () => {
    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'steady', { image: 'steady' }) });
    await ready('steady');
    expect(proxy.connections).toBeGreaterThan(0);

    await proxy.outage(5_000);

    // Changes made after the outage, to an existing server and a new one, are both picked up.
    await admin().request('PATCH', serverPath(ns.name, 'steady'), { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json' });
    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'later', { image: 'later' }) });
    await ready('steady', 2);
    await ready('later');
    expect(((await get<Obj>(paths.deployment(ns.name, 'steady')))!).spec.replicas).toBe(3);
    expect(proxy.connections).toBeGreaterThan(0);
  }, 180_000);
});
