import type { V1Node } from '@kubernetes/client-node';
import { KWOK_NODE_ANNOTATION } from './components.js';

export const DEFAULT_FAKE_NODE_NAME = 'kwok-node-0';

/**
 * A Node object for KWOK to simulate. No taint: workloads schedule without tolerations, as on
 * a real worker. Capacity is generous so tests and benchmarks are never limited by it.
 */
export function fakeNodeManifest(name = DEFAULT_FAKE_NODE_NAME): V1Node {
  const resources = { cpu: '32', memory: '256Gi', pods: '1000', 'ephemeral-storage': '1Ti' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      allocatable: resources,
      capacity: resources,
    },
  };
}
