/**
 * `server delete <name>`: deletes the MCPServer; its Deployment, Service and Ingress are owned
 * by it, so the garbage collector removes them. With `wait`, returns only once the server and
 * all its children (pods included) are gone.
 */
import { MCPSERVER_RESOURCE } from '../api/v1alpha1/group.js';
import { deleteObject } from '../runtime/apply.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { pollUntil } from '../kube/wait.js';
import { getServer, serversPath } from './servers.js';

export interface DeleteServerOptions {
  wait?: boolean;
  timeoutMs?: number;
  dryRun?: boolean;
  onProgress?: (remaining: string[]) => void;
}

export interface DeleteServerResult {
  deleted: boolean;
  /** Children that were still present when the delete was sent. */
  children: string[];
  waitedMs?: number;
}

function childPaths(namespace: string, name: string): [string, string][] {
  const ns = encodeURIComponent(namespace);
  const n = encodeURIComponent(name);
  return [
    ['Deployment', `/apis/apps/v1/namespaces/${ns}/deployments/${n}`],
    ['Service', `/api/v1/namespaces/${ns}/services/${n}`],
    ['Ingress', `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${n}`],
  ];
}

/** What still exists of the server: the MCPServer itself, owned children and its pods. */
async function remaining(rest: KubeRest, namespace: string, name: string, uid: string | undefined): Promise<string[]> {
  const left: string[] = [];
  if ((await rest.find(serversPath(namespace, name))) !== undefined) left.push(`MCPServer ${name}`);
  for (const [kind, path] of childPaths(namespace, name)) {
    const obj = await rest.find<KubeObject>(path);
    if (obj !== undefined && (obj.metadata?.ownerReferences ?? []).some((r) => r.uid === uid)) left.push(`${kind} ${name}`);
  }
  const pods = await rest.list(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, { labelSelector: `app=${name}` });
  for (const pod of pods) left.push(`Pod ${pod.metadata?.name ?? '?'}`);
  return left;
}

export async function deleteServer(rest: KubeRest, namespace: string, name: string, options: DeleteServerOptions = {}): Promise<DeleteServerResult> {
  const server = await getServer(rest, namespace, name); // NotFoundError with advice when missing
  const uid = server.metadata.uid;
  const children = (await remaining(rest, namespace, name, uid)).filter((c) => !c.startsWith('MCPServer '));
  const deleted = await deleteObject(rest.client, MCPSERVER_RESOURCE, { namespace, name }, { propagationPolicy: 'Background', dryRun: options.dryRun });
  if (options.wait !== true || options.dryRun === true) return { deleted, children };
  const started = Date.now();
  let left: string[] = [];
  await pollUntil(
    async () => {
      left = await remaining(rest, namespace, name, uid);
      return left.length === 0 ? true : undefined;
    },
    () => `still present: ${left.join(', ')}`,
    { timeoutMs: options.timeoutMs ?? 120_000, intervalMs: 1000, onPending: () => options.onProgress?.(left) },
  );
  return { deleted, children, waitedMs: Date.now() - started };
}
