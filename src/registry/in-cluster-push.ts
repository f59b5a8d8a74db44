/**
 * `registry push --mode in-cluster`: a helper Pod (push-pod.ts) inside the cluster copies the
 * image into the registry with skopeo. The laptop needs only the Kubernetes API: the image
 * travels as an archive over the attach API, or the pod pulls it from a registry the cluster
 * can reach (`--image docker://...`). The Pod is deleted when the push ends, whether it
 * succeeded, failed, timed out or was interrupted (Ctrl-C aborts `signal`).
 *
 * Permissions needed in namespace `registry`: pods create/get/delete, pods/attach create
 * (archive way), pods/log get (progress; optional).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { KubeConfig, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { CommandNotFoundError, runProcess, type Runner } from '../build/exec.js';
import { ApiError, isNotFound, type KubeClient } from '../runtime/kube-http.js';
import { parseImageReference } from '../images/reference.js';
import { classifyPushFailure, InterruptedError, PushFailedError, RegistryStateError, RegistryUsageError } from './errors.js';
import {
  PUSH_CONTAINER,
  PUSH_NAMESPACE,
  RECEIVE_CONTAINER,
  pushPod,
  pushPodName,
  type PushPodProps,
  type PushPodSource,
} from './push-pod.js';
import { PUSH_TOOLS, detectTool, hasTransport, processProbes, type PushTool, type ToolProbes } from './tools.js';
import { resolveContainersStorageSource } from './direct-push.js';
import { CANNOT_START_REASONS } from '../status/pod-problems.js';

export interface InClusterPushRequest {
  /** Local image, `oci-archive:<file>`, `docker-archive:<file>`, or `docker://<ref>` (pulled by the pod). */
  readonly source: string;
  /** Full destination reference. */
  readonly destination: string;
  readonly destinationTlsVerify: boolean;
  /** For `docker://` sources: verify the source registry's TLS. Default true. */
  readonly sourceTlsVerify?: boolean;
  readonly helperImage?: string;
  readonly namespace?: string;
  /** Tool that exports a local image to an archive; default the first usable of skopeo, podman, docker. */
  readonly tool?: PushTool;
  /** activeDeadlineSeconds of the pod. Default 900. */
  readonly timeoutSeconds?: number;
}

export interface InClusterPushResult {
  readonly destination: string;
  readonly digest?: string;
  readonly podName: string;
  readonly namespace: string;
}

export interface StreamTarget {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export interface InClusterPushDeps {
  readonly client: KubeClient;
  readonly runner?: Runner;
  readonly probes?: ToolProbes;
  readonly log?: (line: string) => void;
  /** Sends the archive to the receive container's stdin. Default: the attach API (websocket). */
  readonly streamArchive?: (target: StreamTarget, archive: LocalArchive, onProgress: (sentBytes: number) => void) => Promise<void>;
  /** Follows a container's log; returns a function that stops following. Default: the log API. Best effort. */
  readonly followLogs?: (target: StreamTarget, onLine: (line: string) => void) => () => void;
  readonly pollIntervalMs?: number;
  /** How long the pod may take to start (scheduling, helper image pull). Default 180 s. */
  readonly startTimeoutMs?: number;
  /** How long to wait for the pod to disappear after the delete. Default 30 s. */
  readonly deleteTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Pod name suffix (tests); default random. */
  readonly podNameSuffix?: string;
}

export interface LocalArchive {
  readonly path: string;
  readonly format: 'oci-archive' | 'docker-archive';
  readonly sha256: string;
  readonly sizeBytes: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

const MIB = 1024 * 1024;
const human = (bytes: number): string => (bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Writes a local image to an archive in `dir` (or uses the archive the user named). */
export async function prepareArchive(
  source: string,
  dir: string,
  options: { runner: Runner; probes: ToolProbes; tool?: PushTool; log: (line: string) => void },
): Promise<LocalArchive> {
  let path: string;
  let format: LocalArchive['format'];
  if (source.startsWith('oci-archive:') || source.startsWith('docker-archive:')) {
    format = source.startsWith('oci-archive:') ? 'oci-archive' : 'docker-archive';
    // transport:path[:reference] — the pod gets the file; a reference inside it is not needed for a single image.
    path = source.slice(format.length + 1).replace(/:[^/:]*$/, (m) => (m.includes('.') || m.includes('/') ? m : ''));
  } else if (hasTransport(source) && !source.startsWith('containers-storage:') && !source.startsWith('docker-daemon:')) {
    throw new RegistryUsageError(`--image ${source}: in-cluster pushes take a local image, an oci-archive:/docker-archive: file, or docker://<ref>.`);
  } else {
    const tool = await detectTool(PUSH_TOOLS, options.probes, options.tool, 'export the image');
    path = join(dir, 'image.tar');
    let command: string;
    let args: string[];
    if (tool === 'skopeo') {
      format = 'oci-archive';
      const from = source.startsWith('docker-daemon:') ? source : await resolveContainersStorageSource(source, options.runner);
      [command, args] = ['skopeo', ['copy', from, `oci-archive:${path}`]];
    } else if (tool === 'podman') {
      format = 'oci-archive';
      [command, args] = ['podman', ['save', '--format', 'oci-archive', '-o', path, source.replace(/^containers-storage:/, '')]];
    } else {
      format = 'docker-archive';
      [command, args] = ['docker', ['save', '-o', path, source.replace(/^docker-daemon:/, '')]];
    }
    options.log(`Exporting ${source} with ${tool}...`);
    let result;
    try {
      result = await options.runner(command, args);
    } catch (error) {
      if (error instanceof CommandNotFoundError) throw new RegistryUsageError(error.message);
      throw error;
    }
    if (result.code !== 0) {
      throw new PushFailedError(`Could not export ${source} with ${tool}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
    }
  }
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new RegistryUsageError(`Image archive ${path} does not exist.`);
  return { path, format, sha256: await sha256File(path), sizeBytes: info.size };
}

/** What the pod is doing, read from its status. Pure. */
export type PushPodState =
  | { readonly step: 'starting'; readonly detail?: string }
  | { readonly step: 'receiving' }
  | { readonly step: 'pushing' }
  | { readonly step: 'succeeded'; readonly digest?: string }
  | { readonly step: 'failed'; readonly message: string; readonly fromPush: boolean };

function terminatedMessage(status: V1ContainerStatus | undefined): string | undefined {
  const t = status?.state?.terminated;
  if (t === undefined) return undefined;
  return (t.message ?? '').trim() || `${t.reason ?? 'exited'} (exit code ${t.exitCode})`;
}

export function interpretPushPod(pod: V1Pod, helperImage: string): PushPodState {
  const status = pod.status ?? {};
  const init = status.initContainerStatuses?.find((c) => c.name === RECEIVE_CONTAINER);
  const push = status.containerStatuses?.find((c) => c.name === PUSH_CONTAINER);
  const hasReceive = (pod.spec?.initContainers ?? []).some((c) => c.name === RECEIVE_CONTAINER);
  for (const c of [init, push]) {
    const waiting = c?.state?.waiting;
    if (waiting?.reason !== undefined && CANNOT_START_REASONS.has(waiting.reason)) {
      const pull = /Image/.test(waiting.reason);
      return {
        step: 'failed',
        fromPush: false,
        message:
          `The helper pod cannot start its container ${c!.name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` +
          (pull ? `\nThe cluster cannot pull the helper image ${helperImage}; pass --helper-image <an image with skopeo that the cluster can pull>.` : ''),
      };
    }
  }
  if (status.phase === 'Succeeded') {
    const message = push?.state?.terminated?.message?.trim();
    return { step: 'succeeded', ...(message !== undefined && /^sha256:[0-9a-f]{64}$/.test(message) ? { digest: message } : {}) };
  }
  if (status.phase === 'Failed') {
    const initFailed = init?.state?.terminated !== undefined && init.state.terminated.exitCode !== 0;
    if (initFailed) return { step: 'failed', fromPush: false, message: `Receiving the image failed: ${terminatedMessage(init)}` };
    const pushMessage = terminatedMessage(push);
    if (pushMessage !== undefined) return { step: 'failed', fromPush: true, message: pushMessage };
    return { step: 'failed', fromPush: false, message: `${status.reason ?? 'Failed'}: ${status.message ?? 'the helper pod failed'}` };
  }
  if (push?.state?.running !== undefined || push?.state?.terminated !== undefined) return { step: 'pushing' };
  if (hasReceive && init?.state?.running !== undefined) return { step: 'receiving' };
  if (hasReceive && init?.state?.terminated?.exitCode === 0) return { step: 'pushing' };
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return { step: 'starting', detail: `not scheduled: ${scheduled.reason ?? ''} ${scheduled.message ?? ''}`.trim() };
  const waiting = (hasReceive ? init : push)?.state?.waiting;
  return { step: 'starting', ...(waiting?.reason !== undefined ? { detail: `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` } : {}) };
}

/** Default archive transport: the attach API, with flow control and a byte count. */
export function attachStreamer(client: KubeClient) {
  return async (target: StreamTarget, archive: LocalArchive, onProgress: (sent: number) => void): Promise<void> => {
    const { Attach } = await import('@kubernetes/client-node');
    const stdin = new PassThrough();
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        output = (output + chunk.toString('utf8')).slice(-4000);
        callback();
      },
    });
    const ws = await new Attach(clientNodeConfig(client)).attach(target.namespace, target.pod, target.container, sink, sink, stdin, false);
    let closeCode: number | undefined;
    const closed = new Promise<number>((resolve) =>
      ws.on('close', (code: number) => {
        closeCode = code;
        resolve(code);
      }),
    );
    let sent = 0;
    const broken = (): Error =>
      new Error(`the attach connection closed after ${sent} of ${archive.sizeBytes} bytes${output.trim() ? `: ${output.trim()}` : ''}`);
    for await (const chunk of createReadStream(archive.path, { highWaterMark: MIB })) {
      if (closeCode !== undefined || ws.readyState !== ws.OPEN) throw broken();
      stdin.write(chunk);
      sent += (chunk as Buffer).length;
      onProgress(sent);
      // The websocket handler sends as fast as we write; wait for the socket to drain.
      while (ws.bufferedAmount > 8 * MIB && ws.readyState === ws.OPEN) await sleep(20);
    }
    if (closeCode !== undefined || ws.readyState !== ws.OPEN) throw broken();
    stdin.end();
    // The receive container exits (closing the stream) once it has checked the checksum. An
    // abnormal close (1006: no close frame) means the connection broke with data in flight.
    // Either way the pod status has the last word: the receive container verifies the sha256.
    // The 120 s cap is cancelled once the stream closes: a pending timer would keep the CLI
    // (and the test process) alive for up to two minutes after the push finished.
    const cap = new AbortController();
    const code = await Promise.race([closed, sleep(120_000, cap.signal).then(() => undefined)]);
    cap.abort();
    if (code === 1006) throw broken();
  };
}

/** Default log follower: the pod log API; errors are ignored (progress only). */
export function logFollower(client: KubeClient) {
  return (target: StreamTarget, onLine: (line: string) => void): (() => void) => {
    let stopped = false;
    let controller: AbortController | undefined;
    let buffer = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        buffer += chunk.toString('utf8');
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line !== '' && !stopped) onLine(line);
        }
        callback();
      },
    });
    void (async () => {
      try {
        const { Log } = await import('@kubernetes/client-node');
        if (stopped) return;
        controller = await new Log(clientNodeConfig(client)).log(target.namespace, target.pod, target.container, sink, { follow: true });
        if (stopped) controller.abort();
      } catch {
        // Logs are progress output only; the pod status decides success.
      }
    })();
    return () => {
      stopped = true;
      controller?.abort();
    };
  };
}

async function getPod(client: KubeClient, namespace: string, name: string): Promise<V1Pod> {
  return client.request<V1Pod>('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
}

/** Deletes the pod and waits until it is gone; returns false if it is still there at the deadline. */
export async function deletePushPod(client: KubeClient, namespace: string, name: string, timeoutMs = 30_000, intervalMs = 250): Promise<boolean> {
  try {
    await client.request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`, { query: { gracePeriodSeconds: 1 } });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await getPod(client, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return true;
    }
    await sleep(intervalMs);
  }
  return false;
}

export async function pushInCluster(request: InClusterPushRequest, deps: InClusterPushDeps): Promise<InClusterPushResult> {
  const { client } = deps;
  const log = deps.log ?? (() => {});
  const runner = deps.runner ?? runProcess;
  const probes = deps.probes ?? processProbes(runner);
  const namespace = request.namespace ?? PUSH_NAMESPACE;
  const interval = deps.pollIntervalMs ?? 1000;
  const registry = parseImageReference(request.destination).registry ?? 'docker.io';
  const name = pushPodName(deps.podNameSuffix ?? randomBytes(4).toString('hex'));
  const tmp = await mkdtemp(join(tmpdir(), 'mcp-runtime-push-'));
  let created = false;
  let stopLogs: (() => void) | undefined;
  try {
    let archive: LocalArchive | undefined;
    let source: PushPodSource;
    if (request.source.startsWith('docker://')) {
      source = { kind: 'registry', image: request.source.slice('docker://'.length), tlsVerify: request.sourceTlsVerify ?? true };
    } else {
      archive = await prepareArchive(request.source, tmp, { runner, probes, tool: request.tool, log });
      source = { kind: 'archive', format: archive.format, sha256: archive.sha256, sizeBytes: archive.sizeBytes };
    }
    const props: PushPodProps = {
      name,
      namespace,
      destination: request.destination,
      destinationTlsVerify: request.destinationTlsVerify,
      source,
      ...(request.helperImage === undefined ? {} : { helperImage: request.helperImage }),
      ...(request.timeoutSeconds === undefined ? {} : { activeDeadlineSeconds: request.timeoutSeconds }),
    };
    const pod = pushPod(props);
    const helperImage = pod.spec!.containers[0]!.image!;
    log(`Creating helper pod ${namespace}/${name} (${helperImage})...`);
    try {
      await client.request('POST', `/api/v1/namespaces/${namespace}/pods`, { body: pod });
      created = true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) {
        throw new RegistryStateError(`Namespace ${namespace} does not exist: install the in-cluster registry first (\`mcp-runtime setup\`).`);
      }
      throw error;
    }

    const deadline = Date.now() + (deps.startTimeoutMs ?? 180_000);
    const overallDeadline = Date.now() + ((request.timeoutSeconds ?? 900) + 60) * 1000;
    let state: PushPodState = { step: 'starting' };
    const poll = async (): Promise<PushPodState> => {
      if (deps.signal?.aborted) throw new InterruptedError('Interrupted; the helper pod is being deleted.');
      try {
        state = interpretPushPod(await getPod(client, namespace, name), helperImage);
      } catch (error) {
        if (isNotFound(error)) throw new RegistryStateError(`The helper pod ${namespace}/${name} disappeared (deleted by someone else?).`);
        // Transient API errors: keep the last state and try again.
      }
      return state;
    };

    let lastDetail: string | undefined;
    let current = await poll();
    while (current.step === 'starting') {
      const detail = current.detail;
      if (detail !== undefined && detail !== lastDetail) log(`  waiting for the helper pod: ${detail}`);
      lastDetail = detail;
      if (Date.now() > deadline) {
        throw new PushFailedError(
          `The helper pod ${namespace}/${name} did not start within ${Math.round((deps.startTimeoutMs ?? 180_000) / 1000)} s` +
            `${detail ? ` (${detail})` : ''}. Check that the cluster can pull ${helperImage} (or pass --helper-image).`,
        );
      }
      await sleep(interval, deps.signal);
      current = await poll();
    }

    if (archive !== undefined && current.step !== 'receiving' && current.step !== 'failed') {
      throw new PushFailedError(
        `The helper pod's ${RECEIVE_CONTAINER} container is not running (pod state: ${current.step}), so the image cannot be streamed into it.`,
      );
    }
    if (archive !== undefined && current.step === 'receiving') {
      log(`Streaming ${human(archive.sizeBytes)} (${archive.format}) to the helper pod...`);
      let lastReported = -1;
      const started = Date.now();
      const stream = deps.streamArchive ?? attachStreamer(client);
      try {
        await stream({ namespace, pod: name, container: RECEIVE_CONTAINER }, archive, (sent) => {
          const pct = archive.sizeBytes === 0 ? 100 : Math.floor((sent / archive.sizeBytes) * 100);
          if (pct >= lastReported + 10 || sent === archive.sizeBytes) {
            lastReported = pct;
            log(`  sent ${human(sent)} of ${human(archive.sizeBytes)} (${pct}%)`);
          }
        });
      } catch (error) {
        throw new PushFailedError(`Streaming the image to the helper pod failed: ${(error as Error).message}`);
      }
      log(`  transfer finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }

    log(`Pushing to ${request.destination} from inside the cluster...`);
    stopLogs = (deps.followLogs ?? logFollower(client))({ namespace, pod: name, container: PUSH_CONTAINER }, (line) => log(`  | ${line}`));
    current = await poll();
    while (current.step !== 'succeeded' && current.step !== 'failed') {
      if (Date.now() > overallDeadline) throw new PushFailedError(`The helper pod ${namespace}/${name} did not finish in time.`);
      await sleep(interval, deps.signal);
      current = await poll();
    }
    const final = current;
    if (final.step === 'failed') {
      const message = final.fromPush
        ? classifyPushFailure(final.message, { registry, insecure: !request.destinationTlsVerify, tool: 'skopeo (helper pod)' }).message
        : final.message;
      throw new PushFailedError(message);
    }
    return { destination: request.destination, ...(final.digest === undefined ? {} : { digest: final.digest }), podName: name, namespace };
  } finally {
    stopLogs?.();
    if (created) {
      const gone = await deletePushPod(client, namespace, name, deps.deleteTimeoutMs ?? 30_000, Math.min(interval, 500)).catch(() => false);
      log(gone ? `Deleted helper pod ${namespace}/${name}.` : `Helper pod ${namespace}/${name} is still terminating; delete it with kubectl if it stays.`);
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Attach and Log are client-node's: they need its KubeConfig (the CLI's clients always carry one). */
function clientNodeConfig(client: KubeClient): KubeConfig {
  const kc = client.kubeConfig as Partial<KubeConfig>;
  if (typeof kc.makeApiClient !== 'function') throw new Error('attach and logs need a client built from client-node\'s KubeConfig');
  return kc as KubeConfig;
}
