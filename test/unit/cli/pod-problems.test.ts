/** podProblem: the line `setup`'s wait and `status` add to "0/2 pods ready". */
import { describe, expect, it } from '@jest/globals';
import { podProblem, type PodLike } from '../../../src/status/pod-problems.js';

const pod = (name: string, status: PodLike['status'], extra: Partial<NonNullable<PodLike['metadata']>> = {}): PodLike => ({
  metadata: { name, namespace: 'mcp-runtime', ...extra },
  status,
});

describe('podProblem', () => {
  it('a crash loop: the container, its restarts, its last exit code and where to read why', () => {
    const crashing = pod('catalog-1', {
      phase: 'Running',
      containerStatuses: [{ name: 'catalog', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
    });
    expect(podProblem([crashing])).toBe(
      'pod catalog-1: container catalog CrashLoopBackOff (3 restarts, last exit code 1); see `kubectl logs -n mcp-runtime catalog-1 --previous`',
    );
    const oom = pod('op-1', { containerStatuses: [{ name: 'operator', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] });
    expect(podProblem([oom])).toContain('(1 restarts, last exit code 137 (OOMKilled))');
  });

  it('an image that cannot be pulled, with the kubelet message cut to a readable length', () => {
    const message = `failed to pull and unpack image "ghcr.io/x/y:1": ${'x'.repeat(400)}`;
    const line = podProblem([pod('op-1', { containerStatuses: [{ name: 'operator', state: { waiting: { reason: 'ImagePullBackOff', message } } }] })]);
    expect(line).toMatch(/^pod op-1: container operator ImagePullBackOff: failed to pull and unpack image "ghcr\.io\/x\/y:1": x+…$/);
    expect(line!.length).toBeLessThan(220);
  });

  it('a pod the scheduler cannot place', () => {
    const pending = pod('registry-1', {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector." }],
    });
    expect(podProblem([pending])).toBe("pod registry-1 cannot be scheduled: 0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
  });

  it('nothing for pods that are only starting, ready or going away', () => {
    const starting = pod('a', { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }] });
    const ready = pod('b', { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, state: {} }] });
    const leaving = pod('c', { containerStatuses: [{ name: 'c', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, { deletionTimestamp: '2026-11-28T00:00:00Z' });
    expect(podProblem([starting, ready, leaving])).toBeUndefined();
    expect(podProblem([])).toBeUndefined();
  });
});
