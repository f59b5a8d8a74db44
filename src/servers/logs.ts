/**
 * `server logs <name>`: the logs of every pod of a server (label `app=<name>`), through
 * client-node's Log helper, one line at a time, prefixed with the pod name when there are
 * several pods.
 */
import { PassThrough } from 'node:stream';
import { CliError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
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
      throw new CliError(
        `pod ${pod.metadata?.name ?? '?'} has no container "${requested}" (containers: ${names.join(', ') || 'none'})`,
        ExitCode.USAGE,
      );
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

function logError(pod: string, container: string, error: unknown): CliError {
  const e = error as { code?: unknown; body?: { message?: string } | string; message?: string };
  const body = typeof e.body === 'string' ? e.body : e.body?.message;
  const detail = body ?? e.message ?? String(error);
  const code = typeof e.code === 'number' ? e.code : undefined;
  if (code === 403) {
    return new CliError(`forbidden: you may not read logs of pod ${pod} (RBAC verb "get" on "pods/log"): ${detail}`, ExitCode.FORBIDDEN);
  }
  const kubelet = /10250|kubelet|containerLogs|dial tcp/.test(detail);
  return new CliError(
    `cannot read the logs of pod ${pod}, container ${container}: ${detail}` +
      (kubelet
        ? '\nThe API server could not reach the kubelet of the pod\'s node. On the local sandbox (`cluster provision --provider local`) nodes are simulated by KWOK and no container really runs, so there are no logs.'
        : ''),
    ExitCode.FAILURE,
  );
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
  const pods = (await rest.list<Pod>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, { labelSelector: `app=${name}` }))
    .filter((p) => p.status?.phase !== 'Pending' || options.previous === true)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  if (pods.length === 0) {
    throw new CliError(
      `MCPServer ${namespace}/${name} has no running pods (phase ${server.status?.phase ?? 'unknown'}); ` +
        `see \`mcp-runtime server status ${name} -n ${namespace}\``,
      ExitCode.FAILURE,
    );
  }
  const { Log } = await import('@kubernetes/client-node');
  const log = new Log(rest.kc);
  const prefixed = pods.length > 1;
  const controllers: AbortController[] = [];
  const streams: PassThrough[] = [];
  const onAbort = () => {
    controllers.forEach((c) => c.abort());
    streams.forEach((s) => s.destroy());
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const done = pods.map(async (pod) => {
      const podName = pod.metadata?.name ?? '?';
      const container = pickContainer(pod, name, options.container);
      const stream = lineWriter(prefixed ? `[${podName}] ` : '', write);
      streams.push(stream);
      const ended = new Promise<void>((resolve) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
      });
      try {
        controllers.push(
          await log.log(namespace, podName, container, stream, {
            follow: options.follow === true,
            ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
            ...(options.sinceSeconds !== undefined ? { sinceSeconds: options.sinceSeconds } : {}),
            previous: options.previous === true,
            timestamps: options.timestamps === true,
          }),
        );
      } catch (error) {
        stream.destroy();
        throw logError(podName, container, error);
      }
      await ended;
    });
    await Promise.all(done);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    onAbort();
  }
  return pods.map((p) => p.metadata?.name ?? '?');
}
