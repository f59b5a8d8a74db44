/**
 * Wires the MCPServer controller into a manager: shared informers for servers and their
 * children, the reconciler, events, leader election, health and metrics. `mcp-runtime operator`
 * and the integration tests both start the operator through `createOperator`.
 */
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import {
  CertManagerCertificates,
  controllerOwnerKey,
  createLogger,
  Deployments,
  generationChanged,
  Ingresses,
  isNotFound,
  Manager,
  NetworkPolicies,
  ownedFieldsProjection,
  Pods,
  Services,
  TraefikIngressRoutes,
  TraefikMiddlewares,
  type KubeClient,
  type KubeConnection,
  type Logger,
  type ResourceType,
  type SourceEvent,
} from '../runtime/index.js';
import type { OperatorConfig } from './config.js';
import { OptionalChildKind } from './optional-kind.js';
import { OwnWrites } from './own-writes.js';
import { addressPublished, readinessFlipped } from './urgent-events.js';
import { mcpServerReconciler, renderCounter, type ChildKind } from './reconciler.js';
import { RouteClaims, routeKey, ROUTE_INDEX } from './routes.js';
import { CONTROLLER_NAME, FIELD_MANAGER, MCPServers, REPORTING_CONTROLLER, VERIFIER_NAME, type MCPServerObject } from './types.js';
import { VerificationResults } from './verify/results.js';
import { mcpServerVerifier, SERVER_PODS_INDEX, serverOfPod, servingPods, verificationCounter } from './verify/verifier.js';

export interface OperatorOptions {
  readonly kubeConfig: KubeConnection;
  readonly config: OperatorConfig;
  readonly logger?: Logger;
  /** Stop on SIGTERM/SIGINT (default true; tests that run several operators turn it off). */
  readonly handleSignals?: boolean;
  /** Graceful shutdown budget (default 30 s). */
  readonly shutdownTimeoutMs?: number;
}

/** Only objects the platform rendered are cached: it keeps memory flat on busy clusters. */
const MANAGED_SELECTOR = 'app.kubernetes.io/managed-by=mcp-runtime';

/** Spec fields status reads that the operator does not apply (or may not: an HPA owns replicas). */
const KEPT_SPEC: Readonly<Record<string, readonly string[]>> = { Deployment: ['replicas'], Service: ['clusterIP'] };

function parseAddress(address: string): { host?: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '');
  return { ...(host === '' ? {} : { host }), port: Number(address.slice(at + 1)) };
}

/** True when the API server serves `type` (Traefik's Middleware CRD may not be installed). */
async function served(client: KubeClient, type: ResourceType): Promise<boolean> {
  try {
    const list = await client.request<{ resources?: { name: string }[] }>('GET', `/apis/${type.apiVersion}`);
    return (list.resources ?? []).some((r) => r.name === type.plural);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export async function createOperator(options: OperatorOptions): Promise<Manager> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ name: 'mcp-runtime-operator' });
  const metrics = parseAddress(config.metricsAddress);
  const health = parseAddress(config.healthAddress);
  const manager = new Manager({
    kubeConfig: options.kubeConfig,
    metricsPort: metrics.port,
    healthPort: health.port,
    ...(metrics.host === undefined ? {} : { bindAddress: metrics.host }),
    leaderElection: config.leaderElect
      ? { namespace: config.leaseNamespace, name: config.leaseName, ...(config.identity === undefined ? {} : { identity: config.identity }) }
      : false,
    handleSignals: options.handleSignals ?? true,
    gracefulShutdownTimeoutMs: options.shutdownTimeoutMs ?? 30_000,
    logger,
  });

  const namespaces = config.namespaces.length > 0 ? config.namespaces : 'all';
  const routes = new RouteClaims(config.settings);
  const servers = manager.informer<MCPServerObject>(MCPServers, {
    namespaces,
    indexers: { [ROUTE_INDEX]: routes.index },
  });

  const childTypes: ResourceType[] = [NetworkPolicies, Deployments, Services, Ingresses];
  if (await served(manager.client, TraefikMiddlewares)) childTypes.push(TraefikMiddlewares);
  else logger.warn('traefik.io/v1alpha1 Middleware is not served: path rewrites are skipped (install Traefik with `mcp-runtime setup`, then restart the operator)');
  // Watched whenever served, gateway or not: routes left from a time with the gateway are pruned.
  if (await served(manager.client, TraefikIngressRoutes)) childTypes.push(TraefikIngressRoutes);
  else if (config.settings.gateway !== undefined) logger.warn('traefik.io/v1alpha1 IngressRoute is not served: servers cannot be routed through the gateway (install Traefik with `mcp-runtime setup`)');

  // cert-manager may be installed before or after the operator starts, or never: its
  // Certificates are a child kind once served (see optional-kind.ts), and no other server waits on it.
  const certificatesServed = await served(manager.client, CertManagerCertificates);
  if (certificatesServed) childTypes.push(CertManagerCertificates);

  // Children are cached as the fields the operator applied (what the drift check compares)
  // plus metadata and status, not with the API server's defaults: about half the bytes.
  const childProjection = (type: ResourceType) => ownedFieldsProjection<KubernetesObject>({ fieldManager: FIELD_MANAGER, keepSpec: KEPT_SPEC[type.kind] ?? [] });
  const childInformer = (type: ResourceType) => {
    const projection = { name: `owned-by:${FIELD_MANAGER}`, transform: childProjection(type) };
    return manager.informer<KubernetesObject>(type, { namespaces, labelSelector: MANAGED_SELECTOR, projection });
  };
  const children = new Map<string, ChildKind>();
  for (const type of childTypes) children.set(type.kind, { type, informer: childInformer(type), project: childProjection(type) });
  const certificates = new OptionalChildKind({
    type: CertManagerCertificates,
    children,
    served: () => served(manager.client, CertManagerCertificates),
    watch: () => {
      const informer = childInformer(CertManagerCertificates);
      // What `owns` does for the other kinds: an event on a Certificate enqueues its server.
      const enqueueOwner = (obj: KubernetesObject) => {
        const key = controllerOwnerKey(obj, MCPServers);
        if (key !== undefined) controller.queue.add(key);
      };
      informer.addHandlers({ add: enqueueOwner, update: (_old, obj) => enqueueOwner(obj), delete: enqueueOwner });
      return informer;
    },
    onReady: () => {
      for (const key of servers.store.keys()) controller.queue.add(key);
    },
    missing: 'cert-manager is not installed: the Certificate CRD (certificates.cert-manager.io) is missing',
    logger,
  });
  const recorder = manager.eventRecorder(REPORTING_CONTROLLER);
  const ownWrites = new OwnWrites();
  const verification = config.verify ? new VerificationResults() : undefined;
  const controller = manager.addController<MCPServerObject>({
    name: CONTROLLER_NAME,
    for: servers,
    // Status writes bump no generation: they must not trigger another reconcile.
    forPredicate: (event) => event.type !== 'update' || generationChanged(event) || event.obj.metadata?.deletionTimestamp !== event.old?.metadata?.deletionTimestamp,
    owns: [...children.values()].map((c) => ({
      informer: c.informer,
      // The echo of the reconcile's own apply: it already computed the status from the answer.
      predicate: (event: SourceEvent<KubernetesObject>) => event.type === 'delete' || !ownWrites.isEcho(event.obj, c.type.kind),
      ...(c.type.kind === Deployments.kind ? { urgent: readinessFlipped } : c.type.kind === Ingresses.kind ? { urgent: addressPublished } : {}),
    })),
    watches: [
      {
        // When a server's route changes or it goes away, servers waiting for that route retry.
        informer: servers as never,
        predicate: (event) => event.type !== 'update' || generationChanged(event),
        map: (obj: KubernetesObject) => {
          const claim = routes.claim(obj as MCPServerObject);
          if (claim === undefined) return [];
          return servers.store
            .byIndex(ROUTE_INDEX, routeKey(claim))
            .map((other) => `${other.metadata?.namespace}/${other.metadata?.name}`)
            .filter((key) => key !== claim.key);
        },
      },
    ],
    reconcile: mcpServerReconciler({ client: manager.client, servers, routes, children, certificates, config, recorder, ownWrites, renders: renderCounter(manager.metrics.registry), ...(verification === undefined ? {} : { verification }) }),
    concurrency: config.concurrency,
    resyncPeriodMs: config.resyncSeconds * 1000,
  });

  if (verification !== undefined) {
    // Pods are cached only when verifying (an operator of 1,000 simulated servers need not).
    const pods = manager.informer<V1Pod>(Pods, { namespaces, labelSelector: MANAGED_SELECTOR, indexers: { [SERVER_PODS_INDEX]: serverOfPod } });
    const serving = (pod: V1Pod | undefined) => (pod === undefined ? '' : servingPods([pod]).map((p) => `${p.metadata?.uid}/${p.status?.podIP}`).join());
    manager.addController<MCPServerObject>({
      name: VERIFIER_NAME,
      for: servers,
      // A spec change may move the port or path; status writes are not a reason to verify.
      forPredicate: (event) => event.type !== 'update' || generationChanged(event),
      watches: [
        {
          informer: pods as never,
          // Only a pod starting or stopping to serve matters, not every status heartbeat.
          predicate: (event) => event.type !== 'update' || serving(event.obj as V1Pod) !== serving(event.old as V1Pod | undefined),
          map: (pod: KubernetesObject) => serverOfPod(pod as V1Pod),
        },
      ],
      reconcile: mcpServerVerifier({
        servers,
        pods,
        config,
        results: verification,
        recorder,
        counter: verificationCounter(manager.metrics.registry),
        onPublished: (key) => controller.queue.add(key),
      }),
      concurrency: config.verifyConcurrency,
      // Each server schedules its next round itself (requeueAfter with jitter).
      resyncPeriodMs: 0,
    });
  }
  return manager;
}
