import { describe, expect, it } from '@jest/globals';
import { firstDifference, needsApply, quantityValue } from '../../../src/operator/drift.js';

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
    expect(needsApply(desired, live)).toBe(false);
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
    expect(needsApply(desired, undefined)).toBe(true);
  });

  it('compares quantities by value', () => {
    expect(quantityValue('500m')).toBeCloseTo(0.5);
    expect(quantityValue('1Gi')).toBe(2 ** 30);
    expect(quantityValue('lots')).toBeUndefined();
    const edited = structuredClone(live);
    edited.spec.template.spec.containers[0]!.resources.limits.cpu = '400m';
    expect(firstDifference(desired, edited)).toBe('.spec.template.spec.containers[0].resources.limits.cpu');
  });

  it('sees a list of a different length as drift', () => {
    const edited = structuredClone(live);
    edited.spec.template.spec.containers[0]!.env.push({ name: 'B' });
    expect(firstDifference(desired, edited)).toBe('.spec.template.spec.containers[0].env');
  });
});
