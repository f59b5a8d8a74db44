import { describe, expect, it } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { interpretPushPod } from '../../../src/registry/in-cluster-push.js';

const withInit = { spec: { containers: [{ name: 'push' }], initContainers: [{ name: 'receive' }] } } as V1Pod;
const noInit = { spec: { containers: [{ name: 'push' }] } } as V1Pod;
const DIGEST = `sha256:${'e'.repeat(64)}`;

describe('interpretPushPod', () => {
  it('follows the pod from start to success', () => {
    expect(interpretPushPod({ ...withInit, status: { phase: 'Pending' } }, 'h')).toEqual({ step: 'starting' });
    expect(
      interpretPushPod({ ...withInit, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes' }] } }, 'h'),
    ).toEqual({ step: 'starting', detail: 'not scheduled: Unschedulable 0/3 nodes' });
    expect(interpretPushPod({ ...withInit, status: { phase: 'Pending', initContainerStatuses: [{ name: 'receive', state: { running: {} } } as never] } }, 'h')).toEqual({ step: 'receiving' });
    expect(interpretPushPod({ ...noInit, status: { phase: 'Running', containerStatuses: [{ name: 'push', state: { running: {} } } as never] } }, 'h')).toEqual({ step: 'pushing' });
    expect(
      interpretPushPod({ ...noInit, status: { phase: 'Succeeded', containerStatuses: [{ name: 'push', state: { terminated: { exitCode: 0, message: `${DIGEST}\n` } } } as never] } }, 'h'),
    ).toEqual({ step: 'succeeded', digest: DIGEST });
  });

  it('explains failures: image pull, receive checksum, push error, deadline', () => {
    const pull = interpretPushPod({ ...noInit, status: { phase: 'Pending', containerStatuses: [{ name: 'push', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } } as never] } }, 'q/skopeo:1');
    expect(pull).toMatchObject({ step: 'failed', fromPush: false, message: expect.stringMatching(/ErrImagePull: not found.*cannot pull the helper image q\/skopeo:1.*--helper-image/s) });
    const receive = interpretPushPod({ ...withInit, status: { phase: 'Failed', initContainerStatuses: [{ name: 'receive', state: { terminated: { exitCode: 1, message: 'image archive damaged in transfer' } } } as never] } }, 'h');
    expect(receive).toEqual({ step: 'failed', fromPush: false, message: 'Receiving the image failed: image archive damaged in transfer' });
    const push = interpretPushPod({ ...noInit, status: { phase: 'Failed', containerStatuses: [{ name: 'push', state: { terminated: { exitCode: 1, message: 'x509: bad' } } } as never] } }, 'h');
    expect(push).toEqual({ step: 'failed', fromPush: true, message: 'x509: bad' });
    expect(interpretPushPod({ ...noInit, status: { phase: 'Failed', reason: 'DeadlineExceeded', message: 'too long' } }, 'h')).toEqual({
      step: 'failed',
      fromPush: false,
      message: 'DeadlineExceeded: too long',
    });
  });
});
