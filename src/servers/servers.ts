/** Reading MCPServer objects: list, get, one-line summaries for tables. */
import { API_VERSION, DEFAULT_SERVER_NAMESPACE, GROUP, PLURAL, VERSION, type MCPServerSpec, type MCPServerStatus } from '../api/v1alpha1/index.js';
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
    age: formatAge(server.metadata.creationTimestamp, now),
  };
}

export const SERVER_COLUMNS = ['NAME', 'NAMESPACE', 'PHASE', 'READY', 'URL', 'IMAGE', 'AGE'] as const;

export function rowCells(row: ServerRow): string[] {
  return [row.name, row.namespace, row.phase, row.ready, row.url, row.image, row.age];
}

/** The object as a user would write it back: no managedFields noise. */
export function presentable(server: ServerObject): ServerObject {
  const copy = structuredClone(server);
  delete copy.metadata.managedFields;
  return { ...copy, apiVersion: copy.apiVersion ?? API_VERSION };
}
