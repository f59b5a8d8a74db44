import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/rest.js';
import { deploySource, isFromSource, SOURCE_ANNOTATION, SOURCE_LABEL, withSource } from '../../../src/pipeline/source.js';

describe('the source a deploy records on each server', () => {
  it('is the folder relative to the working directory, however it is written', () => {
    expect(deploySource('manifests/', undefined, '/repo').name).toBe('manifests');
    expect(deploySource('/repo/deploy/manifests', undefined, '/repo').name).toBe('deploy/manifests');
    expect(deploySource('./deploy//manifests', undefined, '/repo').id).toBe(deploySource('deploy/manifests', undefined, '/other-checkout/..' + '/repo').id);
    expect(deploySource('/elsewhere/m', undefined, '/repo').name).toBe('/elsewhere/m');
  });

  it('can be named explicitly, and different names give different label values', () => {
    expect(deploySource('manifests', 'team-a/weather', '/repo').name).toBe('team-a/weather');
    expect(deploySource('a', undefined, '/r').id).not.toBe(deploySource('b', undefined, '/r').id);
  });

  it('is a valid label value (a label value cannot hold a path)', () => {
    const { id } = deploySource('deploy/manifests', undefined, '/repo');
    expect(id).toMatch(/^[a-f0-9]{40}$/);
  });

  it('is added as a label and an annotation without changing the input, and both must match', () => {
    const source = deploySource('manifests', undefined, '/repo');
    const object: KubeObject = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', labels: { keep: 'me' } } };
    const labelled = withSource(object, source);
    expect(labelled.metadata?.labels).toEqual({ keep: 'me', [SOURCE_LABEL]: source.id });
    expect(labelled.metadata?.annotations).toEqual({ [SOURCE_ANNOTATION]: 'manifests' });
    expect(object.metadata?.labels).toEqual({ keep: 'me' });
    expect(isFromSource(labelled, source)).toBe(true);
    expect(isFromSource({ ...labelled, metadata: { ...labelled.metadata, annotations: { [SOURCE_ANNOTATION]: 'other' } } }, source)).toBe(false);
  });
});
