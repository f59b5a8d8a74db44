/** Reading MCPServer objects: list, get, one-line summaries for tables. */
import { API_VERSION, DEFAULT_SERVER_NAMESPACE, GROUP, PLURAL, VERSION, findCondition, type MCPServerSpec, type MCPServerStatus } from '../api/v1alpha1/index.js';
import { ApiError, NotFoundError, NotSetUpError } from '../kube/errors.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { formatAge } from './age.js';

export { DEFAULT_SERVER_NAMESPACE };

export interface ServerObject extends KubeObject {
  metadata: NonNullable<KubeObject['metadata']> & { name: string; namespace: string };
  spec?: Partial<MCPServerSpec>;
  status?: MCPServerStatus;
}

export function serversPath(namespace?: string, name?: string): string {
  let path = `/apis/${GROUP}/${VERSION}`;
  if (namespace !== undefined) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${PLURAL}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  return path;
}

export interface Scope {
  namespace: string;
  allNamespaces: boolean;
}

export async function listServers(rest: KubeRest, scope: Scope): Promise<ServerObject[]> {
  const items = await rest.list<ServerObject>(serversPath(scope.allNamespaces ? undefined : scope.namespace));
  return items.sort(
    (a, b) => a.metadata.namespace.localeCompare(b.metadata.namespace) || a.metadata.name.localeCompare(b.metadata.name),
  );
}

/**
 * One server. A 404 means one of two things: the object does not exist (a Status naming it:
 * NotFoundError, exit 6) or the MCPServer API is not served at all (a bare "404 page not
 * found": NotSetUpError, exit 4, "run `mcp-runtime setup`").
 */
export async function getServer(rest: KubeRest, namespace: string, name: string): Promise<ServerObject> {
  try {
    return await rest.get<ServerObject>(serversPath(namespace, name));
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 404) throw error;
    if (error.status?.details?.name === undefined) throw new NotSetUpError(rest.server);
    throw new NotFoundError(
      `MCPServer "${name}" not found in namespace "${namespace}" (see \`mcp-runtime server list -A\` for every namespace)`,
    );
  }
}

export interface ServerRow {
  name: string;
  namespace: string;
  phase: string;
  ready: string;
  url: string;
  image: string;
  /** The Verified condition's status (True/False/Unknown), `-` when the operator does not verify. */
  verified: string;
  /** Tools the server lists (status.mcp.toolCount), `-` before a verification listed them. */
  tools: string;
  age: string;
}

/** READY is ready/desired pods, like kubectl's Deployments; `-` before the operator reported. */
export function serverRow(server: ServerObject, now = Date.now()): ServerRow {
  const status = server.status;
  const desired = status?.replicas ?? server.spec?.replicas;
  const ready =
    status?.readyReplicas !== undefined || status?.replicas !== undefined
      ? `${status?.readyReplicas ?? 0}/${desired ?? 0}`
      : '-';
  return {
    name: server.metadata.name,
    namespace: server.metadata.namespace,
    phase: status?.phase ?? 'Unknown',
    ready,
    url: status?.url ?? '-',
    image: status?.image ?? server.spec?.image ?? '-',
    verified: findCondition(server.status, 'Verified')?.status ?? '-',
    tools: status?.mcp === undefined ? '-' : String(status.mcp.toolCount),
    age: formatAge(server.metadata.creationTimestamp, now),
  };
}

export const SERVER_COLUMNS = ['NAME', 'NAMESPACE', 'PHASE', 'READY', 'VERIFIED', 'TOOLS', 'URL', 'IMAGE', 'AGE'] as const;

export function rowCells(row: ServerRow): string[] {
  return [row.name, row.namespace, row.phase, row.ready, row.verified, row.tools, row.url, row.image, row.age];
}

/** What `server get` prints under its row: the verification verdict and the server's tools. */
export function verificationLines(server: ServerObject): string[] {
  const condition = findCondition(server.status, 'Verified');
  if (condition === undefined) return ['Verified: - (the operator has not verified this server; it runs with --no-verify, or has not reached it yet)'];
  const lines = [`Verified: ${condition.status} (${condition.reason}) ${condition.message}`];
  const mcp = server.status?.mcp;
  if (mcp === undefined) return lines;
  lines.push(
    `MCP: ${mcp.serverInfo.name} ${mcp.serverInfo.version}, protocol ${mcp.protocolVersion}, capabilities ${mcp.capabilities.join(', ') || '-'}; ${mcp.podsVerified}/${mcp.podsReady} ready pods verified, result since ${mcp.observedTime}`,
  );
  lines.push(`Tools (${mcp.toolCount}${mcp.tools.length < mcp.toolCount ? `, first ${mcp.tools.length} shown` : ''}): ${mcp.tools.map((t) => t.name).join(', ') || '-'}`);
  return lines;
}

export interface ServerTools {
  name: string;
  namespace: string;
  verified: string;
  reason: string;
  toolCount: number;
  /** As status keeps them: at most 50, descriptions clipped. */
  tools: { name: string; title?: string; description?: string }[];
}

/** The tool inventory of a server as status reports it (`server tools`). */
export function serverTools(server: ServerObject): ServerTools {
  const condition = findCondition(server.status, 'Verified');
  return {
    name: server.metadata.name,
    namespace: server.metadata.namespace,
    verified: condition?.status ?? 'Unknown',
    reason: condition?.reason ?? 'NotVerified',
    toolCount: server.status?.mcp?.toolCount ?? 0,
    tools: (server.status?.mcp?.tools ?? []).map((t) => ({ ...t })),
  };
}

/** The object as a user would write it back: no managedFields noise. */
export function presentable(server: ServerObject): ServerObject {
  const copy = structuredClone(server);
  delete copy.metadata.managedFields;
  return { ...copy, apiVersion: copy.apiVersion ?? API_VERSION };
}
