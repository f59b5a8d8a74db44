/**
 * The project's one way to talk to Kubernetes, for the CLI and the operator alike:
 *
 * - the client: src/runtime/kube-http.ts (raw JSON, keep-alive, request metrics via onResponse),
 *   its errors (src/runtime/kube-errors.ts) and its REST mapper (src/runtime/rest-mapper.ts);
 * - the writes: server-side apply, status patch and delete (src/runtime/apply.ts);
 * - Deployment readiness (src/runtime/readiness.ts);
 * - for commands: kubeconfig loading (config.ts), a connected handle (rest.ts, client.ts), the
 *   apply outcome a command reports (apply.ts), waits (wait.ts) and domain errors (errors.ts).
 *
 * The controller runtime (src/runtime) sits below this and imports none of it, so the operator
 * can use the runtime's index directly; both reach the same modules.
 */
export * from './errors.js';
export * from './config.js';
export * from './rest.js';
export * from './client.js';
export * from './apply.js';
export * from './wait.js';
export { KubeClient, type KubeClientOptions } from '../runtime/kube-http.js';
export { applyObject, deleteObject, patchStatus, type ApplyOptions, type DeleteOptions, type StatusPatchOptions } from '../runtime/apply.js';
export { RestMapper, restMapperFor } from '../runtime/rest-mapper.js';
export { deploymentReadiness, type DeploymentLike, type DeploymentReadiness } from '../runtime/readiness.js';
