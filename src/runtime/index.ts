// The controller runtime: generic building blocks for level-triggered Kubernetes controllers.
export { applyObject, deleteObject, patchStatus, APPLY_PATCH, MERGE_PATCH, type ApplyOptions, type DeleteOptions, type StatusPatchOptions } from './apply.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { realClock, sleep, type Clock, type TimerHandle } from './clock.js';
export {
  Controller,
  controllerOwnerKey,
  generationChanged,
  TerminalError,
  type ControllerOptions,
  type KeyMapper,
  type OwnsSource,
  type Predicate,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  type SourceEvent,
  type WatchSource,
} from './controller.js';
export { EventRecorder, microTimeString, type EventRecorderOptions, type EventType } from './events.js';
export { HealthServer, type Check } from './health.js';
export {
  Informer,
  stripManagedFields,
  type EventHandlers,
  type InformerMetrics,
  type InformerNamespaces,
  type InformerOptions,
  type WatchRestartReason,
} from './informer.js';
export { keyOf, objectKey, parseKey, type ObjectRef } from './keys.js';
export {
  ApiError,
  describeNetworkError,
  errorCode,
  isConflict,
  isForbidden,
  isGone,
  isNetworkErrorCode,
  isNotFound,
  KindNotServedError,
  KubeUnreachableError,
  NotKubernetesError,
  type Status,
} from './kube-errors.js';
export { KubeClient, type KubeClientOptions, type KubeConnection, type Query, type RequestOptions, type WatchEvent, type WatchEventType } from './kube-http.js';
export { deploymentReadiness, type DeploymentLike, type DeploymentReadiness } from './readiness.js';
export { coordinationLeaseClient, LeaderElector, microTime, type Lease, type LeaderElectorOptions, type LeaseClient } from './leader-election.js';
export { apiListWatcher, type ListOptions, type ListResult, type ListWatcher, type WatchOptions } from './list-watch.js';
export { controllerLogger, createLogger, keyLogger, objectSummary, REDACTED_PATHS, silentLogger, type CreateLoggerOptions, type Logger } from './logger.js';
export {
  LeaderElectionLostError,
  Manager,
  type LeaderElectionConfig,
  type ManagedControllerOptions,
  type ManagerOptions,
  type SharedInformerOptions,
} from './manager.js';
export { MetricsServer, respondWithMetrics, RuntimeMetrics, type ControllerMetrics, type LeaderMetrics, type ReconcileResult as ReconcileResultLabel, type RuntimeMetricsOptions } from './metrics.js';
export { ExponentialRateLimiter, type ExponentialRateLimiterOptions, type RateLimiter } from './rate-limiter.js';
export {
  BUILTIN_TYPES,
  ConfigMaps,
  Deployments,
  Events,
  groupOf,
  Ingresses,
  Leases,
  Namespaces,
  NetworkPolicies,
  Pods,
  resourceName,
  resourcePath,
  Secrets,
  Services,
  TraefikMiddlewares,
  EndpointSlices,
  TraefikIngressRoutes,
  CertManagerCertificates,
  type PathOptions,
  type ResourceType,
} from './resources.js';
export { StringInterner } from './intern.js';
export { keptMetadata, ownedFieldsProjection, projectFields, type OwnedFieldsOptions } from './owned-fields.js';
export { RestMapper, restMapperFor } from './rest-mapper.js';
export { deepFreeze, NAMESPACE_INDEX, OWNER_UID_INDEX, Store, type IndexFunc, type ReplaceResult } from './store.js';
export { runWorkers, WorkQueue, type QueueMetrics, type ShutdownMode, type WorkQueueOptions } from './work-queue.js';
