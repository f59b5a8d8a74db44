import { describe, expect, it } from '@jest/globals';
import { chooseRegistry, isInClusterRegistry, pushDestination, sourceImageName } from '../../../src/registry/destination.js';
import { defaultPushMode } from '../../../src/registry/push.js';

const IN_CLUSTER = 'registry.registry.svc.cluster.local:5000';

describe('registry choice and push destination', () => {
  it('--registry, then provisioned, then in-cluster', () => {
    expect(chooseRegistry('https://a.example.com/', 'b.example.com')).toEqual({ registry: 'a.example.com', source: 'flag' });
    expect(chooseRegistry(undefined, 'b.example.com/team')).toEqual({ registry: 'b.example.com/team', source: 'provisioned' });
    expect(chooseRegistry(undefined, undefined)).toEqual({ registry: IN_CLUSTER, source: 'in-cluster' });
  });

  it('retags the source for the platform registry, keeping repository and tag', () => {
    expect(pushDestination({ source: 'localhost/my-server:abc' }).image).toBe(`${IN_CLUSTER}/my-server:abc`);
    expect(pushDestination({ source: 'ghcr.io/acme/s', registry: 'reg.example.com/team' }).image).toBe('reg.example.com/team/acme/s:latest');
    expect(pushDestination({ source: 'containers-storage:localhost/x:1', provisioned: 'p.example.com' }).image).toBe('p.example.com/x:1');
    expect(pushDestination({ source: 'oci-archive:/tmp/x.tar', name: 'team/x:2', registry: '127.0.0.1:5000' }).image).toBe('127.0.0.1:5000/team/x:2');
  });

  it('explains names it cannot use', () => {
    expect(() => pushDestination({ source: 'oci-archive:/tmp/x.tar' })).toThrow(/pass --name/);
    expect(() => pushDestination({ source: 'x', name: 'reg.example.com/x' })).toThrow(/names a registry/);
    expect(() => pushDestination({ source: 'x', name: `x@sha256:${'a'.repeat(64)}` })).toThrow(/cannot be a digest/);
  });

  it('knows the in-cluster registry under its DNS names and defaults pushes to it to the in-cluster mode', () => {
    for (const r of [IN_CLUSTER, 'registry.registry.svc:5000', 'registry.registry:5000/team', `http://${IN_CLUSTER}/`]) expect(isInClusterRegistry(r)).toBe(true);
    for (const r of ['registry.example.com:5000', 'localhost:5000', '']) expect(isInClusterRegistry(r)).toBe(false);
    expect(defaultPushMode(`${IN_CLUSTER}/x:1`)).toBe('in-cluster');
    expect(defaultPushMode('localhost:5000/x:1')).toBe('direct');
    expect(sourceImageName('docker://ghcr.io/a/b:1')).toBe('ghcr.io/a/b:1');
  });
});
