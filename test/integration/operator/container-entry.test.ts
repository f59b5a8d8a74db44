/**
 * The operator as the platform's Deployment runs it: `node dist/src/operator/main.js` (here from
 * the sources), every setting from the environment the chart writes. It must reconcile like
 * `mcp-runtime operator`, stop cleanly on SIGTERM, and refuse a bad setting with one line naming
 * the variable and exit 78 (EX_CONFIG), as the gateway's entry does.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OPERATOR_RUNTIME_ENV as E } from '../../../src/operator/config.js';
import { freshNamespace, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin, installAllCrds, mcpServer, operatorIdentity, removeIdentity, serverPath } from './fixture.js';
import { entrySettings, kill, spawnOperatorEntry, writeKubeconfig, type OperatorProcess } from './subprocess.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ns: FreshNamespace;
let kubeconfig: string;
const running: OperatorProcess[] = [];

beforeAll(async () => {
  await installAllCrds();
  ns = await freshNamespace('entry', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  kubeconfig = await writeKubeconfig(await operatorIdentity(ns.name));
});

afterAll(async () => {
  for (const operator of running) await kill(operator);
  await removeIdentity(ns.name);
  await ns?.cleanup();
});

const settings = (): Record<string, string> => entrySettings(kubeconfig, ns.name);

describe("the operator container's entry", () => {
  it('reconciles a server from the environment alone and exits 0 on SIGTERM', async () => {
    const operator = spawnOperatorEntry(settings(), ns.name);
    running.push(operator);
    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'weather', { image: 'example/weather:1' }) });
    const deployment = await waitFor('the Deployment the operator applies', () => admin().request<Obj>('GET', `/apis/apps/v1/namespaces/${ns.name}/deployments/weather`).catch(() => undefined), {
      until: (d) => d !== undefined,
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    expect(deployment!.spec.template.spec.containers[0].image).toBe('example/weather:1');
    const server = await waitFor('status written', () => admin().request<Obj>('GET', `${serverPath(ns.name)}/weather`), {
      until: (s) => s.status?.observedGeneration === s.metadata.generation,
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    expect(server.status.conditions.map((c: Obj) => c.type)).toEqual(expect.arrayContaining(['Available', 'Routed', 'Ready']));
    expect(await kill(operator, 'SIGTERM')).toBe('0');
  }, 120_000);

  it.each([
    ['a number out of range', { [E.concurrency]: '0' }, E.concurrency],
    ['a malformed address', { [E.metricsAddress]: 'everywhere' }, E.metricsAddress],
    ['a missing kubeconfig', { KUBECONFIG: '/nonexistent/kubeconfig' }, '/nonexistent/kubeconfig'],
  ])('refuses %s with exit 78 and one line naming it, no stack trace', async (_what, bad, named) => {
    const operator = spawnOperatorEntry({ ...settings(), ...bad }, `${ns.name}-bad`);
    running.push(operator);
    expect(await operator.exited).toBe('78');
    const log = await readFile(operator.logFile, 'utf8');
    const lines = log.trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: number; msg: string };
    expect(entry.level).toBe(60);
    expect(entry.msg).toContain(named);
    expect(log).not.toMatch(/\n\s+at /);
  }, 60_000);
});
