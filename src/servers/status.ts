/**
 * `server status <name>`: the MCPServer's phase and conditions explained, its children
 * (Deployment, Service, Ingress, pods) and recent Events, gathered in one place.
 */
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { ApiError } from '../kube/errors.js';
import { deploymentReadiness, type DeploymentLike } from '../runtime/readiness.js';
import { formatAge } from './age.js';
import { getServer, type ServerObject } from './servers.js';

export interface ChildSummary {
  kind: 'Deployment' | 'Service' | 'Ingress';
  name: string;
  /** False when it exists but is not owned by this MCPServer (a name clash). */
  owned: boolean;
  ready: boolean;
  detail: string;
}

export interface PodSummary {
  name: string;
  phase: string;
  ready: string;
  restarts: number;
  reason?: string;
  node?: string;
  age: string;
}

export interface EventSummary {
  type: string;
  reason: string;
  message: string;
  count: number;
  age: string;
}

export interface ServerStatusReport {
  server: ServerObject;
  children: ChildSummary[];
  /** Children that do not exist yet (names). */
  missing: string[];
  pods: PodSummary[];
  events: EventSummary[];
  /** Things the caller could not read (RBAC), so the report is partial. */
  unreadable: string[];
}

interface Deployment extends KubeObject, DeploymentLike {
  metadata?: KubeObject['metadata'];
}
interface Service extends KubeObject {
  spec?: { clusterIP?: string; ports?: { port: number; targetPort?: number | string }[] };
}
interface Ingress extends KubeObject {
  spec?: { ingressClassName?: string; rules?: { host?: string; http?: { paths?: { path?: string }[] } }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}
interface Pod extends KubeObject {
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    reason?: string;
    containerStatuses?: { name: string; ready: boolean; restartCount: number; state?: Record<string, { reason?: string; message?: string }> }[];
  };
}
interface KubeEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
}

function ownedBy(obj: KubeObject, server: ServerObject): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((r) => r.uid === server.metadata.uid);
}

function describeDeployment(d: Deployment): { ready: boolean; detail: string } {
  const r = deploymentReadiness(d);
  let detail = `${r.readyReplicas}/${r.desired} ready, ${r.updatedReplicas} up to date`;
  if (r.reason !== undefined) detail += `; ${r.failure !== undefined ? 'failed: ' : ''}${r.reason}`;
  return { ready: r.ready, detail };
}

function describeService(s: Service): { ready: boolean; detail: string } {
  const ip = s.spec?.clusterIP;
  const ports = (s.spec?.ports ?? []).map((p) => `${p.port}->${p.targetPort ?? p.port}`).join(', ');
  return { ready: ip !== undefined && ip !== '', detail: `ClusterIP ${ip ?? '(none)'}${ports !== '' ? `, ports ${ports}` : ''}` };
}

function describeIngress(i: Ingress): { ready: boolean; detail: string } {
  const rule = i.spec?.rules?.[0];
  const host = rule?.host ?? '*';
  const path = rule?.http?.paths?.[0]?.path ?? '/';
  const lb = (i.status?.loadBalancer?.ingress ?? []).map((e) => e.ip ?? e.hostname).filter(Boolean);
  return {
    ready: lb.length > 0,
    detail:
      `class ${i.spec?.ingressClassName ?? '(default)'}, ${host}${path}` +
      (lb.length > 0 ? `, address ${lb.join(', ')}` : ', no address yet (the ingress controller has not admitted it)'),
  };
}

function summarizePod(p: Pod, now: number): PodSummary {
  const statuses = p.status?.containerStatuses ?? [];
  const waiting = statuses
    .map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason)
    .find((r) => r !== undefined);
  return {
    name: p.metadata?.name ?? '?',
    phase: p.metadata?.deletionTimestamp !== undefined ? 'Terminating' : (p.status?.phase ?? 'Unknown'),
    ready: `${statuses.filter((c) => c.ready).length}/${statuses.length}`,
    restarts: statuses.reduce((sum, c) => sum + c.restartCount, 0),
    ...(waiting !== undefined || p.status?.reason !== undefined ? { reason: waiting ?? p.status?.reason } : {}),
    ...(p.spec?.nodeName !== undefined ? { node: p.spec.nodeName } : {}),
    age: formatAge(p.metadata?.creationTimestamp, now),
  };
}

async function readable<T>(what: string, unreadable: string[], call: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError && error.code === 403) {
      unreadable.push(what);
      return fallback;
    }
    throw error;
  }
}

export async function serverStatus(rest: KubeRest, namespace: string, name: string, now = Date.now()): Promise<ServerStatusReport> {
  const server = await getServer(rest, namespace, name);
  const unreadable: string[] = [];
  const ns = encodeURIComponent(namespace);
  const n = encodeURIComponent(name);
  const children: ChildSummary[] = [];
  const missing: string[] = [];
  const kinds: [ChildSummary['kind'], string, (o: KubeObject) => { ready: boolean; detail: string }][] = [
    ['Deployment', `/apis/apps/v1/namespaces/${ns}/deployments/${n}`, (o) => describeDeployment(o as Deployment)],
    ['Service', `/api/v1/namespaces/${ns}/services/${n}`, (o) => describeService(o as Service)],
    ['Ingress', `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${n}`, (o) => describeIngress(o as Ingress)],
  ];
  for (const [kind, path, describe] of kinds) {
    const obj = await readable(`${kind.toLowerCase()}s`, unreadable, () => rest.find<KubeObject>(path), undefined);
    if (obj === undefined) {
      if (!unreadable.includes(`${kind.toLowerCase()}s`)) missing.push(kind);
      continue;
    }
    children.push({ kind, name, owned: ownedBy(obj, server), ...describe(obj) });
  }
  const pods = await readable(
    'pods',
    unreadable,
    () => rest.list<Pod>(`/api/v1/namespaces/${ns}/pods`, { labelSelector: `app=${name}` }),
    [],
  );
  const events = await readable(
    'events',
    unreadable,
    () => rest.list<KubeEvent>(`/api/v1/namespaces/${ns}/events`, { fieldSelector: `involvedObject.name=${name}` }),
    [],
  );
  const when = (e: KubeEvent) => e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
  return {
    server,
    children,
    missing,
    pods: pods.map((p) => summarizePod(p, now)).sort((a, b) => a.name.localeCompare(b.name)),
    events: events
      .filter((e) => (e as { involvedObject?: { kind?: string } }).involvedObject?.kind === 'MCPServer')
      .sort((a, b) => when(a).localeCompare(when(b)))
      .slice(-10)
      .map((e) => ({
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: e.message ?? '',
        count: e.series?.count ?? e.count ?? 1,
        age: formatAge(when(e) || undefined, now),
      })),
    unreadable,
  };
}

const CONDITION_MEANING: Record<string, string> = {
  Ready: 'the server can take traffic end to end',
  Available: 'enough pods are ready',
  Routed: 'the Ingress routes the public path to the Service',
  Configured: 'the spec is rendered exactly as written',
  Verified: 'every ready pod answers the MCP handshake (see `server tools` for what it lists)',
};

/** Human-readable lines for the report (pure, unit-tested). */
export function renderServerStatus(report: ServerStatusReport): string[] {
  const { server } = report;
  const s = server.status;
  const lines: string[] = [];
  lines.push(`MCPServer ${server.metadata.namespace}/${server.metadata.name}`);
  lines.push(`  Phase:    ${s?.phase ?? 'Unknown (no status yet)'}${s?.message !== undefined ? ` - ${s.message}` : ''}`);
  if (s?.url !== undefined) lines.push(`  URL:      ${s.url}`);
  lines.push(`  Image:    ${s?.image ?? server.spec?.image ?? '-'}`);
  if (s?.replicas !== undefined || s?.readyReplicas !== undefined) lines.push(`  Replicas: ${s?.readyReplicas ?? 0}/${s?.replicas ?? server.spec?.replicas ?? 0} ready`);
  const generation = server.metadata.generation;
  if (s === undefined) {
    lines.push('  The operator has not reported on this server yet. Is it running? Check with `mcp-runtime status`.');
  } else if (generation !== undefined && s.observedGeneration !== undefined && s.observedGeneration < generation) {
    lines.push(`  Status is from generation ${s.observedGeneration}; the spec is at generation ${generation} (the operator has not caught up yet).`);
  }
  const conditions = s?.conditions ?? [];
  if (conditions.length > 0) {
    lines.push('', 'Conditions:');
    for (const c of conditions) {
      const mark = c.status === 'True' ? 'OK ' : c.status === 'False' ? 'NO ' : '?? ';
      const meaning = CONDITION_MEANING[c.type];
      lines.push(`  ${mark} ${c.type}=${c.status} (${c.reason})${meaning !== undefined ? ` - ${meaning}` : ''}`);
      if (c.message !== '') lines.push(`      ${c.message}`);
    }
  }
  lines.push('', 'Children:');
  for (const child of report.children) {
    const mark = child.ready ? 'OK ' : 'NO ';
    lines.push(`  ${mark} ${child.kind} ${child.name}: ${child.detail}${child.owned ? '' : ' (not owned by this MCPServer: a name clash?)'}`);
  }
  for (const kind of report.missing) lines.push(`  --  ${kind} ${server.metadata.name}: not created yet`);
  if (report.pods.length === 0) {
    lines.push('  --  no pods');
  } else {
    for (const p of report.pods) {
      lines.push(
        `  ${p.ready.split('/')[0] === p.ready.split('/')[1] && p.phase === 'Running' ? 'OK ' : 'NO '} Pod ${p.name}: ${p.phase}, ${p.ready} ready, ${p.restarts} restarts` +
          `${p.reason !== undefined ? `, ${p.reason}` : ''}${p.node !== undefined ? `, node ${p.node}` : ''}, age ${p.age}`,
      );
    }
  }
  if (report.events.length > 0) {
    lines.push('', 'Events:');
    for (const e of report.events) lines.push(`  ${e.age.padEnd(6)} ${e.type.padEnd(7)} ${e.reason}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`);
  }
  if (report.unreadable.length > 0) {
    lines.push('', `Not shown (you may not read ${report.unreadable.join(', ')} in namespace ${server.metadata.namespace}).`);
  }
  return lines;
}
