/**
 * Which pods serve which MCPServer, from the API server: an MCPServer informer (is the server
 * known, is it stateless) and an EndpointSlice informer for the servers' Services (the pod IPs,
 * ports, UIDs and readiness the EndpointSlice controller publishes). Not DNS: a ClusterIP hides
 * which pod answers, and sessions must reach the pod that holds them.
 *
 * Cached objects are projected to the few fields routing needs, so 1,000 servers cost little.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { MCPSERVER_RESOURCE } from '../api/v1alpha1/group.js';
import type { AuthSpec, ToolPolicy } from '../api/v1alpha1/index.js';
import { isOpenPolicy } from './tool-policy.js';
import { EndpointSlices, Informer, type InformerNamespaces, type KubeClient, type Logger } from '../runtime/index.js';

/** One pod of a server, as its EndpointSlice lists it. */
export interface Upstream {
  readonly ip: string;
  readonly port: number;
  /** Pod UID: what a sealed session id names (a new pod with the same name is another pod). */
  readonly pod: string;
  readonly podName: string;
  /** Ready and not terminating: may take new sessions. */
  readonly ready: boolean;
  /** Still answers (possibly terminating): may finish the sessions it holds. */
  readonly serving: boolean;
}

export interface DirectoryServer {
  readonly namespace: string;
  readonly name: string;
  readonly stateless: boolean;
  /** spec.tools, when it restricts anything. */
  readonly tools?: ToolPolicy;
  /** spec.auth: the server takes OAuth bearer tokens. */
  readonly auth?: AuthSpec;
  /** The public path (spec.ingressPath, default /<name>/mcp). */
  readonly ingressPath: string;
  /** spec.ingressHost, when set. */
  readonly ingressHost?: string;
}

interface SliceEndpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  targetRef?: { kind?: string; name?: string; uid?: string };
}
interface Slice extends KubernetesObject {
  addressType?: string;
  endpoints?: SliceEndpoint[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}
interface ServerObject extends KubernetesObject {
  spec?: { stateless?: boolean; tools?: ToolPolicy; auth?: AuthSpec; ingressPath?: string; ingressHost?: string; gateway?: { enabled?: boolean } };
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const SERVICE_INDEX = 'service';
/** Only server Services (their EndpointSlices inherit the Service's labels). */
const SERVER_SLICES = 'app.kubernetes.io/component=mcp-server,app.kubernetes.io/managed-by=mcp-runtime';

const projectSlice = (s: Slice): Slice => ({
  metadata: { name: s.metadata?.name, namespace: s.metadata?.namespace, resourceVersion: s.metadata?.resourceVersion, labels: { [SERVICE_NAME_LABEL]: s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? '' } },
  addressType: s.addressType,
  endpoints: (s.endpoints ?? []).map((e) => ({ addresses: e.addresses, conditions: e.conditions, targetRef: { kind: e.targetRef?.kind, name: e.targetRef?.name, uid: e.targetRef?.uid } })),
  ports: (s.ports ?? []).map((p) => ({ port: p.port })),
});

const projectServer = (s: ServerObject): ServerObject => ({
  metadata: { name: s.metadata?.name, namespace: s.metadata?.namespace, resourceVersion: s.metadata?.resourceVersion },
  spec: {
    stateless: s.spec?.stateless === true,
    ...(isOpenPolicy(s.spec?.tools) ? {} : { tools: s.spec!.tools }),
    ...(s.spec?.auth === undefined ? {} : { auth: s.spec.auth }),
    ...(nonEmpty(s.spec?.ingressPath) === undefined ? {} : { ingressPath: s.spec!.ingressPath }),
    ...(nonEmpty(s.spec?.ingressHost) === undefined ? {} : { ingressHost: s.spec!.ingressHost }),
    ...(s.spec?.gateway?.enabled === false ? { gateway: { enabled: false } } : {}),
  },
});

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

export interface ServerDirectoryOptions {
  readonly client: KubeClient;
  readonly namespaces?: InformerNamespaces;
  readonly logger?: Logger;
}

export class ServerDirectory {
  private readonly servers: Informer<ServerObject>;
  private readonly slices: Informer<Slice>;
  private readonly cursor = new Map<string, number>();

  constructor(options: ServerDirectoryOptions) {
    const common = { client: options.client, namespaces: options.namespaces ?? 'all', ...(options.logger === undefined ? {} : { logger: options.logger }) };
    this.servers = new Informer<ServerObject>({ ...common, type: MCPSERVER_RESOURCE, name: 'gateway-mcpservers', transform: projectServer });
    this.slices = new Informer<Slice>({
      ...common,
      type: EndpointSlices,
      name: 'gateway-endpointslices',
      labelSelector: SERVER_SLICES,
      transform: projectSlice,
      indexers: { [SERVICE_INDEX]: (s) => [`${s.metadata?.namespace ?? ''}/${s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? ''}`] },
    });
  }

  start(): void {
    this.servers.start();
    this.slices.start();
  }

  /** True once both caches hold a complete first list (false if `signal` aborts first). */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const [a, b] = await Promise.all([this.servers.waitForSync(signal), this.slices.waitForSync(signal)]);
    return a && b;
  }

  async stop(): Promise<void> {
    await Promise.all([this.servers.stop(), this.slices.stop()]);
  }

  /** The server behind `namespace/name`, if it exists. */
  server(key: string): DirectoryServer | undefined {
    const obj = this.servers.store.get(key);
    if (obj === undefined) return undefined;
    return {
      namespace: obj.metadata?.namespace ?? '',
      name: obj.metadata?.name ?? '',
      stateless: obj.spec?.stateless === true,
      ...(obj.spec?.tools === undefined ? {} : { tools: obj.spec.tools }),
      ...(obj.spec?.auth === undefined ? {} : { auth: obj.spec.auth }),
      ingressPath: obj.spec?.ingressPath ?? `/${obj.metadata?.name ?? ''}/mcp`,
      ...(obj.spec?.ingressHost === undefined ? {} : { ingressHost: obj.spec.ingressHost }),
    };
  }

  /**
   * Every server with spec.auth whose route comes through the gateway (not opted out), keyed:
   * who may answer at the bare well-known path. A scan, for a path clients rarely ask.
   */
  protectedServers(): (DirectoryServer & { readonly key: string; readonly auth: AuthSpec })[] {
    const out: (DirectoryServer & { readonly key: string; readonly auth: AuthSpec })[] = [];
    for (const key of this.servers.store.keys()) {
      const obj = this.servers.store.get(key);
      const server = this.server(key);
      if (obj?.spec?.gateway?.enabled === false || server?.auth === undefined) continue;
      out.push({ ...server, key, auth: server.auth });
    }
    return out;
  }

  /** Every pod the server's Service lists (a Service is named like its server). */
  upstreams(key: string): Upstream[] {
    const out: Upstream[] = [];
    for (const slice of this.slices.store.byIndex(SERVICE_INDEX, key)) {
      const port = slice.ports?.[0]?.port;
      if (port === undefined || (slice.addressType !== undefined && slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6')) continue;
      for (const e of slice.endpoints ?? []) {
        const ip = e.addresses?.[0];
        const uid = e.targetRef?.uid;
        if (ip === undefined || uid === undefined || e.targetRef?.kind !== 'Pod') continue;
        const ready = e.conditions?.ready !== false && e.conditions?.terminating !== true;
        out.push({ ip, port, pod: uid, podName: e.targetRef.name ?? '', ready, serving: e.conditions?.serving ?? ready });
      }
    }
    // Slices are unordered; a stable order makes round-robin fair.
    return out.sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  }

  /** The next ready pod (round-robin), skipping `exclude` (pods that just refused a connection). */
  pick(key: string, exclude: ReadonlySet<string> = new Set()): Upstream | undefined {
    const ready = this.upstreams(key).filter((u) => u.ready && !exclude.has(u.pod));
    if (ready.length === 0) return undefined;
    const next = (this.cursor.get(key) ?? 0) % ready.length;
    this.cursor.set(key, next + 1);
    return ready[next];
  }

  /** The pod with this UID while it still serves (a terminating pod finishes its sessions). */
  byPod(key: string, uid: string): Upstream | undefined {
    return this.upstreams(key).find((u) => u.pod === uid && u.serving);
  }

  /** Servers and pods cached (for the gateway's own metrics and logs). */
  counts(): { servers: number; slices: number } {
    return { servers: this.servers.store.size, slices: this.slices.store.size };
  }
}
