// Server-side apply and the other write helpers against a real API server, and the evidence
// for writing raw JSON instead of going through client-node's KubernetesObjectApi.patch.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { freshNamespace, kubeConfig, waitFor, type FreshNamespace } from '../harness/index.js';
import { applyObject, deleteObject, patchStatus } from '../../../src/runtime/apply.js';
import { EventRecorder } from '../../../src/runtime/events.js';
import { errorCode, KubeClient } from '../../../src/runtime/kube-http.js';
import { ConfigMaps, type ResourceType } from '../../../src/runtime/resources.js';

const MANAGER = 'mcp-runtime-test';
let admin: KubeConfig;
let client: KubeClient;
let ns: FreshNamespace;
const cleanups: (() => Promise<unknown>)[] = [];

// A throwaway CRD per run (CRDs are cluster-scoped; a unique group keeps parallel runs apart).
const group = `w${randomBytes(4).toString('hex')}.runtime-test.example.com`;
const Widgets: ResourceType = { apiVersion: `${group}/v1`, kind: 'Widget', plural: 'widgets', namespaced: true };

function widgetCrd(name = `widgets.${group}`, groupName = group): KubernetesObject & Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: groupName,
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { size: { type: 'integer' }, color: { type: 'string' } },
                  'x-kubernetes-validations': [{ rule: 'self.size <= 10', message: 'size must be at most 10' }],
                },
                status: { type: 'object', properties: { phase: { type: 'string' }, observed: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  };
}

async function crdEstablished(name: string): Promise<void> {
  await waitFor(`CRD ${name} established`, async () => {
    const crd = await client.request<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;
  });
  // Discovery (and the CR endpoint) may lag the condition a little.
  await waitFor(`${name} served`, () => client.request('GET', `/apis/${name.split('.').slice(1).join('.')}/v1`));
}

beforeAll(async () => {
  admin = kubeConfig();
  client = new KubeClient(admin);
  ns = await freshNamespace('rt-apply');
  await applyObject(client, widgetCrd(), MANAGER, { force: true });
  cleanups.push(() => client.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`));
  await crdEstablished(`widgets.${group}`);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await ns.cleanup();
});

type Obj = KubernetesObject & Record<string, unknown>;
const rv = (o: KubernetesObject) => o.metadata?.resourceVersion;

describe('applyObject', () => {
  it('applying the same ConfigMap, Service and custom resource twice: the second is a no-op', async () => {
    const objects: Obj[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: ns.name, labels: { a: 'b' } }, data: { k: 'v' } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc', namespace: ns.name },
        spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
      { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w', namespace: ns.name }, spec: { size: 3, color: 'red' } },
    ];
    for (const obj of objects) {
      const first = await applyObject(client, obj, MANAGER, { force: true });
      const second = await applyObject(client, obj, MANAGER, { force: true });
      expect(rv(second)).toBe(rv(first));
      // Raw JSON back: timestamps are strings, not Date objects.
      expect(typeof first.metadata?.creationTimestamp).toBe('string');
    }
  });

  it('a Deployment applied again once settled is a no-op too (defaulted fields do not count as changes)', async () => {
    const deployment: Obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns.name, labels: { app: 'web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'web',
                image: 'example.invalid/web:1',
                ports: [{ name: 'http', containerPort: 8088 }],
                readinessProbe: { tcpSocket: { port: 'http' } },
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    };
    await applyObject(client, deployment, MANAGER, { force: true });
    const path = `/apis/apps/v1/namespaces/${ns.name}/deployments/web`;
    // Wait until the deployment controller (and KWOK's pod) stop updating its status.
    let last = '';
    await waitFor(
      'the Deployment to settle',
      async () => {
        const current = await client.request<Obj>('GET', path);
        const settled = rv(current) === last;
        last = rv(current) ?? '';
        return settled;
      },
      { intervalMs: 1500, timeoutMs: 60_000 },
    );
    const again = await applyObject(client, deployment, MANAGER, { force: true });
    expect(rv(again)).toBe(last);
  });

  it('dryRun validates without persisting', async () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: ns.name }, data: {} };
    const answer = await applyObject(client, obj, MANAGER, { dryRun: true });
    expect(answer.metadata?.name).toBe('dry');
    const error = await client.request('GET', `/api/v1/namespaces/${ns.name}/configmaps/dry`).catch((e: unknown) => e);
    expect(errorCode(error)).toBe(404);
  });

  it('without force, a conflict with another field manager is reported (409)', async () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned', namespace: ns.name }, data: { k: 'mine' } };
    await applyObject(client, obj, 'someone-else');
    const error = await applyObject(client, { ...obj, data: { k: 'yours' } }, MANAGER).catch((e: unknown) => e);
    expect(errorCode(error)).toBe(409);
    const forced = await applyObject(client, { ...obj, data: { k: 'yours' } }, MANAGER, { force: true });
    expect((forced as Obj).data).toEqual({ k: 'yours' });
  });
});

describe('client-node KubernetesObjectApi.patch (SSA) compared', () => {
  it('silently drops fields its models do not know, where applyObject lets the API server decide', async () => {
    const api = KubernetesObjectApi.makeApiClient(admin);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'unknown-field', namespace: ns.name },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'u' } },
        template: { metadata: { labels: { app: 'u' } }, spec: { containers: [{ name: 'c', image: 'example.invalid/u:1', fieldFromTheFuture: true }] } },
      },
    };
    // client-node: accepted, because the field never reaches the server.
    const viaModels: KubernetesObject = await api.patch(structuredClone(deployment) as KubernetesObject, undefined, undefined, MANAGER, true, PatchStrategy.ServerSideApply);
    expect(JSON.stringify(viaModels)).not.toContain('fieldFromTheFuture');
    // It answers with models: Date objects, not the JSON the server sent.
    expect(viaModels.metadata?.creationTimestamp).toBeInstanceOf(Date);
    // Raw: the API server sees the field and refuses it (SSA checks the schema).
    const error = await applyObject(client, deployment, MANAGER, { force: true }).catch((e: unknown) => e);
    expect(errorCode(error)).toBeGreaterThanOrEqual(400);
    expect(String((error as Error).message)).toContain('fieldFromTheFuture');
  });

  it('drops x-kubernetes-validations from a CRD (its model renames the key), so CEL rules are lost', async () => {
    const api = KubernetesObjectApi.makeApiClient(admin);
    const otherGroup = `c${randomBytes(4).toString('hex')}.runtime-test.example.com`;
    const name = `widgets.${otherGroup}`;
    cleanups.push(() => client.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`));
    await api.patch(widgetCrd(name, otherGroup), undefined, undefined, MANAGER, true, PatchStrategy.ServerSideApply);
    await crdEstablished(name);
    const stored = await client.request<Obj>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    expect(JSON.stringify(stored)).not.toContain('x-kubernetes-validations');
    // The rule is not enforced: an invalid object is accepted.
    const tooBig = { apiVersion: `${otherGroup}/v1`, kind: 'Widget', metadata: { name: 'big', namespace: ns.name }, spec: { size: 99 } };
    await expect(applyObject(client, tooBig, MANAGER, { force: true })).resolves.toBeDefined();

    // The same CRD through applyObject keeps the rule, and the API server enforces it.
    await applyObject(client, widgetCrd(name, otherGroup), MANAGER, { force: true });
    const fixed = await client.request<Obj>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    expect(JSON.stringify(fixed)).toContain('x-kubernetes-validations');
    // The API server swaps in the new validator asynchronously after a CRD update; on a loaded
    // 2-core machine that once took over 30 s.
    await waitFor(
      'the CEL rule to be enforced',
      async () => errorCode(await applyObject(client, { ...tooBig, metadata: { ...tooBig.metadata, name: 'big2' } }, MANAGER, { force: true }).catch((e: unknown) => e)) === 422,
      { timeoutMs: 90_000 },
    );
  });
});

describe('patchStatus', () => {
  it('merge-patches status with optimistic locking, and applies status; spec is untouched', async () => {
    const created = await applyObject(client, { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'st', namespace: ns.name }, spec: { size: 1 } }, MANAGER, { force: true });
    const ref = { namespace: ns.name, name: 'st' };
    const patched = await patchStatus<Obj>(client, Widgets, ref, { phase: 'Pending', observed: 1 }, { fieldManager: MANAGER, resourceVersion: rv(created) });
    expect(patched.status).toEqual({ phase: 'Pending', observed: 1 });
    // Stale resourceVersion: 409, nothing lost silently.
    const stale = await patchStatus(client, Widgets, ref, { phase: 'Ready' }, { fieldManager: MANAGER, resourceVersion: rv(created) }).catch((e: unknown) => e);
    expect(errorCode(stale)).toBe(409);
    const applied = await patchStatus<Obj>(client, Widgets, ref, { phase: 'Ready', observed: 2 }, { fieldManager: MANAGER, mode: 'apply' });
    expect(applied.status).toEqual({ phase: 'Ready', observed: 2 });
    expect(applied.spec).toEqual({ size: 1 });
    // A status write through the status subresource cannot change spec.
    await client.request('PATCH', `/apis/${group}/v1/namespaces/${ns.name}/widgets/st/status`, {
      body: { spec: { size: 5 }, status: { phase: 'Ready' } },
      contentType: 'application/merge-patch+json',
    });
    expect((await client.request<Obj>('GET', `/apis/${group}/v1/namespaces/${ns.name}/widgets/st`)).spec).toEqual({ size: 1 });
  });
});

describe('deleteObject', () => {
  it('deletes once and reports an already-deleted object as false', async () => {
    await applyObject(client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'doomed', namespace: ns.name } }, MANAGER);
    await expect(deleteObject(client, ConfigMaps, { namespace: ns.name, name: 'doomed' })).resolves.toBe(true);
    await expect(deleteObject(client, ConfigMaps, { namespace: ns.name, name: 'doomed' })).resolves.toBe(false);
  });
});

describe('EventRecorder', () => {
  it('records an Event and aggregates repeats into its series count', async () => {
    const regarding = await applyObject<Obj>(client, { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'evented', namespace: ns.name }, spec: { size: 2 } }, MANAGER, { force: true });
    const events = new EventRecorder({ client, reportingController: 'runtime-test/widgets', reportingInstance: 'test-pod', minPatchIntervalMs: 100 });
    await events.record(regarding, 'Warning', 'ImagePullFailed', 'Reconcile', 'image example.invalid/x:1 not found');
    await events.record(regarding, 'Warning', 'ImagePullFailed', 'Reconcile', 'image example.invalid/x:1 not found');
    await events.record(regarding, 'Warning', 'ImagePullFailed', 'Reconcile', 'image example.invalid/x:1 not found');
    await events.stop();
    const list = await client.request<{ items: Obj[] }>('GET', `/apis/events.k8s.io/v1/namespaces/${ns.name}/events`, {
      query: { fieldSelector: `regarding.name=evented` },
    });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      reason: 'ImagePullFailed',
      type: 'Warning',
      reportingController: 'runtime-test/widgets',
      regarding: { kind: 'Widget', name: 'evented', uid: regarding.metadata?.uid },
      series: { count: 3 },
    });
    // kubectl describe reads core/v1 Events: the same object, with the series count.
    const core = await client.request<{ items: Obj[] }>('GET', `/api/v1/namespaces/${ns.name}/events`, { query: { fieldSelector: 'involvedObject.name=evented' } });
    expect(core.items).toHaveLength(1);
    expect(core.items[0]).toMatchObject({ reason: 'ImagePullFailed', series: { count: 3 } });
  });
});
