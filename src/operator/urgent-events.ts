/**
 * Child events that change what users see of their server, so its key goes ahead of ordinary
 * work (the urgent lane of the work queue): a Deployment's readiness flipping decides the phase
 * Ready, an Ingress's address appearing decides Routed. Every other child event is ordinary.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { deploymentReadiness, type DeploymentLike, type SourceEvent } from '../runtime/index.js';

/** A Deployment became ready or stopped being ready: the server's phase changes with it. */
export function readinessFlipped(event: SourceEvent<KubernetesObject>): boolean {
  if (event.type !== 'update' || event.old === undefined) return false;
  return deploymentReadiness(event.obj as DeploymentLike).ready !== deploymentReadiness(event.old as DeploymentLike).ready;
}

/** The ingress controller published (or withdrew) an Ingress's address: Routed changes with it. */
export function addressPublished(event: SourceEvent<KubernetesObject>): boolean {
  if (event.type !== 'update' || event.old === undefined) return false;
  const published = (o: KubernetesObject) => ((o as { status?: { loadBalancer?: { ingress?: unknown[] } } }).status?.loadBalancer?.ingress ?? []).length > 0;
  return published(event.obj) !== published(event.old);
}
