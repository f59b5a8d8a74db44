/** Readiness of Deployments, shared by `status`, `cluster status` and `setup`'s wait. Pure helpers + reads. */
import type { KubeObject, KubeRest } from '../kube/rest.js';

export interface DeploymentObject extends KubeObject {
  spec?: { replicas?: number; template?: { spec?: { containers?: { name: string; image?: string }[] } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface DeploymentReadiness {
  namespace: string;
  name: string;
  /** Available (rolled out, enough ready pods) — what `kubectl rollout status` waits for. */
  available: boolean;
  ready: number;
  desired: number;
  image?: string;
  /** Why not available, when known. */
  reason?: string;
}

/** Same rule as `kubectl rollout status`: the latest generation observed, all updated, all available. */
export function deploymentReadiness(d: DeploymentObject): DeploymentReadiness {
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const ready = s.readyReplicas ?? 0;
  const observed = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  const available = observed && (s.updatedReplicas ?? 0) >= desired && (s.availableReplicas ?? 0) >= desired && (s.replicas ?? 0) <= desired;
  const failing = s.conditions?.find((c) => (c.type === 'Progressing' || c.type === 'ReplicaFailure') && c.status === 'False');
  const replicaFailure = s.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  let reason: string | undefined;
  if (!available) {
    if (replicaFailure !== undefined) reason = `${replicaFailure.reason ?? 'ReplicaFailure'}: ${replicaFailure.message ?? ''}`.trim();
    else if (failing !== undefined) reason = `${failing.reason ?? ''}: ${failing.message ?? ''}`.trim();
    else if (!observed) reason = 'the new spec has not been picked up yet';
    else reason = `${s.availableReplicas ?? 0}/${desired} pods available`;
  }
  const image = d.spec?.template?.spec?.containers?.[0]?.image;
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    available,
    ready,
    desired,
    ...(image !== undefined ? { image } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}

export async function listDeployments(rest: KubeRest, namespace: string): Promise<DeploymentObject[]> {
  return rest.list<DeploymentObject>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`);
}

export async function readDeployment(rest: KubeRest, namespace: string, name: string): Promise<DeploymentObject | undefined> {
  return rest.find<DeploymentObject>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`);
}
