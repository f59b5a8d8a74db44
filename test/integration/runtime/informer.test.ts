// The informer against a real API server: list + watch, recovery from closed, cut and frozen
// connections, 410 Gone relists, and RBAC (namespaced vs cluster-wide list/watch).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, RbacAuthorizationV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { asServiceAccount, freshNamespace, kubeConfig, waitFor, type FreshNamespace } from '../harness/index.js';
import { Informer, type InformerOptions, type WatchRestartReason } from '../../../src/runtime/informer.js';
import { ApiError, KubeClient } from '../../../src/runtime/kube-http.js';
import { apiListWatcher, type ListWatcher } from '../../../src/runtime/list-watch.js';
import { ConfigMaps } from '../../../src/runtime/resources.js';
import { proxiedKubeConfig, type TcpProxy } from './tcp-proxy.js';

let admin: KubeConfig;
let core: CoreV1Api;
let ns: FreshNamespace;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  admin = kubeConfig();
  core = admin.makeApiClient(CoreV1Api);
  ns = await freshNamespace('rt-informer');
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await ns.cleanup();
});

/** Records handler calls as strings and watch restarts by reason. */
function observe(informer: Informer<V1ConfigMap>) {
  const events: string[] = [];
  informer.addHandlers({
    add: (o) => events.push(`add ${o.metadata?.name}`),
    update: (old, o) => events.push(`update ${o.metadata?.name} ${old.data?.v ?? ''}->${o.data?.v ?? ''}`),
    delete: (o) => events.push(`delete ${o.metadata?.name}`),
  });
  return events;
}

function newInformer(kc: KubeConfig, options: Partial<InformerOptions<V1ConfigMap>> = {}) {
  const restarts: WatchRestartReason[] = [];
  let lists = 0;
  const informer = new Informer<V1ConfigMap>({
    type: ConfigMaps,
    client: new KubeClient(kc),
    namespaces: [ns.name],
    freeze: true,
    backoff: { initialMs: 100, maxMs: 1000 },
    metrics: { restarted: (r) => restarts.push(r), listed: () => (lists += 1) },
    ...options,
  } as InformerOptions<V1ConfigMap>);
  cleanups.push(() => informer.stop());
  return { informer, restarts, lists: () => lists };
}

const cm = (name: string, v: string, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: ns.name, labels: { 'rt-test': 'yes', ...labels } },
  data: { v },
});

/**
 * Proves a watch is streaming (so its connection is the one open through the proxy): creates a
 * probe object and waits for the informer to see it.
 */
let probes = 0;
async function watchIsLive(events: string[], labels: Record<string, string>): Promise<void> {
  const name = `probe-${(probes += 1)}`;
  await core.createNamespacedConfigMap({ namespace: ns.name, body: cm(name, '0', labels) });
  await waitFor(`the watch to deliver ${name}`, () => events.includes(`add ${name}`));
}

async function withProxy(): Promise<{ kc: KubeConfig; proxy: TcpProxy }> {
  const proxied = await proxiedKubeConfig(admin);
  cleanups.push(() => proxied.proxy.close());
  return proxied;
}

describe('Informer against the API server', () => {
  it('lists and watches ConfigMaps in a namespace and sees add, update and delete', async () => {
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('before', '0') });
    const { informer } = newInformer(admin, { labelSelector: 'rt-test=yes' });
    const events = observe(informer);
    informer.start();
    await informer.waitForSync();
    expect(events).toContain('add before');
    // list items carry apiVersion/kind like watch events do
    expect(informer.store.getByName(ns.name, 'before')).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });

    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('live', '1') });
    await waitFor('add of live', () => events.includes('add live'));
    await core.replaceNamespacedConfigMap({ name: 'live', namespace: ns.name, body: cm('live', '2') });
    await waitFor('update of live', () => events.includes('update live 1->2'));
    await core.deleteNamespacedConfigMap({ name: 'live', namespace: ns.name });
    await waitFor('delete of live', () => events.includes('delete live'));
    expect(informer.store.getByName(ns.name, 'live')).toBeUndefined();
    // Objects outside the selector are not seen.
    await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'unlabelled' }, data: {} } });
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('marker', '1') });
    await waitFor('add of marker', () => events.includes('add marker'));
    expect(events.join(',')).not.toContain('unlabelled');
    // Cached objects are frozen: reconcilers cannot corrupt the cache by accident.
    expect(Object.isFrozen(informer.store.getByName(ns.name, 'marker')?.data)).toBe(true);
  });

  it('re-watches after the server closes the watch (timeoutSeconds) and after the connection is cut', async () => {
    const { kc, proxy } = await withProxy();
    const { informer, restarts } = newInformer(kc, { watchTimeoutSeconds: () => 1, labelSelector: 'case=cut' });
    const events = observe(informer);
    informer.start();
    await informer.waitForSync();
    await waitFor('a server-side close', () => restarts.includes('closed'), { timeoutMs: 20_000 });
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('after-close', '1', { case: 'cut' }) });
    await waitFor('add after the close', () => events.includes('add after-close'));

    await watchIsLive(events, { case: 'cut' });
    proxy.cutAll();
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('after-cut', '1', { case: 'cut' }) });
    await core.replaceNamespacedConfigMap({ name: 'after-close', namespace: ns.name, body: cm('after-close', '2', { case: 'cut' }) });
    await waitFor('changes made around the cut', () => events.includes('add after-cut') && events.includes('update after-close 1->2'), { timeoutMs: 20_000 });
    expect(restarts).toContain('error');
  });

  it('restarts a frozen (half-open) watch after the watchdog period, resuming where it stopped', async () => {
    const { kc, proxy } = await withProxy();
    const { informer, restarts, lists } = newInformer(kc, { watchdogMs: 2000, labelSelector: 'case=frozen' });
    const events = observe(informer);
    informer.start();
    await informer.waitForSync();
    await watchIsLive(events, { case: 'frozen' });
    proxy.freezeExisting();
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('while-frozen', '1', { case: 'frozen' }) });
    await waitFor('the watchdog to restart the watch and deliver the change', () => events.includes('add while-frozen'), { timeoutMs: 20_000 });
    expect(restarts).toContain('watchdog');
    expect(lists()).toBe(1); // resumed from its resourceVersion, no relist
  });

  it('relists on 410 Gone and reports objects deleted meanwhile', async () => {
    const { kc, proxy } = await withProxy();
    // The real API server only answers 410 after etcd compaction (every 5 min); inject one
    // 410 on the next watch and let the real list do the rest.
    const real = apiListWatcher<V1ConfigMap>(new KubeClient(kc), ConfigMaps);
    let goneNext = false;
    const listWatcher: ListWatcher<V1ConfigMap> = {
      list: (...args) => real.list(...args),
      watch: (namespace, options, onEvent, signal) => {
        if (goneNext) {
          goneNext = false;
          return Promise.reject(new ApiError(410, { code: 410, reason: 'Expired', message: 'too old resource version' }, 'WATCH', 'configmaps'));
        }
        return real.watch(namespace, options, onEvent, signal);
      },
    };
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('stays', '1', { case: 'gone' }) });
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('vanishes', '1', { case: 'gone' }) });
    const { informer, restarts, lists } = newInformer(kc, { listWatcher, client: undefined, labelSelector: 'case=gone' } as Partial<InformerOptions<V1ConfigMap>>);
    const events = observe(informer);
    informer.start();
    await informer.waitForSync();
    await watchIsLive(events, { case: 'gone' });
    // Miss a delete, an update and an add: freeze the watch, change things, then cut it.
    proxy.freezeExisting();
    await core.deleteNamespacedConfigMap({ name: 'vanishes', namespace: ns.name });
    await core.replaceNamespacedConfigMap({ name: 'stays', namespace: ns.name, body: cm('stays', '2', { case: 'gone' }) });
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('appears', '1', { case: 'gone' }) });
    goneNext = true;
    proxy.cutAll();
    await waitFor('the relist to report the missed changes', () => ['delete vanishes', 'update stays 1->2', 'add appears'].every((e) => events.includes(e)), { timeoutMs: 20_000 });
    expect(restarts).toContain('gone');
    expect(lists()).toBe(2);
    const names = informer.store.list().map((o) => o.metadata?.name ?? '');
    expect(names.filter((n) => !n.startsWith('probe-')).sort()).toEqual(['appears', 'stays']);
  });
});

describe('Informer with RBAC', () => {
  it('works per namespace with a namespaced Role, and retries cluster-wide until allowed', async () => {
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    const sa = await asServiceAccount(ns.name, 'informer', { create: true });
    await rbac.createNamespacedRole({
      namespace: ns.name,
      body: { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns.name,
      body: {
        metadata: { name: 'cm-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'informer', namespace: ns.name }],
      },
    });

    const namespaced = newInformer(sa, { labelSelector: 'case=rbac' });
    const events = observe(namespaced.informer);
    namespaced.informer.start();
    await waitFor('the namespaced informer to sync (RBAC propagates quickly)', () => namespaced.informer.hasSynced());
    await core.createNamespacedConfigMap({ namespace: ns.name, body: cm('rbac', '1', { case: 'rbac' }) });
    await waitFor('add through the service account', () => events.includes('add rbac'));

    const clusterWide = newInformer(sa, { namespaces: 'all', labelSelector: 'case=rbac' });
    clusterWide.informer.start();
    await waitFor('two forbidden lists', () => clusterWide.restarts.filter((r) => r === 'error').length >= 2);
    expect(clusterWide.informer.hasSynced()).toBe(false);

    const roleName = `${ns.name}-cm-reader`;
    await rbac.createClusterRole({ body: { metadata: { name: roleName }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch'] }] } });
    cleanups.push(() => rbac.deleteClusterRole({ name: roleName }).catch(() => undefined));
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: roleName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: 'informer', namespace: ns.name }],
      },
    });
    cleanups.push(() => rbac.deleteClusterRoleBinding({ name: roleName }).catch(() => undefined));
    await waitFor('the cluster-wide informer to sync once allowed', () => clusterWide.informer.hasSynced(), { timeoutMs: 30_000 });
    expect(clusterWide.informer.store.getByName(ns.name, 'rbac')).toBeDefined();
  });
});
