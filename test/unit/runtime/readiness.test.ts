// The one Deployment readiness rule (src/runtime/readiness.ts), shared by the operator's
// status, `server status`, `status` and `setup`: its edge cases.
import { describe, expect, it } from '@jest/globals';
import { deploymentReadiness, type DeploymentLike } from '../../../src/runtime/readiness.js';

const deployment = (status: NonNullable<DeploymentLike['status']>, generation = 3, replicas: number | null = 2): DeploymentLike => ({
  metadata: { generation },
  spec: replicas === null ? {} : { replicas },
  status,
});
const rolledOut = { observedGeneration: 3, replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 };

describe('deploymentReadiness', () => {
  it('is ready when the latest generation is observed and ready, updated and available all equal desired', () => {
    expect(deploymentReadiness(deployment(rolledOut))).toEqual({
      ready: true,
      desired: 2,
      readyReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      observed: true,
    });
  });

  it('accepts an observedGeneration ahead of the one read (a newer status than the spec copy)', () => {
    expect(deploymentReadiness(deployment({ ...rolledOut, observedGeneration: 4 })).ready).toBe(true);
  });

  it('does not trust counts from an older generation', () => {
    const r = deploymentReadiness(deployment({ ...rolledOut, observedGeneration: 2 }));
    expect(r).toMatchObject({ ready: false, observed: false, reason: 'the new spec has not been picked up by the Deployment controller yet' });
  });

  it('is not ready with no status at all (a Deployment just created)', () => {
    expect(deploymentReadiness({ metadata: { generation: 1 }, spec: { replicas: 1 } })).toMatchObject({ ready: false, observed: false });
  });

  it('defaults desired replicas to 1, as the API server does', () => {
    const r = deploymentReadiness(deployment({ observedGeneration: 3, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 }, 3, null));
    expect(r).toMatchObject({ ready: true, desired: 1 });
  });

  it.each([
    ['ready short', { readyReplicas: 1 }, '1/2 pods ready'],
    ['updated short (rollout in progress)', { updatedReplicas: 1 }, 'rolling out: 1/2 pods updated'],
    ['available short (minReadySeconds not yet passed)', { availableReplicas: 1 }, '2/2 pods ready, 1 available'],
    ['more ready than desired (old pods of a surge rollout)', { readyReplicas: 3, availableReplicas: 3 }, 'rolling out: 3 pods ready for 2 desired (old pods still running)'],
  ])('is not ready when %s', (_what, change, reason) => {
    const r = deploymentReadiness(deployment({ ...rolledOut, ...change }));
    expect(r).toMatchObject({ ready: false, reason });
    expect(r.failure).toBeUndefined();
  });

  it('scaled to zero is ready once no pod is left, not while one still runs', () => {
    expect(deploymentReadiness(deployment({ observedGeneration: 3 }, 3, 0))).toMatchObject({ ready: true, desired: 0 });
    expect(deploymentReadiness(deployment({ observedGeneration: 3, readyReplicas: 1, availableReplicas: 1 }, 3, 0)).ready).toBe(false);
  });

  it('reports a failed rollout as a failure, not as waiting', () => {
    const stalled = deploymentReadiness(
      deployment({ ...rolledOut, readyReplicas: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "x" has timed out progressing.' }] }),
    );
    expect(stalled).toMatchObject({ ready: false, failure: 'ProgressDeadlineExceeded: ReplicaSet "x" has timed out progressing.' });
    const refused = deploymentReadiness(
      deployment({ observedGeneration: 3, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden' }] }),
    );
    expect(refused.failure).toBe('FailedCreate: pods "x" is forbidden');
    expect(refused.reason).toBe(refused.failure);
  });

  it('ignores failure conditions once the rollout is complete', () => {
    const r = deploymentReadiness(deployment({ ...rolledOut, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
    expect(r.ready).toBe(true);
    expect(r.failure).toBeUndefined();
  });
});
