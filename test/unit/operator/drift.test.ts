import { describe, expect, it } from '@jest/globals';
import { APPLIED_DIGEST_ANNOTATION, appliedDigest, differences, driftOf, firstDifference, quantityValue, recordedDigest, withAppliedDigest } from '../../../src/operator/drift.js';

const desired = {
  metadata: { name: 'w', labels: { app: 'w' } },
  spec: {
    replicas: 1,
    template: { spec: { containers: [{ name: 'w', image: 'w:1', env: [{ name: 'A', value: '' }], resources: { limits: { cpu: '0.5', memory: '1024Mi' } } }] } },
  },
};
const live = {
  metadata: { name: 'w', labels: { app: 'w', extra: 'x' }, resourceVersion: '9' },
  spec: {
    replicas: 1,
    progressDeadlineSeconds: 600,
    template: { spec: { dnsPolicy: 'ClusterFirst', containers: [{ name: 'w', image: 'w:1', env: [{ name: 'A' }], terminationMessagePath: '/dev/termination-log', resources: { limits: { cpu: '500m', memory: '1Gi' } } }] } },
  },
  status: { readyReplicas: 1 },
};

describe('drift detection', () => {
  it('treats defaults and fields added by others as no drift', () => {
    expect(firstDifference(desired, live)).toBeUndefined();
    expect(differences(desired, live)).toEqual([]);
  });

  it('finds a changed scalar and names its path', () => {
    const edited = structuredClone(live);
    edited.spec.replicas = 3;
    expect(firstDifference(desired, edited)).toBe('.spec.replicas');
  });

  it('finds a changed image inside a list', () => {
    const edited = structuredClone(live);
    edited.spec.template.spec.containers[0]!.image = 'evil:1';
    expect(firstDifference(desired, edited)).toBe('.spec.template.spec.containers[0].image');
  });

  it('finds a removed label and a missing object', () => {
    const edited = structuredClone(live);
    delete (edited.metadata.labels as Record<string, string>).app;
    expect(firstDifference(desired, edited)).toBe('.metadata.labels.app');
  });

  it('compares quantities by value', () => {
    expect(quantityValue('500m')).toBeCloseTo(0.5);
    expect(quantityValue('1Gi')).toBe(2 ** 30);
    expect(quantityValue('lots')).toBeUndefined();
    const edited = structuredClone(live);
    edited.spec.template.spec.containers[0]!.resources.limits.cpu = '400m';
    expect(firstDifference(desired, edited)).toBe('.spec.template.spec.containers[0].resources.limits.cpu');
  });

  it('sees a changed or missing entry of a named list as drift, but not an entry someone else added', () => {
    const added = structuredClone(live);
    added.spec.template.spec.containers[0]!.env.push({ name: 'B' });
    // Server-side apply leaves B to whoever added it; re-applying would not remove it.
    expect(firstDifference(desired, added)).toBeUndefined();
    const sidecar = structuredClone(live) as typeof live & { spec: { template: { spec: { containers: unknown[] } } } };
    sidecar.spec.template.spec.containers.unshift({ name: 'istio-proxy', image: 'proxy:1' });
    expect(firstDifference(desired, sidecar)).toBeUndefined();
    const missing = structuredClone(live);
    missing.spec.template.spec.containers[0]!.env = [];
    expect(firstDifference(desired, missing)).toBe('.spec.template.spec.containers[0].env[0]');
    const changed = structuredClone(live);
    changed.spec.template.spec.containers[0]!.env = [{ name: 'A', value: 'x' } as { name: string }];
    expect(firstDifference(desired, changed)).toBe('.spec.template.spec.containers[0].env[0].value');
  });

  it('compares atomic lists whole', () => {
    expect(firstDifference({ args: ['a', 'b'] }, { args: ['a'] })).toBe('.args');
    expect(firstDifference({ prefixes: ['/w'] }, { prefixes: ['/w', '/x'] })).toBe('.prefixes');
  });
});

describe('applied digest: removals are drift too', () => {
  const rendered = { metadata: { name: 'w', annotations: { team: 'a' } }, spec: { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] } };

  it('annotates the rendered object with a digest of itself, leaving the input untouched', () => {
    const applied = withAppliedDigest(rendered);
    expect(applied.metadata.annotations).toEqual({ team: 'a', [APPLIED_DIGEST_ANNOTATION]: appliedDigest(rendered) });
    expect(rendered.metadata.annotations).toEqual({ team: 'a' });
    expect(recordedDigest(applied)).toBe(appliedDigest(rendered));
    // Stable across key order, different for different content.
    expect(appliedDigest({ spec: rendered.spec, metadata: rendered.metadata })).toBe(appliedDigest(rendered));
    expect(appliedDigest({ ...rendered, spec: { env: [] } })).not.toBe(appliedDigest(rendered));
  });

  it('sees a field removed from the desired object, which the field walk alone cannot', () => {
    const live = withAppliedDigest(rendered);
    const withoutB = withAppliedDigest({ ...rendered, spec: { env: [{ name: 'A', value: '1' }] } });
    const withoutAnnotation = withAppliedDigest({ ...rendered, metadata: { name: 'w' } });
    expect(firstDifference({ metadata: { name: 'w' } }, live)).toBeUndefined(); // the walk is blind to removals
    expect(driftOf(withoutAnnotation, live)).toBe('changed since the last apply');
    expect(driftOf(withoutB, live)).toBe('changed since the last apply');
    expect(driftOf(live, structuredClone(live))).toBeUndefined();
  });

  it('still sees edits by others to fields we own, and a live object without a digest', () => {
    const applied = withAppliedDigest(rendered);
    const edited = structuredClone(applied);
    edited.spec.env[1]!.value = 'evil';
    expect(driftOf(applied, edited)).toBe('.spec.env[1].value');
    const legacy = structuredClone(rendered); // created before digests existed
    expect(driftOf(applied, legacy)).toBe('changed since the last apply');
  });

  it('ignores only the paths it is told the API server does not keep', () => {
    const applied = withAppliedDigest({ metadata: { name: 'm' }, spec: { stripPrefix: { prefixes: ['/w'] }, extra: 1 } });
    const pruned = { metadata: structuredClone(applied.metadata), spec: { extra: 1 } };
    expect(differences(applied, pruned)).toEqual(['.spec.stripPrefix']);
    expect(driftOf(applied, pruned, new Set(['.spec.stripPrefix']))).toBeUndefined();
    const alsoEdited = { ...pruned, spec: { extra: 2 } };
    expect(driftOf(applied, alsoEdited, new Set(['.spec.stripPrefix']))).toBe('.spec.extra');
  });

  it('lists several differences, up to a limit', () => {
    expect(differences({ a: 1, b: 2, c: 3 }, {}, 2)).toEqual(['.a', '.b']);
    expect(differences({ a: [1, 2] }, { a: [1] })).toEqual(['.a']);
  });
});
