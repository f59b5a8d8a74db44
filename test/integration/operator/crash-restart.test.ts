/**
 * The operator is SIGKILLed in the middle of a 200-server burst and started again: every server
 * must converge with exactly one of each child, all owned by the right MCPServer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freshNamespace, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin, installAllCrds, mcpServer, operatorIdentity, removeIdentity, serverPath } from './fixture.js';
import { kill, spawnOperator, writeKubeconfig, type OperatorProcess } from './subprocess.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const N = 200;

let ns: FreshNamespace;
let kubeconfig: string;
const running: OperatorProcess[] = [];

beforeAll(async () => {
  await installAllCrds();
  ns = await freshNamespace('crash');
  kubeconfig = await writeKubeconfig(await operatorIdentity(ns.name));
});

afterAll(async () => {
  for (const operator of running) await kill(operator);
  await removeIdentity(ns.name);
  await ns?.cleanup();
});

const list = async (path: string): Promise<Obj[]> => ((await admin().request<Obj>('GET', path)).items ?? []) as Obj[];

async function createAll(): Promise<void> {
  const names = Array.from({ length: N }, (_, i) => `s${String(i).padStart(3, '0')}`);
  const pool = 16;
  for (let i = 0; i < names.length; i += pool) {
    await Promise.all(names.slice(i, i + pool).map((name) => admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, name, { image: `example/${name}` }) })));
  }
}

describe('operator crash during a burst', () => {
  it(`converges ${N} servers with exactly one of each child after a SIGKILL and restart`, async () => {
    const first = spawnOperator(kubeconfig, ns.name, ['--no-leader-elect', '--concurrency', '4']);
    running.push(first);
    const creating = createAll();
    // Kill it once it has demonstrably started writing children, well before it is done.
    await waitFor('the first operator to create some Deployments', () => list(`/apis/apps/v1/namespaces/${ns.name}/deployments`), { until: (items) => items.length >= 10, timeoutMs: 90_000, intervalMs: 100 });
    expect(await kill(first)).toBe('SIGKILL');
    await creating;
    const partial = (await list(`/apis/apps/v1/namespaces/${ns.name}/deployments`)).length;
    expect(partial).toBeLessThan(N);

    running.push(spawnOperator(kubeconfig, ns.name, ['--no-leader-elect', '--concurrency', '4']));
    await waitFor(`all ${N} servers Ready`, () => list(serverPath(ns.name)), {
      until: (items) => items.length === N && items.every((s) => s.status?.phase === 'Ready'),
      timeoutMs: 240_000,
      intervalMs: 2_000,
    });

    const servers = await list(serverPath(ns.name));
    const uids = new Map(servers.map((s) => [s.metadata.name as string, s.metadata.uid as string]));
    for (const [kind, path] of [
      ['Deployment', `/apis/apps/v1/namespaces/${ns.name}/deployments`],
      ['Service', `/api/v1/namespaces/${ns.name}/services`],
      ['Ingress', `/apis/networking.k8s.io/v1/namespaces/${ns.name}/ingresses`],
      ['Middleware', `/apis/traefik.io/v1alpha1/namespaces/${ns.name}/middlewares`],
    ] as const) {
      const items = await list(path);
      expect({ kind, count: items.length }).toEqual({ kind, count: N });
      for (const item of items) {
        const server = kind === 'Middleware' ? (item.metadata.name as string).replace(/-path-rewrite$/, '') : (item.metadata.name as string);
        const owners = (item.metadata.ownerReferences ?? []).filter((r: Obj) => r.controller === true);
        expect({ kind, name: item.metadata.name, owners: owners.map((r: Obj) => r.uid) }).toEqual({ kind, name: item.metadata.name, owners: [uids.get(server)] });
      }
    }
  }, 400_000);
});
