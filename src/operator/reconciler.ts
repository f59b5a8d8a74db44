/**
 * The MCPServer reconciler. Level-triggered and idempotent: read the server and its children
 * from the caches, render the desired children with the same function `synth` uses, apply only
 * what differs, prune what is no longer wanted, and write the status only when it changed.
 * It knows nothing of watches or leadership.
 */
import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import { API_VERSION, KIND, findCondition, type MCPServer } from '../api/v1alpha1/index.js';
import { Counter, type Registry } from 'prom-client';
import { renderServerWithResolution, resolveServer, InvalidImageReferenceError, type RenderedObject, type ResolvedServer } from '../../charts-ts/server/index.js';
import { parseRenderWarning, renderWarning } from '../../charts-ts/server/compatibility.js';
import {
  applyObject,
  deleteObject,
  isNotFound,
  objectKey,
  resourcePath,
  Secrets,
  patchStatus,
  OWNER_UID_INDEX,
  type EventRecorder,
  type Informer,
  type KubeClient,
  type ReconcileRequest,
  type ReconcileResult,
  type ResourceType,
  TerminalError,
} from '../runtime/index.js';
import type { OperatorConfig } from './config.js';
import { routeOwner } from './conflicts.js';
import { jsonEqual } from '../kube/equal.js';
import { differences, driftOf, recordedDigest, withAppliedDigest } from './drift.js';
import { FieldsNotKept } from './fields-not-kept.js';
import { OPTIONAL_KIND_RECHECK_MS, type OptionalChildKind } from './optional-kind.js';
import { asMCPServer, routeKey, ROUTE_INDEX, type RouteClaims } from './routes.js';
import type { OwnWrites } from './own-writes.js';
import { contentDigest, SettledChildren, type RenderContext } from './settled-children.js';
import { computeStatus, type LiveDeployment, type LiveIngress, type LiveService } from './status.js';
import { FIELD_MANAGER, MCPServers, type MCPServerObject } from './types.js';
import { fromStatus, type VerificationResults } from './verify/results.js';

/** A kind of child and the informer that caches it (undefined: the kind is not served here). */
export interface ChildKind {
  readonly type: ResourceType;
  readonly informer: Informer<KubernetesObject>;
  /** What the informer keeps of an object (its transform), to know an applied object as it will be cached. */
  readonly project?: (obj: KubernetesObject) => KubernetesObject;
}

export interface ReconcilerDeps {
  readonly client: KubeClient;
  readonly servers: Informer<MCPServerObject>;
  /** The servers' route claims; the same object indexes `servers` by ROUTE_INDEX. */
  readonly routes: RouteClaims;
  /** Cached owned children by kind (`Deployment`, `Service`, `Ingress`, `Middleware`, ...); an optional kind joins once served. */
  readonly children: ReadonlyMap<string, ChildKind>;
  /**
   * cert-manager's Certificates, which servers with spec.tls.issuer need (an IngressRoute's
   * Certificate, or an Ingress's ingress-shim annotation). Undefined: never checked (unit tests).
   */
  readonly certificates?: Pick<OptionalChildKind, 'problem'>;
  readonly config: OperatorConfig;
  readonly recorder: EventRecorder;
  /** The verifier's findings; undefined when the operator does not verify servers. */
  readonly verification?: VerificationResults;
  /** Where applies are recorded so their watch echoes enqueue nothing (see own-writes.ts). */
  readonly ownWrites?: OwnWrites;
  readonly now?: () => Date;
  /** Counts renders (a reconcile that found nothing new to compare renders nothing; see settled-children.ts). */
  readonly renders?: Pick<Counter, 'inc'>;
}

export function renderCounter(registry: Registry): Counter {
  return new Counter({
    name: 'mcp_runtime_server_renders_total',
    help: "MCPServer renders by the reconciler (reconciles that found nothing new to compare render nothing).",
    registers: [registry],
  });
}

/** What a reconcile learned about a server's children, rendered and applied or remembered. */
interface ChildrenOutcome {
  readonly resolved: ResolvedServer;
  readonly certManagerProblem: string | undefined;
  /** The live child of each kind (the last in render order when a kind repeats). */
  readonly live: ReadonlyMap<string, KubernetesObject>;
  readonly created: string[];
  readonly updated: string[];
  readonly notKept: readonly string[];
  readonly applyError: string | undefined;
  /** `kind/namespace/name` of every child the server should have (the others are pruned). */
  readonly wanted: ReadonlySet<string>;
  readonly retryNotKeptAt: number | undefined;
}

/**
 * The children's outcome without rendering, when nothing the render reads changed since every
 * child last matched it (see SettledChildren); undefined: render and compare.
 */
async function settledOutcome(
  settled: SettledChildren,
  server: MCPServer,
  key: string,
  context: (certManagerProblem: string | undefined) => RenderContext,
  cachedChild: (kind: string, key: string) => KubernetesObject | undefined,
  deps: ReconcilerDeps,
): Promise<ChildrenOutcome | undefined> {
  let resolved: ResolvedServer;
  try {
    resolved = resolveServer(server, deps.config.settings);
  } catch {
    return undefined; // the full path reports it
  }
  const certManagerProblem = resolved.tls?.issuer === undefined ? undefined : await deps.certificates?.problem();
  const children = settled.settled(key, context(certManagerProblem), cachedChild);
  if (children === undefined) return undefined;
  const live = new Map<string, KubernetesObject>();
  for (const child of children) live.set(child.kind, cachedChild(child.kind, child.key)!);
  return {
    resolved,
    certManagerProblem,
    live,
    created: [],
    updated: [],
    notKept: [],
    applyError: undefined,
    wanted: new Set(children.map((c) => `${c.kind}/${c.key}`)),
    retryNotKeptAt: undefined,
  };
}

function ownerReference(server: MCPServerObject): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    name: server.metadata?.name ?? '',
    uid: server.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

const describe = (obj: { kind: string; metadata: { name?: string } }) => `${obj.kind} ${obj.metadata.name ?? ''}`;

function controllerUid(obj: KubernetesObject): string | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true)?.uid;
}

async function getObject(client: KubeClient, type: ResourceType, namespace: string | undefined, name: string, signal: AbortSignal): Promise<KubernetesObject | undefined> {
  try {
    return await client.request<KubernetesObject>('GET', resourcePath(type, { namespace, name }), { signal });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function mcpServerReconciler(deps: ReconcilerDeps): (request: ReconcileRequest) => Promise<ReconcileResult | void> {
  const now = deps.now ?? (() => new Date());
  const { settings, ingressReadiness } = deps.config;
  const notKeptFields = new FieldsNotKept();
  const settledChildren = new SettledChildren();

  return async ({ namespace, name, logger, signal }) => {
    const key = objectKey({ namespace, name });
    const obj = deps.servers.store.get(key);
    // Deleted: the garbage collector removes the children through their ownerReferences.
    if (obj === undefined || obj.metadata?.deletionTimestamp !== undefined) {
      notKeptFields.clearPrefix(`${key}/`);
      settledChildren.forget(key);
      return;
    }
    const generation = obj.metadata?.generation ?? 0;
    const server = asMCPServer(obj);

    const writeStatus = async (status: ReturnType<typeof computeStatus>) => {
      // Key order differs between what we compute and what the API server returns.
      if (jsonEqual(status, obj.status)) return;
      // A merge patch keeps keys it does not mention: fields no longer reported are sent as null.
      const dropped = Object.keys(obj.status ?? {}).filter((k) => !(k in status));
      const body = { ...status, ...Object.fromEntries(dropped.map((k) => [k, null])) };
      await patchStatus(deps.client, MCPServers, { namespace, name }, body, { fieldManager: FIELD_MANAGER, signal });
    };

    if (server === undefined) {
      // The CRD schema makes this unreachable unless the CRD is older than the operator.
      const message = 'spec does not match the MCPServer schema; reinstall the CRD with `mcp-runtime setup`.';
      settledChildren.forget(key);
      await writeStatus({ ...(obj.status ?? {}), phase: 'Error', message, observedGeneration: generation });
      throw new TerminalError(message);
    }

    const nowMs = now().getTime();
    // Route conflicts: the earliest server keeps host + path; later ones get no Ingress.
    const claim = deps.routes.claim(obj);
    const owner = claim === undefined ? undefined : routeOwner(claim, deps.servers.store.byIndex(ROUTE_INDEX, routeKey(claim)).flatMap((o) => deps.routes.claim(o) ?? []));
    const context = (certManagerProblem: string | undefined): RenderContext => ({
      uid: obj.metadata?.uid ?? '',
      generation,
      routeOwner: owner?.key,
      servedKinds: [...deps.children.keys()].join(','),
      certManagerProblem,
    });
    const cachedChild = (kind: string, childKey: string) => deps.children.get(kind)?.informer.store.get(childKey);

    // Render, compare each child with its cache and apply what differs.
    const renderAndApply = async (): Promise<ChildrenOutcome> => {
      deps.renders?.inc();
      let rendered;
      try {
        rendered = renderServerWithResolution(server, settings);
      } catch (error) {
        if (!(error instanceof InvalidImageReferenceError)) throw error;
        void deps.recorder.record(obj, 'Warning', 'InvalidImage', 'Render', error.message);
        await writeStatus({
          ...computeStatus({ name, namespace: namespace ?? '', generation, desiredReplicas: server.spec.replicas, url: '', image: server.spec.image, ingressReadiness, applyError: error.message, previous: obj.status, now }),
        });
        // A spec change brings it back (a new generation is a new event); retrying cannot help.
        throw new TerminalError(error.message, { cause: error });
      }
      const { resolved } = rendered;
      // A server asking cert-manager for its certificate on a cluster without it: said on its
      // status (Configured) instead of an apply error, and looked at again until cert-manager comes.
      const certManagerProblem = resolved.tls?.issuer === undefined ? undefined : await deps.certificates?.problem();
      const routed = (o: RenderedObject) => owner === undefined || (o.kind !== 'Ingress' && o.kind !== 'Middleware' && o.kind !== 'IngressRoute');
      const ownerRef = ownerReference(obj);
      const wantedObjects = rendered.objects.filter(routed);
      // The pull Secret is shared by every server of a namespace: no controller ownerReference,
      // and no cache (RBAC grants it by name only), so it is read and compared on each reconcile.
      const sharedSecrets = wantedObjects.filter((o) => o.kind === 'Secret');
      const desired = wantedObjects
        .filter((o) => deps.children.has(o.kind))
        .map((o) => withAppliedDigest({ ...o, metadata: { ...o.metadata, ownerReferences: [ownerRef] } }));
      const skipped = wantedObjects.filter((o) => o.kind !== 'Secret' && !deps.children.has(o.kind));
      for (const o of skipped.filter((k) => k.kind !== 'Certificate' || certManagerProblem === undefined)) {
        void deps.recorder.record(obj, 'Warning', 'KindNotServed', 'Apply', `${o.kind} is not served by this cluster (is Traefik's CRD installed? run \`mcp-runtime setup\`); ${describe(o)} was not created`);
      }

      const live = new Map<string, KubernetesObject>();
      const created: string[] = [];
      const updated: string[] = [];
      const notKept: string[] = [];
      let retryNotKeptAt: number | undefined;
      let applyError: string | undefined;
      // The children do not depend on each other, so they are applied concurrently: a reconcile
      // then takes one round trip instead of one per child. Results are folded in render order so
      // messages and the reported error are the same whatever order the answers arrive in.
      const outcomes = await Promise.all(
        desired.map(async (object) => {
          const cached = deps.children.get(object.kind)?.informer.store.get(objectKey({ namespace: object.metadata.namespace, name: object.metadata.name }));
          if (cached !== undefined && controllerUid(cached) !== undefined && controllerUid(cached) !== obj.metadata?.uid) {
            return { object, error: `${describe(object)} already exists and is controlled by another owner; delete it or rename the server` };
          }
          const childKey = `${key}/${object.kind}/${object.metadata.name}`;
          const digest = recordedDigest(object);
          const known = notKeptFields.current(childKey, digest);
          const waiting = known !== undefined && nowMs < known.retryAt ? known : undefined;
          // Just applied and known not to be kept: wait for the backoff, even if the cache has not
          // seen the object yet (every child event until then would otherwise apply it again).
          if (cached === undefined && waiting !== undefined) return { object, notKept: waiting };
          const drift = cached === undefined ? undefined : driftOf(object, cached, new Set(waiting?.paths));
          if (cached !== undefined && drift === undefined) return { object, live: cached, notKept: waiting };
          try {
            const stored = await applyObject(deps.client, object as KubernetesObject, FIELD_MANAGER, { force: true, signal });
            deps.ownWrites?.record(stored, cached?.metadata?.resourceVersion);
            const change = cached === undefined ? ('created' as const) : ('updated' as const);
            // The answer to an apply is what the API server keeps. If it already lacks a field we
            // sent, re-applying cannot help: say so, and wait instead of looping.
            const lost = differences(object, stored);
            if (lost.length === 0 || digest === undefined) {
              notKeptFields.clear(childKey);
              return { object, live: stored, change, drift };
            }
            return { object, live: stored, change, drift, notKept: notKeptFields.record(childKey, digest, lost, nowMs) };
          } catch (error) {
            logger.warn({ err: error, object: describe(object) }, 'apply failed');
            return { object, error: `${describe(object)}: ${errorText(error)}` };
          }
        }),
      );
      for (const outcome of outcomes) {
        if (outcome.live !== undefined) live.set(outcome.object.kind, outcome.live);
        if (outcome.error !== undefined) applyError ??= outcome.error;
        if (outcome.change !== undefined) {
          (outcome.change === 'created' ? created : updated).push(describe(outcome.object) + (outcome.drift === undefined ? '' : ` (${outcome.drift})`));
        }
        if (outcome.notKept !== undefined) {
          notKept.push(`${describe(outcome.object)}: ${outcome.notKept.paths.join(', ')}`);
          retryNotKeptAt = Math.min(retryNotKeptAt ?? Infinity, outcome.notKept.retryAt);
        }
      }

      for (const secret of sharedSecrets) {
        try {
          const current = await getObject(deps.client, Secrets, secret.metadata.namespace, secret.metadata.name, signal);
          if (current !== undefined && driftOf(secret, current) === undefined) continue;
          await applyObject(deps.client, secret as KubernetesObject, FIELD_MANAGER, { force: true, signal });
          (current === undefined ? created : updated).push(describe(secret));
        } catch (error) {
          applyError ??= `${describe(secret)}: ${errorText(error)}`;
        }
      }

      const wanted = new Set(desired.map((o) => `${o.kind}/${objectKey(o.metadata)}`));
      // Remembered only when every child now matches its render: anything else is looked at in full again.
      const reported = skipped.filter((k) => k.kind !== 'Certificate' || certManagerProblem === undefined);
      const matched = outcomes.flatMap((o) => {
        const version = o.live?.metadata?.resourceVersion;
        if (o.live === undefined || version === undefined) return [];
        // An apply's answer is known by the digest of what the cache will hold, so the status
        // changes that follow it (a new Deployment becoming Available) need no render either.
        const metadataKeys = { annotations: Object.keys(o.object.metadata.annotations ?? {}), labels: Object.keys(o.object.metadata.labels ?? {}) };
        const project = o.change === undefined ? undefined : deps.children.get(o.object.kind)?.project;
        const digest = project === undefined ? undefined : contentDigest(project(o.live), metadataKeys);
        return [{ kind: o.object.kind, key: objectKey(o.object.metadata), metadataKeys, resourceVersion: version, ...(digest === undefined ? {} : { digest }) }];
      });
      if (applyError === undefined && notKept.length === 0 && reported.length === 0 && sharedSecrets.length === 0 && matched.length === desired.length) {
        settledChildren.remember(key, context(certManagerProblem), matched);
      } else {
        settledChildren.forget(key);
      }
      return { resolved, certManagerProblem, live, created, updated, notKept, applyError, wanted, retryNotKeptAt };
    };

    // Nothing the render reads has changed and every child is as last compared: no render.
    const quick = await settledOutcome(settledChildren, server, key, context, cachedChild, deps);
    const { resolved, certManagerProblem, live, created, updated, notKept, applyError, wanted, retryNotKeptAt } = quick ?? (await renderAndApply());
    const warnings =
      certManagerProblem === undefined
        ? resolved.warnings
        : [...resolved.warnings, renderWarning('CertManagerNotInstalled', `${certManagerProblem}: spec.tls.issuer gets no certificate, and clients get the platform's default one until cert-manager is installed`)];
    if (owner !== undefined) void deps.recorder.record(obj, 'Warning', 'RouteConflict', 'Route', `host and path ${resolved.url} are already served by ${owner.key}`);

    // Prune children this server owns that are no longer wanted (e.g. an Ingress after a conflict).
    for (const [kind, child] of deps.children) {
      for (const existing of child.informer.store.byIndex(OWNER_UID_INDEX, obj.metadata?.uid ?? '')) {
        if (controllerUid(existing) !== obj.metadata?.uid || wanted.has(`${kind}/${objectKey({ namespace: existing.metadata?.namespace, name: existing.metadata?.name ?? '' })}`)) continue;
        await deleteObject(deps.client, child.type, { namespace: existing.metadata?.namespace, name: existing.metadata?.name ?? '' }, { uid: existing.metadata?.uid, signal });
        updated.push(`deleted ${kind} ${existing.metadata?.name}`);
      }
    }

    if (created.length > 0) void deps.recorder.record(obj, 'Normal', 'Created', 'Apply', `Created ${created.join(', ')}`);
    if (updated.length > 0) void deps.recorder.record(obj, 'Normal', 'Updated', 'Apply', `Updated ${updated.join(', ')}`);
    if (applyError !== undefined) void deps.recorder.record(obj, 'Warning', 'ApplyFailed', 'Apply', applyError);

    const status = computeStatus({
      name,
      namespace: namespace ?? '',
      generation,
      desiredReplicas: resolved.replicas,
      url: resolved.url,
      image: resolved.image,
      deployment: live.get('Deployment') as LiveDeployment | undefined,
      service: live.get('Service') as LiveService | undefined,
      ingress: owner === undefined ? (live.get('Ingress') as LiveIngress | undefined) : undefined,
      ...(resolved.route.kind === 'gateway'
        ? { gatewayRoute: { exists: owner === undefined && live.get('IngressRoute') !== undefined, gateway: `${resolved.route.gateway.namespace}/${resolved.route.gateway.name}` } }
        : {}),
      sessions: { stateless: resolved.stateless, replicas: resolved.replicas, throughGateway: resolved.route.kind === 'gateway' },
      ingressReadiness,
      conflictWith: owner?.key,
      applyError,
      fieldsNotKept: notKept.length === 0 ? undefined : notKept.join('; '),
      warnings,
      probe: { type: resolved.probe.type, path: resolved.probe.path, port: resolved.port },
      // Until the verifier's first finding (e.g. after a restart), the stored one stands.
      ...(deps.verification === undefined ? {} : { verification: deps.verification.get(key) ?? fromStatus(obj.status) }),
      previous: obj.status,
      now,
    });
    // Render warnings are reported when they change (the Configured condition carries them in
    // between), so a warned server does not write an Event on every resync.
    const configured = (st: typeof obj.status) => findCondition(st, 'Configured');
    if (configured(status)?.message !== configured(obj.status)?.message) {
      for (const warning of warnings) {
        const { reason, message } = parseRenderWarning(warning);
        void deps.recorder.record(obj, 'Warning', reason, 'Render', message);
      }
    }
    const sessionSafe = findCondition(status, 'SessionSafe');
    if (sessionSafe?.status === 'False' && findCondition(obj.status, 'SessionSafe')?.status !== 'False') {
      void deps.recorder.record(obj, 'Warning', sessionSafe.reason, 'Route', sessionSafe.message);
    }
    if (status.phase === 'Ready' && obj.status?.phase !== 'Ready') {
      void deps.recorder.record(obj, 'Normal', 'Ready', 'Reconcile', `Serving at ${resolved.url}`);
    }
    await writeStatus(status);
    // Apply errors are errors: the controller counts them and retries with backoff.
    if (applyError !== undefined) throw new Error(applyError);
    // Fields the API server does not keep: look again when the backoff ends, not before.
    // cert-manager missing: look again after discovery may have changed its answer.
    const retryAt = Math.min(retryNotKeptAt ?? Infinity, certManagerProblem === undefined ? Infinity : nowMs + OPTIONAL_KIND_RECHECK_MS);
    if (retryAt !== Infinity) return { requeueAfter: Math.max(retryAt - nowMs, 1_000) };
  };
}
