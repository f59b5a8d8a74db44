/**
 * The floor: the work the job needs, from a tight client loop with the operator's concurrency and
 * identity (its ServiceAccount), into a fresh namespace: for each of N servers the same
 * server-side applies the operator makes (the exact objects renderServer produces, owned by the
 * server's MCPServer) and one status write (the status the operator computes for a server whose
 * children were just created). In the operator's shape: `concurrency` servers at a time, a
 * server's objects applied together, then its status. The MCPServers themselves are created
 * before the clock starts (the operator does not create them either). Nothing else: no reads, no
 * events. convergeSeconds / floorSeconds says how close the operator comes to what the API
 * server can take. The benchmark's own watches (the ClusterTracker that times converge) watch the
 * floor's namespace during the floor too: on 2 cores their CPU (the benchmark parsing every
 * child event) is taken from the API server in both windows, not only in converge.
 *
 * Two clients:
 * - `keepalive` (the floor): one keep-alive HTTPS agent, bodies serialized up front;
 * - `kubeclient`: the project's KubeClient + applyObject, i.e. the operator's own write path
 *   (its own keep-alive agent, request building and JSON handling). The difference between the
 *   two is what the client costs.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { defaultOperatorSettings, renderServer, type RenderedObject } from '../charts-ts/server/index.js';
import { asMCPServer } from '../src/operator/routes.js';
import { computeStatus } from '../src/operator/status.js';
import { FIELD_MANAGER, MCPServers } from '../src/operator/types.js';
import {
  APPLY_PATCH,
  applyObject,
  Deployments,
  Informer,
  Ingresses,
  NetworkPolicies,
  KubeClient,
  MERGE_PATCH,
  patchStatus,
  resourcePath,
  Services,
  TraefikMiddlewares,
  type ResourceType,
} from '../src/runtime/index.js';
import { apiDelta, apiSnapshot, type ApiDelta } from './api-metrics.js';
import { keepAliveClient, type KeepAliveClient } from './http.js';
import { cpuSample, cpuSince, type WindowCpu } from './phase-cpu.js';
import { runPool, seconds } from './pool.js';
import { ClusterTracker } from './tracker.js';
import { mcpServerManifest, serverNames, serversPath } from './servers.js';

export type FloorClient = 'keepalive' | 'kubeclient';

export interface FloorResult {
  client: FloorClient;
  namespace: string;
  applies: number;
  /** One per server (absent in files from before the floor wrote status). */
  statusWrites?: number;
  floorSeconds: number;
  /** Until the floor's Deployments were all available (the control plane catching up), or null if not awaited. */
  settledSeconds: number | null;
  delta: ApiDelta;
  /** CPU in the timed window: the benchmark process and each control-plane process (absent in older files). */
  cpu?: WindowCpu;
  /** Whether the benchmark's watches ran during the window (absent in older files: they did not). */
  watched?: boolean;
}

/** Every kind renderServer makes for a bench server (a kind missing here would make the floor cheaper than the operator's work). */
export const FLOOR_TYPES: Record<string, ResourceType> = { NetworkPolicy: NetworkPolicies, Deployment: Deployments, Service: Services, Ingress: Ingresses, Middleware: TraefikMiddlewares };

interface PreparedApply {
  path: string;
  body: string;
  object: RenderedObject;
}

/** What the floor sends for one server: its children's applies, then its status. */
export interface FloorServer {
  name: string;
  applies: PreparedApply[];
  /** mcpservers/<name>/status and the merge-patch body. */
  statusPath: string;
  status: Record<string, unknown>;
}

export interface FloorOwner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

/** renderServer's objects for the N bench servers, each owned by `ownerOf(name)`, and the status the operator would write. */
export function floorServers(namespace: string, n: number, ownerOf: (name: string) => FloorOwner): FloorServer[] {
  const settings = defaultOperatorSettings(process.env);
  const query = `?fieldManager=${encodeURIComponent(FIELD_MANAGER)}&force=true`;
  return serverNames(n).map((name) => {
    const server = asMCPServer(mcpServerManifest(namespace, name) as never);
    if (server === undefined) throw new Error(`bench server ${name} does not match the MCPServer schema`);
    const owner = ownerOf(name);
    const applies = renderServer(server, settings)
      .filter((o) => FLOOR_TYPES[o.kind] !== undefined)
      .map((o) => {
        const object = { ...o, metadata: { ...o.metadata, ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }] } };
        const type = FLOOR_TYPES[o.kind] as ResourceType;
        return { path: resourcePath(type, { namespace, name: o.metadata.name }) + query, body: JSON.stringify(object), object };
      });
    const deployment = applies.find((a) => a.object.kind === 'Deployment')?.object as { spec?: { replicas?: number } } | undefined;
    // What the operator writes first: children just created, no pod ready yet.
    const status = computeStatus({
      name,
      namespace,
      generation: 1,
      desiredReplicas: deployment?.spec?.replicas ?? 1,
      url: `http://${settings.defaultIngressHost ?? 'mcp.local'}/${name}/mcp`,
      image: String(server.spec.image),
      ...(deployment === undefined ? {} : { deployment: { metadata: { generation: 1 }, spec: { replicas: deployment.spec?.replicas ?? 1 }, status: {} } }),
      service: { spec: { clusterIP: '10.96.0.10' } },
      ingress: {},
      ingressReadiness: 'permissive',
      now: () => new Date(),
    });
    return { name, applies, statusPath: resourcePath(MCPServers, { namespace, name, subresource: 'status' }), status: status as unknown as Record<string, unknown> };
  });
}

/**
 * A tight apply loop over one keep-alive connection pool with the kubeconfig's credentials,
 * with a socket for every request that can be in flight (the operator's agent has no limit).
 */
async function keepAliveWriter(kc: KubeConfig, maxInFlight: number): Promise<FloorWriter> {
  const client = await keepAliveClient(kc, maxInFlight);
  return {
    apply: async (p) => {
      await client.request('PATCH', p.path, p.body, APPLY_PATCH);
    },
    writeStatus: async (s) => {
      await client.request('PATCH', `${s.statusPath}?fieldManager=${encodeURIComponent(FIELD_MANAGER)}`, { status: s.status }, MERGE_PATCH);
    },
    close: () => client.close(),
  };
}

interface FloorWriter {
  apply: (p: PreparedApply) => Promise<void>;
  writeStatus: (s: FloorServer) => Promise<void>;
  close: () => void;
}

/** The N MCPServers the floor's children belong to (created before the clock starts); their uids by name. */
async function createOwners(admin: KubeConfig, namespace: string, n: number, signal: AbortSignal): Promise<Map<string, string>> {
  const client: KeepAliveClient = await keepAliveClient(admin, 16);
  const uids = new Map<string, string>();
  try {
    await runPool(serverNames(n), 16, async (name) => {
      const created = await client.request<{ metadata: { uid: string } }>('POST', serversPath(namespace), mcpServerManifest(namespace, name));
      uids.set(name, created.metadata.uid);
    }, signal);
  } finally {
    client.close();
  }
  return uids;
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
  /** Control-plane processes whose CPU in the window is reported. */
  cpuProcesses?: readonly { name: string; pid: number }[];
  signal: AbortSignal;
  log: (line: string) => void;
}

export async function runFloor(o: FloorOptions): Promise<FloorResult> {
  const adminClient = new KubeClient(o.admin);
  // The servers' own MCPServers as owners, in the same namespace, as the operator's children
  // have: ownerReferences cost the same, the garbage collector sees live owners, and the status
  // writes have an object to go to. No operator watches this namespace.
  const uids = await createOwners(o.admin, o.namespace, o.n, o.signal);
  const servers = floorServers(o.namespace, o.n, (name) => ({ apiVersion: MCPServers.apiVersion, kind: MCPServers.kind, name, uid: uids.get(name) ?? '' }));
  const applies = servers.reduce((sum, s) => sum + s.applies.length, 0);

  let writer: FloorWriter;
  if (o.client === 'keepalive') {
    const objectsPerServer = Math.max(...servers.map((s) => s.applies.length));
    writer = await keepAliveWriter(o.operatorKc, o.concurrency * objectsPerServer);
  } else {
    const client = new KubeClient(o.operatorKc);
    writer = {
      apply: async (p) => {
        await applyObject(client, p.object as never, FIELD_MANAGER, { force: true });
      },
      writeStatus: async (s) => {
        await patchStatus(client, MCPServers, { namespace: o.namespace, name: s.name }, s.status, { fieldManager: FIELD_MANAGER });
      },
      close: () => {},
    };
  }

  // The same watches as during converge (see the top of this file).
  const tracker = new ClusterTracker(new KubeClient(o.admin, { timeoutMs: 60_000, userAgent: 'mcp-runtime-bench' }), o.namespace);
  await tracker.start(o.signal);
  const before = await apiSnapshot(o.admin);
  const cpuBefore = cpuSample(o.cpuProcesses ?? []);
  const t0 = performance.now();
  try {
    // `concurrency` servers at a time, each server's objects together: the operator's shape
    // (its reconciler applies a server's children concurrently).
    await runPool(servers, o.concurrency, async (server) => {
      await Promise.all(server.applies.map((p) => writer.apply(p)));
      await writer.writeStatus(server);
    }, o.signal);
  } finally {
    writer.close();
  }
  const floorMs = performance.now() - t0;
  const cpu = cpuSince(cpuBefore, cpuSample(o.cpuProcesses ?? []));
  await tracker.stop();
  const after = await apiSnapshot(o.admin);
  o.log(`  floor (${o.client}): ${applies} applies and ${servers.length} status writes in ${seconds(floorMs)} s`);

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
  return { client: o.client, namespace: o.namespace, applies, statusWrites: servers.length, floorSeconds: seconds(floorMs), settledSeconds, delta: apiDelta(before, after), cpu, watched: true };
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
