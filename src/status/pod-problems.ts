/**
 * Why a Deployment's pods are not ready, in one line: what `kubectl describe pod` would make one
 * look for (a crash loop and its last exit code, an image that cannot be pulled, a pod that
 * cannot be scheduled). `setup`'s wait and `status` append it to "0/2 pods ready", which alone
 * says nothing a user can act on. Pure, except podsOfDeployment and explainUnavailable (one list call).
 */
import type { KubeObject, KubeRest } from '../kube/rest.js';
import type { DeploymentObject, DeploymentSummary } from './deployments.js';

export interface PodLike extends KubeObject {
  metadata?: KubeObject['metadata'] & { deletionTimestamp?: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      ready?: boolean;
      restartCount?: number;
      state?: { waiting?: { reason?: string; message?: string } };
      lastState?: { terminated?: { exitCode?: number; reason?: string } };
    }[];
  };
}

/** Waiting reasons that mean a container cannot start (the image, its config or the runtime), shared with the registry's push pod. */
export const CANNOT_START_REASONS: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);
/** ...and for a long-running pod, a container that keeps exiting. */
const STUCK = new Set([...CANNOT_START_REASONS, 'CrashLoopBackOff']);

/** Kubernetes messages can be long (a whole pull error): enough to recognise, not a wall of text. */
const MAX_MESSAGE = 160;
const clip = (text: string): string => (text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`);

function describePod(pod: PodLike): string | undefined {
  const name = pod.metadata?.name ?? '?';
  for (const c of pod.status?.containerStatuses ?? []) {
    const waiting = c.state?.waiting;
    if (waiting?.reason === undefined || !STUCK.has(waiting.reason)) continue;
    const last = c.lastState?.terminated;
    if (waiting.reason === 'CrashLoopBackOff') {
      const exit = last?.exitCode === undefined ? '' : `, last exit code ${last.exitCode}${last.reason !== undefined && last.reason !== 'Error' ? ` (${last.reason})` : ''}`;
      return `pod ${name}: container ${c.name} CrashLoopBackOff (${c.restartCount ?? 0} restarts${exit}); see \`kubectl logs -n ${pod.metadata?.namespace ?? ''} ${name} --previous\``;
    }
    return `pod ${name}: container ${c.name} ${waiting.reason}${waiting.message ? `: ${clip(waiting.message)}` : ''}`;
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return `pod ${name} cannot be scheduled${scheduled.message ? `: ${clip(scheduled.message)}` : ''}`;
  return undefined;
}

/** The first telling problem among a Deployment's pods (live ones first), or undefined. */
export function podProblem(pods: readonly PodLike[]): string | undefined {
  const live = pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
  for (const pod of live) {
    const problem = describePod(pod);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** The pods a Deployment selects (its matchLabels), in its namespace. */
export async function podsOfDeployment(rest: KubeRest, d: DeploymentObject & { spec?: { selector?: { matchLabels?: Record<string, string> } } }): Promise<PodLike[]> {
  const labels = d.spec?.selector?.matchLabels;
  if (labels === undefined || Object.keys(labels).length === 0) return [];
  const labelSelector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  return rest.list<PodLike>(`/api/v1/namespaces/${encodeURIComponent(d.metadata?.namespace ?? '')}/pods`, { labelSelector });
}

/**
 * Appends the first pod problem to the reason of a Deployment that is not available. A user who
 * may not list pods (or pods gone meanwhile) gets the Deployment's own reason alone.
 */
export async function explainUnavailable(rest: KubeRest, d: DeploymentObject, summary: Pick<DeploymentSummary, 'available' | 'reason'>): Promise<void> {
  if (summary.available) return;
  const problem = podProblem(await podsOfDeployment(rest, d).catch(() => []));
  if (problem !== undefined) summary.reason = `${summary.reason ?? 'not available'}; ${problem}`;
}
