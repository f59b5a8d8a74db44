import { describe, expect, it } from '@jest/globals';
import { addressPublished, readinessFlipped } from '../../../src/operator/urgent-events.js';

const deployment = (ready: number, observed = 1) => ({
  metadata: { name: 'weather', generation: 1 },
  spec: { replicas: 1 },
  status: { observedGeneration: observed, replicas: 1, readyReplicas: ready, updatedReplicas: 1, availableReplicas: ready },
});
const ingress = (ips: string[]) => ({ metadata: { name: 'weather' }, status: { loadBalancer: { ingress: ips.map((ip) => ({ ip })) } } });

describe('urgent child events', () => {
  it('a Deployment becoming ready, or no longer ready, is urgent; other status changes are not', () => {
    expect(readinessFlipped({ type: 'update', old: deployment(0), obj: deployment(1) })).toBe(true);
    expect(readinessFlipped({ type: 'update', old: deployment(1), obj: deployment(0) })).toBe(true);
    expect(readinessFlipped({ type: 'update', old: deployment(0, 0), obj: deployment(0) })).toBe(false);
    expect(readinessFlipped({ type: 'update', old: deployment(1), obj: deployment(1) })).toBe(false);
    expect(readinessFlipped({ type: 'add', obj: deployment(1) })).toBe(false);
  });

  it("an Ingress's address appearing or going is urgent; a changed address is not", () => {
    expect(addressPublished({ type: 'update', old: ingress([]), obj: ingress(['10.0.0.1']) })).toBe(true);
    expect(addressPublished({ type: 'update', old: ingress(['10.0.0.1']), obj: ingress([]) })).toBe(true);
    expect(addressPublished({ type: 'update', old: ingress(['10.0.0.1']), obj: ingress(['10.0.0.2']) })).toBe(false);
    expect(addressPublished({ type: 'delete', obj: ingress([]) })).toBe(false);
  });
});
