/** Which component a cluster process's memory is counted under (pure). */
import { describe, expect, it } from '@jest/globals';
import { componentOf } from '../../../src/local-cluster/footprint.js';

describe('componentOf', () => {
  it('names host components by their executable, and everything under a shim as pods', () => {
    expect(componentOf({ exe: 'kube-apiserver', argv: ['/c/kube-apiserver'] }, false)).toBe('kube-apiserver');
    expect(componentOf({ exe: 'containerd-shim-runc-v2', argv: [] }, false)).toBe('containerd shims');
    expect(componentOf({ exe: 'node', argv: ['node', 'dist/server.js'] }, true)).toBe('pods (containers)');
  });

  it('tells the operator from other node processes, and the watchdog\'s shell loop from the rest', () => {
    expect(componentOf({ exe: 'node', argv: ['node', '--import', 'tsx', 'bin/dev.js', 'operator', '--kubeconfig', '/c/kubeconfig'] }, false)).toBe('operator');
    expect(componentOf({ exe: 'node', argv: ['node', 'bin/dev.js', 'catalog', 'serve'] }, false)).toBe('node (other)');
    expect(componentOf({ exe: 'sleep', argv: ['sleep', '1'] }, false)).toBe('watchdog');
  });
});
