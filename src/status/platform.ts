/**
 * `status` and `cluster status`: is the cluster reachable (and which version), is the
 * MCPServer CRD installed, are the registry, operator and Traefik Deployments available, and
 * how many servers are in each phase. Every probe degrades to "unknown" on a 403 instead of
 * failing the whole report.
 */
import { CRD_NAME, DEFAULT_SERVER_NAMESPACE, PHASES } from '../api/v1alpha1/index.js';
import { ApiError } from '../kube/errors.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { summarizeDeployment, listDeployments, type DeploymentSummary } from './deployments.js';
import { listServers } from '../servers/servers.js';
import { explainUnavailable } from './pod-problems.js';

export const COMPONENTS = [
  { name: 'operator', namespace: 'mcp-runtime' },
  { name: 'registry', namespace: 'registry' },
  { name: 'traefik', namespace: 'traefik' },
  { name: 'gateway', namespace: 'mcp-gateway' },
] as const;

/** Components a platform may leave out (`setup --ingress none`, `--no-gateway`): missing is not a fault. */
const OPTIONAL: readonly ComponentName[] = ['traefik', 'gateway'];

export type ComponentName = (typeof COMPONENTS)[number]['name'];

export interface ComponentStatus {
  name: ComponentName;
  namespace: string;
  /** ready: every Deployment available; missing: none found; unknown: not allowed to look. */
  state: 'ready' | 'not-ready' | 'missing' | 'unknown' | 'external';
  deployments: DeploymentSummary[];
  detail?: string;
}

export interface CrdStatus {
  state: 'installed' | 'missing' | 'not-established' | 'unknown';
  versions?: string[];
}

export interface ClusterInfo {
  server: string;
  context: string;
  version?: string;
  nodes?: { total: number; ready: number };
  namespaces?: Record<string, boolean>;
}

export interface PlatformStatus {
  cluster: ClusterInfo;
  crd: CrdStatus;
  components: ComponentStatus[];
  ingressClasses?: string[];
  externalRegistry?: string;
  servers?: { total: number; byPhase: Record<string, number> };
  /**
   * True when registry, operator and CRD are ready, and the gateway too when installed (server
   * routes go through it). Traefik is optional (--ingress none).
   */
  healthy: boolean;
}

async function orUnknown<T>(call: () => Promise<T>): Promise<T | 'forbidden'> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError && (error.code === 403 || error.code === 401)) return 'forbidden';
    throw error;
  }
}

interface CrdObject extends KubeObject {
  spec?: { versions?: { name: string; served?: boolean }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

export async function crdStatus(rest: KubeRest): Promise<CrdStatus> {
  const crd = await orUnknown(() => rest.find<CrdObject>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD_NAME}`));
  if (crd === 'forbidden') {
    // Discovery is open to every authenticated user: served means installed.
    const served = await rest.mapper.served('mcp.agent-hellboy.io/v1alpha1');
    return !served ? { state: 'missing' } : { state: 'installed', versions: ['v1alpha1'] };
  }
  if (crd === undefined) return { state: 'missing' };
  const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;
  return { state: established ? 'installed' : 'not-established', versions: (crd.spec?.versions ?? []).map((v) => v.name) };
}

/** Secret mcp-runtime/mcp-runtime-registry written by `registry provision` (url only; never the password). */
export async function externalRegistryUrl(rest: KubeRest): Promise<string | undefined> {
  const secret = await orUnknown(() => rest.find<KubeObject & { data?: Record<string, string> }>('/api/v1/namespaces/mcp-runtime/secrets/mcp-runtime-registry'));
  if (secret === 'forbidden' || secret === undefined) return undefined;
  const url = secret.data?.url;
  return url === undefined ? undefined : Buffer.from(url, 'base64').toString('utf8');
}

export async function componentStatus(rest: KubeRest, name: ComponentName, namespace: string): Promise<ComponentStatus> {
  const deployments = await orUnknown(() => listDeployments(rest, namespace));
  if (deployments === 'forbidden') return { name, namespace, state: 'unknown', deployments: [], detail: `you may not list deployments in ${namespace}` };
  if (deployments.length === 0) return { name, namespace, state: 'missing', deployments: [] };
  const readiness: DeploymentSummary[] = [];
  for (const d of deployments) {
    const summary = summarizeDeployment(d);
    await explainUnavailable(rest, d, summary);
    readiness.push(summary);
  }
  readiness.sort((a, b) => a.name.localeCompare(b.name));
  return { name, namespace, state: readiness.every((d) => d.available) ? 'ready' : 'not-ready', deployments: readiness };
}

export async function clusterInfo(rest: KubeRest, namespaces: readonly string[] = []): Promise<ClusterInfo> {
  const version = await rest.version(); // KubeUnreachableError when the cluster does not answer
  const info: ClusterInfo = { server: rest.server, context: rest.context, ...(version.gitVersion !== undefined ? { version: version.gitVersion } : {}) };
  const nodes = await orUnknown(() => rest.list<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>('/api/v1/nodes'));
  if (nodes !== 'forbidden') {
    info.nodes = {
      total: nodes.length,
      ready: nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length,
    };
  }
  if (namespaces.length > 0) {
    const found: Record<string, boolean> = {};
    for (const ns of namespaces) {
      const obj = await orUnknown(() => rest.find(`/api/v1/namespaces/${ns}`));
      if (obj !== 'forbidden') found[ns] = obj !== undefined;
    }
    info.namespaces = found;
  }
  return info;
}

export async function platformStatus(rest: KubeRest): Promise<PlatformStatus> {
  const cluster = await clusterInfo(rest);
  const crd = await crdStatus(rest);
  const externalRegistry = await externalRegistryUrl(rest);
  const components: ComponentStatus[] = [];
  for (const c of COMPONENTS) {
    const status = await componentStatus(rest, c.name, c.namespace);
    if (c.name === 'registry' && externalRegistry !== undefined && status.state === 'missing') {
      components.push({ ...status, state: 'external', detail: `external registry ${externalRegistry} (registry provision)` });
    } else {
      components.push(status);
    }
  }
  const classes = await orUnknown(() => rest.list('/apis/networking.k8s.io/v1/ingressclasses'));
  let servers: PlatformStatus['servers'];
  if (crd.state === 'installed') {
    const list = await orUnknown(() => listServers(rest, { namespace: DEFAULT_SERVER_NAMESPACE, allNamespaces: true }));
    if (list !== 'forbidden') {
      const byPhase: Record<string, number> = {};
      for (const s of list) {
        const phase = s.status?.phase ?? 'Unknown';
        byPhase[phase] = (byPhase[phase] ?? 0) + 1;
      }
      servers = { total: list.length, byPhase };
    }
  }
  return {
    cluster,
    crd,
    components,
    ...(classes !== 'forbidden' ? { ingressClasses: classes.map((c) => c.metadata?.name ?? '?').sort() } : {}),
    ...(externalRegistry !== undefined ? { externalRegistry } : {}),
    ...(servers !== undefined ? { servers } : {}),
    healthy: platformHealthy(crd, components),
  };
}

/**
 * The CRD installed, operator and registry ready, and the gateway ready when installed (every
 * route goes through it); Traefik is left out (--ingress none, another controller). Pure.
 */
export function platformHealthy(crd: CrdStatus, components: readonly ComponentStatus[]): boolean {
  const state = (name: ComponentName) => components.find((c) => c.name === name)?.state;
  const ok = (name: ComponentName) => state(name) === 'ready' || state(name) === 'external';
  const absent = (name: ComponentName) => OPTIONAL.includes(name) && state(name) === 'missing';
  return crd.state === 'installed' && ok('operator') && ok('registry') && (ok('gateway') || absent('gateway'));
}

const MARK = { ok: 'OK ', bad: 'NO ', unknown: '?? ' };

const MISSING_HINT: Record<ComponentName, string> = {
  operator: ': run `mcp-runtime setup`',
  registry: ': run `mcp-runtime setup`',
  traefik: ' (fine with `setup --ingress none` and another controller)',
  gateway: ' (fine with `setup --no-gateway`: routes go straight to the pods)',
};

export function renderCluster(c: ClusterInfo): string[] {
  const lines = [`${MARK.ok} Cluster ${c.server} (context ${c.context})${c.version !== undefined ? `, Kubernetes ${c.version}` : ''}`];
  if (c.nodes !== undefined) lines.push(`${c.nodes.ready === c.nodes.total && c.nodes.total > 0 ? MARK.ok : MARK.bad} Nodes: ${c.nodes.ready}/${c.nodes.total} Ready`);
  for (const [ns, exists] of Object.entries(c.namespaces ?? {})) lines.push(`${exists ? MARK.ok : MARK.bad} Namespace ${ns}${exists ? '' : ': missing'}`);
  return lines;
}

export function renderCrd(crd: CrdStatus): string {
  switch (crd.state) {
    case 'installed':
      return `${MARK.ok} MCPServer CRD installed (${(crd.versions ?? []).join(', ')})`;
    case 'not-established':
      return `${MARK.bad} MCPServer CRD present but not Established yet`;
    case 'missing':
      return `${MARK.bad} MCPServer CRD missing: run \`mcp-runtime setup\` (or \`mcp-runtime cluster init\`)`;
    default:
      return `${MARK.unknown} MCPServer CRD: cannot tell`;
  }
}

export function renderComponent(c: ComponentStatus): string[] {
  const label = c.name.charAt(0).toUpperCase() + c.name.slice(1);
  switch (c.state) {
    case 'external':
      return [`${MARK.ok} ${label}: ${c.detail ?? 'external'}`];
    case 'missing':
      return [`${MARK.bad} ${label}: no Deployment in namespace ${c.namespace}${MISSING_HINT[c.name]}`];
    case 'unknown':
      return [`${MARK.unknown} ${label}: ${c.detail ?? 'unknown'}`];
    default:
      return c.deployments.map(
        (d) =>
          `${d.available ? MARK.ok : MARK.bad} ${label}: Deployment ${d.namespace}/${d.name} ${d.ready}/${d.desired} ready` +
          `${d.available ? '' : ` - ${d.reason ?? 'not available'}`}`,
      );
  }
}

/** The `status` report as lines (pure). */
export function renderPlatformStatus(s: PlatformStatus): string[] {
  const lines = [...renderCluster(s.cluster), renderCrd(s.crd)];
  for (const c of s.components) lines.push(...renderComponent(c));
  if (s.ingressClasses !== undefined) lines.push(`    IngressClasses: ${s.ingressClasses.length > 0 ? s.ingressClasses.join(', ') : 'none'}`);
  if (s.servers !== undefined) {
    const phases = [...PHASES, 'Unknown']
      .filter((p) => (s.servers?.byPhase[p] ?? 0) > 0)
      .map((p) => `${s.servers?.byPhase[p]} ${p}`)
      .join(', ');
    lines.push(`    Servers: ${s.servers.total}${phases !== '' ? ` (${phases})` : ''}`);
  }
  lines.push(s.healthy ? 'Platform ready.' : 'Platform not ready.');
  return lines;
}
