/** Readiness of Deployments, shared by `status`, `cluster status` and `setup`'s wait. Pure helpers + reads. */
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { deploymentReadiness, type DeploymentLike } from '../runtime/readiness.js';

export interface DeploymentObject extends KubeObject, DeploymentLike {
  metadata?: KubeObject['metadata'];
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

export interface DeploymentSummary {
  namespace: string;
  name: string;
  /** Rolled out and every desired pod ready (the shared rule, src/runtime/readiness.ts). */
  available: boolean;
  ready: number;
  desired: number;
  image?: string;
  /** Why not available, when known. */
  reason?: string;
}

/** A Deployment's readiness for status displays: the shared rule plus its name and image. */
export function summarizeDeployment(d: DeploymentObject): DeploymentSummary {
  const r = deploymentReadiness(d);
  const image = d.spec?.template?.spec?.containers?.[0]?.image;
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    available: r.ready,
    ready: r.readyReplicas,
    desired: r.desired,
    ...(image !== undefined ? { image } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  };
}

export async function listDeployments(rest: KubeRest, namespace: string): Promise<DeploymentObject[]> {
  return rest.list<DeploymentObject>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`);
}

export async function readDeployment(rest: KubeRest, namespace: string, name: string): Promise<DeploymentObject | undefined> {
  return rest.find<DeploymentObject>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`);
}
