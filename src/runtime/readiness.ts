/**
 * The one rule for "is this Deployment ready", used by the operator's status, `server status`,
 * `status`, `cluster status` and `setup`'s wait, so they never disagree.
 *
 * Ready means the rollout of the latest spec is complete: the Deployment controller has seen
 * the latest generation (observedGeneration >= generation; otherwise the counts describe an
 * older spec), and the ready, updated and available replica counts all equal the desired
 * count. A count above the desired one means old pods are still around (a rollout with surge),
 * so it is not ready yet either.
 */

/** The fields of a Deployment readiness depends on (raw JSON or client-node models both fit). */
export interface DeploymentLike {
  metadata?: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface DeploymentReadiness {
  ready: boolean;
  /** spec.replicas (1 when unset, as the API server defaults it). */
  desired: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  /** False while the Deployment controller has not yet seen the latest spec. */
  observed: boolean;
  /** Why not ready, in words; undefined when ready. */
  reason?: string;
  /** Set when the rollout has failed rather than being merely in progress (Progressing=False, ReplicaFailure=True). */
  failure?: string;
}

export function deploymentReadiness(d: DeploymentLike): DeploymentReadiness {
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const readyReplicas = s.readyReplicas ?? 0;
  const updatedReplicas = s.updatedReplicas ?? 0;
  const availableReplicas = s.availableReplicas ?? 0;
  const observed = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  const ready = observed && readyReplicas === desired && updatedReplicas === desired && availableReplicas === desired;
  const result: DeploymentReadiness = { ready, desired, readyReplicas, updatedReplicas, availableReplicas, observed };
  if (ready) return result;
  const failure = rolloutFailure(s.conditions ?? []);
  if (failure !== undefined) result.failure = failure;
  result.reason = failure ?? notReadyReason(result);
  return result;
}

function rolloutFailure(conditions: NonNullable<NonNullable<DeploymentLike['status']>['conditions']>): string | undefined {
  const replicaFailure = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (replicaFailure !== undefined) return `${replicaFailure.reason ?? 'ReplicaFailure'}: ${replicaFailure.message ?? ''}`.trim();
  const stalled = conditions.find((c) => c.type === 'Progressing' && c.status === 'False');
  if (stalled !== undefined) return `${stalled.reason ?? 'ProgressDeadlineExceeded'}: ${stalled.message ?? ''}`.trim();
  return undefined;
}

function notReadyReason(r: DeploymentReadiness): string {
  if (!r.observed) return 'the new spec has not been picked up by the Deployment controller yet';
  if (r.readyReplicas > r.desired || r.updatedReplicas > r.desired || r.availableReplicas > r.desired) {
    return `rolling out: ${r.readyReplicas} pods ready for ${r.desired} desired (old pods still running)`;
  }
  if (r.updatedReplicas < r.desired) return `rolling out: ${r.updatedReplicas}/${r.desired} pods updated`;
  return `${r.readyReplicas}/${r.desired} pods ready${r.readyReplicas === r.desired ? `, ${r.availableReplicas} available` : ''}`;
}
