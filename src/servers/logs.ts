/**
 * `server logs <name>`: the logs of every pod of a server (label `app=<name>`), streamed from
 * the API server's `pods/<pod>/log` endpoint (which proxies the node's kubelet), one line at a
 * time, prefixed with the pod name when there are several pods. Not client-node's Log helper:
 * it throws away the API server's Status on errors other than 500, so a 400 or 403 would reach
 * the user as "Error occurred in log request" instead of what went wrong.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { ApiError, OperationError, UsageError } from '../kube/errors.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { getServer } from './servers.js';

export interface ServerLogOptions {
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  previous?: boolean;
  container?: string;
  timestamps?: boolean;
  /** Stops following (Ctrl-C). */
  signal?: AbortSignal;
}

interface Pod extends KubeObject {
  spec?: { containers?: { name: string }[] };
  status?: { phase?: string };
}

/** Which container to read: the flag, else the one named after the server, else the first. */
export function pickContainer(pod: Pod, server: string, requested?: string): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if (requested !== undefined) {
    if (!names.includes(requested)) {
      throw new UsageError(`pod ${pod.metadata?.name ?? '?'} has no container "${requested}" (containers: ${names.join(', ') || 'none'})`);
    }
    return requested;
  }
  return names.includes(server) ? server : (names[0] ?? server);
}

/** Splits a byte stream into lines and hands each one over with a prefix. */
function lineWriter(prefix: string, write: (line: string) => void): PassThrough {
  const stream = new PassThrough();
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      write(prefix + buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (buffer !== '') write(prefix + buffer);
  });
  return stream;
}

/**
 * What a failed log request means. 401/403 and unreachable clusters stay as they are: the
 * CLI's error translation names the user, the verb (get) and the resource (pods/log).
 */
function logError(pod: string, container: string, error: unknown): unknown {
  if (!(error instanceof ApiError) || error.code === 401 || error.code === 403) return error;
  const detail = error.status?.message ?? `HTTP ${error.code}`;
  // KWOK's answers for a container no ClusterLogs/Logs object gives a log file.
  const simulated = /no logs found for container|log target not found for container/.test(detail);
  const kubelet = /10250|kubelet|containerLogs|dial tcp/.test(detail);
  const hint = simulated
    ? '\nThe pod runs on a node simulated by KWOK (e.g. the local sandbox, `cluster provision --provider local`), where no container really runs; ' +
      'KWOK serves logs only for containers that a ClusterLogs or Logs object (kwok.x-k8s.io/v1alpha1) gives a log file.'
    : kubelet
      ? "\nThe API server could not reach the kubelet of the pod's node (is the node up?)."
      : '';
  return new OperationError(`cannot read the logs of pod ${pod}, container ${container}: ${detail}${hint}`);
}

/**
 * Streams the logs; resolves when every stream has ended (immediately after the existing
 * lines without `follow`; on `signal` abort with it). Returns the pods read.
 */
export async function streamServerLogs(
  rest: KubeRest,
  namespace: string,
  name: string,
  options: ServerLogOptions,
  write: (line: string) => void,
): Promise<string[]> {
  const server = await getServer(rest, namespace, name);
  const podsPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  const pods = (await rest.list<Pod>(podsPath, { labelSelector: `app=${name}` }))
    .filter((p) => p.status?.phase !== 'Pending' || options.previous === true)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  if (pods.length === 0) {
    throw new OperationError(
      `MCPServer ${namespace}/${name} has no running pods (phase ${server.status?.phase ?? 'unknown'}); ` +
        `see \`mcp-runtime server status ${name} -n ${namespace}\``,
    );
  }
  const prefixed = pods.length > 1;
  // One abort for every stream: Ctrl-C, or the first failure, ends them all.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (options.signal?.aborted === true) return [];
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      pods.map(async (pod) => {
        const podName = pod.metadata?.name ?? '?';
        const container = pickContainer(pod, name, options.container);
        let res: IncomingMessage;
        try {
          res = await rest.stream(
            `${podsPath}/${encodeURIComponent(podName)}/log`,
            {
              container,
              follow: options.follow === true,
              tailLines: options.tailLines,
              sinceSeconds: options.sinceSeconds,
              previous: options.previous === true,
              timestamps: options.timestamps === true,
            },
            stop.signal,
          );
        } catch (error) {
          if (stop.signal.aborted) return;
          throw logError(podName, container, error);
        }
        await new Promise<void>((resolve, reject) => {
          const lines = lineWriter(prefixed ? `[${podName}] ` : '', write);
          lines.on('end', resolve);
          res.on('close', () => {
            // Complete: `lines` ends once it has written the last line. Ended by us (Ctrl-C,
            // another pod failed): done. Broken off otherwise: say so.
            if (stop.signal.aborted) resolve();
            else if (!res.complete) reject(new OperationError(`the log stream of pod ${podName} broke off before it ended`));
          });
          res.pipe(lines);
        });
      }),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
  return pods.map((p) => p.metadata?.name ?? '?');
}
