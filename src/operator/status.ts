/**
 * Computes an MCPServer's status from what is live. Pure: the reconciler passes in the live
 * children (as read from its caches) and writes the result only when it differs from what is
 * stored. Messages say what to do, not just what is wrong.
 */
import type { Condition, MCPServerStatus, Phase } from '../api/v1alpha1/index.js';
import { parseRenderWarning } from '../../charts-ts/server/compatibility.js';
import { deploymentReadiness, type DeploymentLike } from '../runtime/readiness.js';
import { mergeConditions, type ConditionInput } from './conditions.js';
import type { PublishedVerification } from './verify/results.js';

export type IngressReadiness = 'strict' | 'permissive';

/** The few fields of a live Deployment status depends on (the shared readiness rule's input). */
export type LiveDeployment = DeploymentLike;
export interface LiveService {
  spec?: { clusterIP?: string };
}
export interface LiveIngress {
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface StatusInput {
  readonly name: string;
  readonly namespace: string;
  readonly generation: number;
  readonly desiredReplicas: number;
  readonly url: string;
  readonly image: string;
  readonly deployment?: LiveDeployment;
  readonly service?: LiveService;
  /** Undefined when no Ingress exists (or when routing is in conflict). */
  readonly ingress?: LiveIngress;
  readonly ingressReadiness: IngressReadiness;
  /**
   * Set when the server is routed through the platform gateway: an IngressRoute instead of an
   * Ingress (Traefik publishes no status on it, so it routes once it exists).
   */
  readonly gatewayRoute?: { readonly exists: boolean; readonly gateway: string };
  /** What decides whether a session's requests can land on a pod that does not hold it. */
  readonly sessions?: { readonly stateless: boolean; readonly replicas: number; readonly throughGateway: boolean };
  /** Set when another server already claims the same host and path. */
  readonly conflictWith?: string;
  /** Set when applying the children failed; the reconcile is retried with backoff. */
  readonly applyError?: string;
  /**
   * Render warnings (`Reason: message`, see charts-ts/server/compatibility.ts): the spec is
   * accepted but not rendered exactly as written (e.g. an imageTag ignored on a digest).
   */
  readonly warnings?: readonly string[];
  /** The readiness probe the pods run, so a "not ready" message can say what to fix. */
  readonly probe?: { readonly type: 'tcp' | 'http' | 'none'; readonly path?: string; readonly port: number };
  /** Set when the API server did not keep fields the operator applied (`Kind name: paths`). */
  readonly fieldsNotKept?: string;
  /**
   * What verification says (the Verified condition and status.mcp). Undefined when the operator
   * does not verify: then status has neither.
   */
  readonly verification?: PublishedVerification;
  readonly previous?: MCPServerStatus;
  readonly now: () => Date;
}

function availability(input: StatusInput): ConditionInput {
  const d = input.deployment;
  if (d === undefined) {
    return { type: 'Available', status: 'False', reason: 'DeploymentMissing', message: `Deployment ${input.name} does not exist yet; the operator creates it on its next reconcile.` };
  }
  const rollout = deploymentReadiness(d);
  if (rollout.ready && rollout.desired === 0) {
    return { type: 'Available', status: 'True', reason: 'ScaledToZero', message: 'spec.replicas is 0: no pods run. Set replicas above 0 to serve requests.' };
  }
  if (rollout.ready) {
    return { type: 'Available', status: 'True', reason: 'PodsReady', message: `${rollout.readyReplicas}/${rollout.desired} pods ready.` };
  }
  if (rollout.failure !== undefined) {
    return { type: 'Available', status: 'False', reason: 'RolloutFailed', message: `${rollout.failure} Check the image and \`mcp-runtime server logs ${input.name} -n ${input.namespace}\`.` };
  }
  return {
    type: 'Available',
    status: 'False',
    reason: 'PodsNotReady',
    message: `${rollout.reason ?? ''}. If this persists, check \`mcp-runtime server status ${input.name} -n ${input.namespace}\` and its logs (image pull errors, crashes, failing probes).${probeHint(input.probe)}`,
  };
}

/** What the readiness probe checks, and what to change when pods run but never become ready. */
function probeHint(probe: StatusInput['probe']): string {
  if (probe === undefined || probe.type === 'none') return '';
  if (probe.type === 'http') {
    return ` Pods that run but never become ready fail their readiness probe: HTTP GET ${probe.path ?? '/'} on port ${probe.port} must answer 2xx or 3xx. Set spec.probe.path to a health path the server serves (not /mcp), or spec.probe.type to tcp.`;
  }
  return ` Pods that run but never become ready fail their readiness probe: nothing accepts connections on port ${probe.port}. Set spec.port to the port the server listens on.`;
}

function routing(input: StatusInput): ConditionInput {
  if (input.conflictWith !== undefined) {
    return { type: 'Routed', status: 'False', reason: 'Conflict', message: `The host and path ${input.url} are already served by ${input.conflictWith}; set a different spec.ingressPath or spec.ingressHost.` };
  }
  if (input.service?.spec?.clusterIP === undefined || input.service.spec.clusterIP === '') {
    return { type: 'Routed', status: 'False', reason: 'ServicePending', message: `Service ${input.name} has no cluster IP yet.` };
  }
  if (input.gatewayRoute !== undefined) {
    return input.gatewayRoute.exists
      ? { type: 'Routed', status: 'True', reason: 'GatewayRoute', message: `Reachable at ${input.url} through the gateway ${input.gatewayRoute.gateway}.` }
      : { type: 'Routed', status: 'False', reason: 'IngressRouteMissing', message: `IngressRoute ${input.name} (to the gateway ${input.gatewayRoute.gateway}) does not exist yet; the operator creates it on its next reconcile.` };
  }
  if (input.ingress === undefined) {
    return { type: 'Routed', status: 'False', reason: 'IngressMissing', message: `Ingress ${input.name} does not exist yet; the operator creates it on its next reconcile.` };
  }
  const published = (input.ingress.status?.loadBalancer?.ingress ?? []).length > 0;
  if (published) return { type: 'Routed', status: 'True', reason: 'IngressReady', message: `Reachable at ${input.url}.` };
  if (input.ingressReadiness === 'permissive') {
    return { type: 'Routed', status: 'True', reason: 'IngressCreated', message: `Ingress created (permissive readiness: the controller's address is not checked). Reachable at ${input.url} once DNS points at the ingress controller.` };
  }
  return {
    type: 'Routed',
    status: 'False',
    reason: 'IngressPending',
    message: 'Waiting for the ingress controller to publish an address on the Ingress. Is the controller installed (`mcp-runtime status`)? On clusters whose controller never publishes one, run the operator with --ingress-readiness=permissive.',
  };
}

/**
 * Whether every request of a session reaches the pod that holds it. Only a warning: the server
 * runs, but clients of a stateful server with several pods behind plain routing see "Session not
 * found" whenever a request lands on another pod (and `sessionAffinity: ClientIP` does not help
 * behind an ingress: every request comes from the ingress controller).
 */
function sessionSafety(sessions: NonNullable<StatusInput['sessions']>): ConditionInput {
  if (sessions.stateless) return { type: 'SessionSafe', status: 'True', reason: 'Stateless', message: 'The server keeps no session state (spec.stateless): any pod may answer any request.' };
  if (sessions.throughGateway) return { type: 'SessionSafe', status: 'True', reason: 'GatewayPinsSessions', message: "The gateway sends every request of a session to the pod that issued it." };
  if (sessions.replicas <= 1) return { type: 'SessionSafe', status: 'True', reason: 'SinglePod', message: 'One pod holds every session.' };
  return {
    type: 'SessionSafe',
    status: 'False',
    reason: 'StatefulWithoutGateway',
    message: `${sessions.replicas} pods of a server with sessions, routed straight to the pods: a session's requests land on pods that do not hold it ("Session not found"). Route it through the gateway (spec.gateway.enabled, setup --gateway), set spec.stateless: true if it keeps no session state, or run 1 replica.`,
  };
}

function configuration(warnings: readonly string[] = []): ConditionInput {
  if (warnings.length === 0) return { type: 'Configured', status: 'True', reason: 'AsSpecified', message: 'The spec is rendered as written.' };
  const parsed = warnings.map(parseRenderWarning);
  return {
    type: 'Configured',
    status: 'False',
    reason: parsed[0]!.reason,
    message: `The server runs, but not exactly as the spec says: ${parsed.map((w) => w.message).join(' ')} Change the spec to silence this.`,
  };
}

function readiness(available: ConditionInput, routed: ConditionInput, applyError?: string, fieldsNotKept?: string): ConditionInput {
  if (applyError !== undefined) {
    return { type: 'Ready', status: 'False', reason: 'ApplyFailed', message: `Could not apply the server's objects: ${applyError}` };
  }
  if (fieldsNotKept !== undefined) {
    return {
      type: 'Ready',
      status: 'False',
      reason: 'FieldsNotKept',
      message: `The API server did not keep fields the operator applied (${fieldsNotKept}). Its schema for that kind is likely older than the operator's (a CRD that prunes unknown fields: run \`mcp-runtime setup\` to update it), or an admission webhook rewrites them. The operator retries with backoff.`,
    };
  }
  if (available.status === 'True' && routed.status === 'True') {
    return { type: 'Ready', status: 'True', reason: 'Ready', message: routed.message };
  }
  const blocker = available.status !== 'True' ? available : routed;
  return { type: 'Ready', status: 'False', reason: blocker.reason, message: blocker.message };
}

function phaseOf(ready: ConditionInput, parts: readonly boolean[], applyError?: string, conflict?: string): Phase {
  if (applyError !== undefined || conflict !== undefined) return 'Error';
  if (ready.status === 'True') return 'Ready';
  return parts.some(Boolean) ? 'PartiallyReady' : 'Pending';
}

export function computeStatus(input: StatusInput): MCPServerStatus {
  const available = availability(input);
  const routed = routing(input);
  const ready = readiness(available, routed, input.applyError, input.fieldsNotKept);
  const deploymentReady = available.status === 'True';
  const serviceReady = (input.service?.spec?.clusterIP ?? '') !== '';
  const ingressReady = routed.status === 'True';
  const verified: ConditionInput[] = input.verification === undefined ? [] : [{ type: 'Verified', ...input.verification.condition }];
  const sessionSafe: ConditionInput[] = input.sessions === undefined ? [] : [sessionSafety(input.sessions)];
  const conditions: Condition[] = mergeConditions(
    input.previous?.conditions,
    [ready, available, routed, configuration(input.warnings), ...verified, ...sessionSafe],
    input.generation,
    input.now,
  );
  return {
    phase: phaseOf(ready, [deploymentReady, serviceReady, ingressReady], input.applyError ?? input.fieldsNotKept, input.conflictWith),
    message: ready.message,
    conditions,
    observedGeneration: input.generation,
    url: input.url,
    image: input.image,
    replicas: input.desiredReplicas,
    readyReplicas: input.deployment?.status?.readyReplicas ?? 0,
    deploymentReady,
    serviceReady,
    ingressReady,
    ...(input.verification?.mcp === undefined ? {} : { mcp: input.verification.mcp }),
  };
}
