import { describe, expect, it } from '@jest/globals';
import type { KubernetesObject } from '@kubernetes/client-node';
import { differences } from '../../../src/operator/drift.js';
import { ownedFieldsProjection, projectFields } from '../../../src/runtime/owned-fields.js';

// A Deployment as the API server returns it after our apply: defaults filled in, a sidecar and
// an annotation from other managers, managedFields naming what each manager set.
const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'ns',
    uid: 'u1',
    resourceVersion: '7',
    generation: 2,
    labels: { app: 'web' },
    annotations: { 'deployment.kubernetes.io/revision': '1', 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"copy"}' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'o1', controller: true }],
    managedFields: [
      {
        manager: 'op',
        operation: 'Apply',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:spec': {
                'f:containers': { 'k:{"name":"server"}': { '.': {}, 'f:image': {}, 'f:args': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } },
              },
            },
          },
        },
      },
      { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } },
      { manager: 'webhook', operation: 'Update', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {} } } } } } } },
    ],
  },
  spec: {
    replicas: 2,
    revisionHistoryLimit: 10,
    template: {
      spec: {
        restartPolicy: 'Always',
        containers: [
          { name: 'server', image: 'img:1', args: ['a', 'b'], terminationMessagePath: '/dev/termination-log', ports: [{ containerPort: 8080, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    },
  },
  status: { replicas: 2, readyReplicas: 2 },
} as unknown as KubernetesObject;

const desired = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'server', image: 'img:1', args: ['a', 'b'], ports: [{ containerPort: 8080 }] }] } } },
};

const project = ownedFieldsProjection<KubernetesObject>({ fieldManager: 'op', keepSpec: ['replicas'] });

describe('ownedFieldsProjection', () => {
  it('keeps the fields the manager applied, metadata and status, and drops defaults, other managers\' fields and managedFields', () => {
    const cached = project(live) as unknown as typeof live & { spec: Record<string, unknown>; status: unknown };
    expect(cached.metadata).toEqual({
      name: 'web',
      namespace: 'ns',
      uid: 'u1',
      resourceVersion: '7',
      generation: 2,
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'o1', controller: true }],
    });
    expect(cached.spec).toEqual({ replicas: 2, template: { spec: { containers: [{ name: 'server', image: 'img:1', args: ['a', 'b'], ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } } });
    expect(cached.status).toEqual({ replicas: 2, readyReplicas: 2 });
    // What the drift check needs is all there: no difference against the desired object.
    expect(differences(desired, cached)).toEqual([]);
  });

  it('leaves out a field whose ownership moved to another manager, so the drift check sees it', () => {
    const edited = structuredClone(live) as unknown as { metadata: { managedFields: { fieldsV1: Record<string, unknown> }[] }; spec: { template: { spec: { containers: { image: string }[] } } } };
    edited.spec.template.spec.containers[0]!.image = 'img:2';
    const applied = edited.metadata.managedFields[0]!.fieldsV1 as { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': Record<string, Record<string, unknown>> } } } };
    delete applied['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"server"}']!['f:image'];
    expect(differences(desired, project(edited as unknown as KubernetesObject))).toEqual(['.spec.template.spec.containers[0].image']);
  });

  it('keeps only metadata and status of an object the manager never applied (the first reconcile applies it)', () => {
    const foreign = project({ ...live, metadata: { ...live.metadata, managedFields: [] } });
    expect(Object.keys(foreign).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(differences(desired, foreign).length).toBeGreaterThan(0);
  });
});

describe('projectFields', () => {
  it('selects set members by value and list items by index', () => {
    expect(projectFields(['a', 'b', 'c'], { 'v:"c"': {}, 'v:"a"': {} })).toEqual(['a', 'c']);
    expect(projectFields([{ x: 1, y: 2 }, { x: 3 }], { 'i:1': { 'f:x': {} } })).toEqual([{ x: 3 }]);
    expect(projectFields({ a: { b: 1, c: 2 } }, { 'f:a': { '.': {}, 'f:c': {} } })).toEqual({ a: { c: 2 } });
  });
});
