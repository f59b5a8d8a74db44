/**
 * The floor: the same server-side applies the operator makes for N servers (the exact objects
 * renderServer produces, ownerReferences included) sent by a tight client loop with the
 * operator's concurrency and identity (its ServiceAccount), into a fresh namespace, in the
 * operator's shape: `concurrency` servers at a time, a server's objects applied together. Nothing
 * else: no MCPServer, no reads, no status, no events. convergeSeconds / floorSeconds says how
 * close the operator comes to what the API server can take.
 *
 * Two clients:
 * - `keepalive` (the floor): one keep-alive HTTPS agent, bodies serialized up front;
 * - `kubeclient`: the project's KubeClient + applyObject, i.e. the operator's own write path
 *   (it builds a new agent, hence a new TLS connection, per request). The difference between
 *   the two is what the client costs.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { defaultOperatorSettings, renderServer, type RenderedObject } from '../charts-ts/server/index.js';
import { asMCPServer } from '../src/operator/routes.js';
import { FIELD_MANAGER } from '../src/operator/types.js';
import {
  APPLY_PATCH,
  applyObject,
  ConfigMaps,
  Deployments,
  Informer,
  Ingresses,
  NetworkPolicies,
  KubeClient,
  resourcePath,
  Services,
  TraefikMiddlewares,
  type ResourceType,
} from '../src/runtime/index.js';
import { apiDelta, apiSnapshot, type ApiDelta } from './api-metrics.js';
import { keepAliveClient } from './http.js';
import { runPool, seconds } from './pool.js';
import { mcpServerManifest, serverNames } from './servers.js';

export type FloorClient = 'keepalive' | 'kubeclient';

export interface FloorResult {
  client: FloorClient;
  namespace: string;
  applies: number;
  floorSeconds: number;
  /** Until the floor's Deployments were all available (the control plane catching up), or null if not awaited. */
  settledSeconds: number | null;
  delta: ApiDelta;
}

/** Every kind renderServer makes for a bench server (a kind missing here would make the floor cheaper than the operator's work). */
export const FLOOR_TYPES: Record<string, ResourceType> = { NetworkPolicy: NetworkPolicies, Deployment: Deployments, Service: Services, Ingress: Ingresses, Middleware: TraefikMiddlewares };

interface PreparedApply {
  path: string;
  body: string;
  object: RenderedObject;
}

/** renderServer's objects for the N bench servers, owned by `owner` (what the operator would apply). */
export function floorObjects(namespace: string, n: number, owner: { apiVersion: string; kind: string; name: string; uid: string }): PreparedApply[][] {
  const settings = defaultOperatorSettings(process.env);
  return serverNames(n).map((name) => {
    const server = asMCPServer(mcpServerManifest(namespace, name) as never);
    if (server === undefined) throw new Error(`bench server ${name} does not match the MCPServer schema`);
    return renderServer(server, settings)
      .filter((o) => FLOOR_TYPES[o.kind] !== undefined)
      .map((o) => {
        const object = { ...o, metadata: { ...o.metadata, ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }] } };
        const type = FLOOR_TYPES[o.kind] as ResourceType;
        const query = `?fieldManager=${encodeURIComponent(FIELD_MANAGER)}&force=true`;
        return { path: resourcePath(type, { namespace, name: o.metadata.name }) + query, body: JSON.stringify(object), object };
      });
  });
}

/**
 * A tight apply loop over one keep-alive connection pool with the kubeconfig's credentials,
 * with a socket for every request that can be in flight (the operator's agent has no limit).
 */
async function keepAliveApplier(kc: KubeConfig, maxInFlight: number): Promise<{ apply: (p: PreparedApply) => Promise<void>; close: () => void }> {
  const client = await keepAliveClient(kc, maxInFlight);
  return {
    apply: async (p) => {
      await client.request('PATCH', p.path, p.body, APPLY_PATCH);
    },
    close: () => client.close(),
  };
}

export interface FloorOptions {
  admin: KubeConfig;
  /** The operator's ServiceAccount: same identity, same RBAC and flow-control path. */
  operatorKc: KubeConfig;
  namespace: string;
  n: number;
  concurrency: number;
  client: FloorClient;
  /** Wait until the floor's Deployments are available before returning (so the next phase starts on a quiet cluster). */
  settleTimeoutMs?: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

export async function runFloor(o: FloorOptions): Promise<FloorResult> {
  const adminClient = new KubeClient(o.admin);
  // A placeholder owner in the same namespace: ownerReferences cost the same as the operator's,
  // and the garbage collector sees a live owner (an owner in another namespace would be "absent").
  const owner = await adminClient.request<{ metadata: { uid: string; name: string } }>('POST', resourcePath(ConfigMaps, { namespace: o.namespace }), {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'floor-owner', namespace: o.namespace } },
  });
  const prepared = floorObjects(o.namespace, o.n, { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid });
  const applies = prepared.reduce((sum, objs) => sum + objs.length, 0);

  let apply: (p: PreparedApply) => Promise<void>;
  let close = (): void => {};
  if (o.client === 'keepalive') {
    const objectsPerServer = Math.max(...prepared.map((objs) => objs.length));
    ({ apply, close } = await keepAliveApplier(o.operatorKc, o.concurrency * objectsPerServer));
  } else {
    const client = new KubeClient(o.operatorKc);
    apply = async (p) => {
      await applyObject(client, p.object as never, FIELD_MANAGER, { force: true });
    };
  }

  const before = await apiSnapshot(o.admin);
  const t0 = performance.now();
  try {
    // `concurrency` servers at a time, each server's objects together: the operator's shape
    // (its reconciler applies a server's children concurrently).
    await runPool(prepared, o.concurrency, async (objs) => {
      await Promise.all(objs.map((p) => apply(p)));
    }, o.signal);
  } finally {
    close();
  }
  const floorMs = performance.now() - t0;
  const after = await apiSnapshot(o.admin);
  o.log(`  floor (${o.client}): ${applies} applies in ${seconds(floorMs)} s`);

  let settledSeconds: number | null = null;
  if (o.settleTimeoutMs !== undefined) {
    settledSeconds = await waitDeploymentsAvailable(adminClient, o.namespace, o.n, o.settleTimeoutMs, o.signal)
      .then((at) => seconds(at - t0))
      .catch((error: unknown) => {
        o.log(`  floor (${o.client}): control plane did not settle: ${(error as Error).message.split('\n')[0]}`);
        return null;
      });
    if (settledSeconds !== null) o.log(`  floor (${o.client}): Deployments available after ${settledSeconds} s`);
  }
  return { client: o.client, namespace: o.namespace, applies, floorSeconds: seconds(floorMs), settledSeconds, delta: apiDelta(before, after) };
}

async function waitDeploymentsAvailable(client: KubeClient, namespace: string, n: number, timeoutMs: number, signal: AbortSignal): Promise<number> {
  const informer = new Informer<{ metadata?: { name?: string; namespace?: string }; status?: { availableReplicas?: number } }>({ client, type: Deployments, namespaces: namespace, name: 'bench-floor-deployments' });
  informer.start();
  try {
    await informer.waitForSync(signal);
    return await new Promise<number>((resolve, reject) => {
      const available = new Set<string>();
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${available.size}/${n} Deployments available after ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const check = (d: { metadata?: { name?: string }; status?: { availableReplicas?: number } }): void => {
        if ((d.status?.availableReplicas ?? 0) >= 1) available.add(d.metadata?.name ?? '');
        if (available.size >= n) {
          clearTimeout(timer);
          queueMicrotask(() => off());
          resolve(performance.now());
        }
      };
      let off: () => void = () => {};
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        off();
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      }, { once: true });
      off = informer.addHandlers({ add: check, update: (_old, d) => check(d) });
    });
  } finally {
    await informer.stop();
  }
}
