/**
 * One entry point for pushing an image, used by `registry push`, `server build --push` and
 * `build push`: picks the mode and delegates to direct-push.ts or in-cluster-push.ts.
 */
import { parseImageReference } from '../images/reference.js';
import type { Runner } from '../build/exec.js';
import type { KubeClient } from '../runtime/kube-http.js';
import { isInClusterRegistry } from './destination.js';
import { pushDirect } from './direct-push.js';
import { RegistryUsageError } from './errors.js';
import { pushInCluster, type InClusterPushDeps } from './in-cluster-push.js';
import type { PushTool, ToolProbes } from './tools.js';

export const PUSH_MODES = ['direct', 'in-cluster'] as const;
export type PushMode = (typeof PUSH_MODES)[number];

/**
 * The in-cluster registry is a ClusterIP Service: only the in-cluster mode reaches it without
 * a port-forward. Everything else is pushed directly.
 */
export function defaultPushMode(destination: string): PushMode {
  const registry = parseImageReference(destination).registry;
  return registry !== undefined && isInClusterRegistry(registry) ? 'in-cluster' : 'direct';
}

export interface PushRequest {
  readonly source: string;
  readonly destination: string;
  readonly mode?: PushMode;
  /** --insecure-registry: skip TLS verification of the destination. */
  readonly insecure: boolean;
  /** --insecure-source: skip TLS verification of a docker:// source (in-cluster mode). */
  readonly insecureSource?: boolean;
  readonly certDir?: string;
  readonly authfile?: string;
  readonly tool?: PushTool;
  readonly helperImage?: string;
  readonly timeoutSeconds?: number;
  /** In-cluster mode: namespace of the helper pod. Default `registry`. */
  readonly namespace?: string;
}

export interface PushDeps {
  readonly runner?: Runner;
  readonly probes?: ToolProbes;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Kubernetes access for the in-cluster mode (created lazily: direct pushes need no cluster). */
  /** Kubernetes access, connected only when needed (in-cluster pushes). */
  readonly kube?: () => Promise<KubeClient>;
  readonly inCluster?: Partial<Omit<InClusterPushDeps, 'client'>>;
}

export interface PushOutcome {
  readonly mode: PushMode;
  readonly destination: string;
  readonly digest?: string;
  readonly tool?: string;
  /** TLS verification of the destination was off (always true for the plain-HTTP in-cluster registry). */
  readonly tlsVerified: boolean;
}

export async function pushImage(request: PushRequest, deps: PushDeps = {}): Promise<PushOutcome> {
  const mode = request.mode ?? defaultPushMode(request.destination);
  if (mode === 'direct') {
    const result = await pushDirect(
      {
        source: request.source,
        destination: request.destination,
        insecure: request.insecure,
        ...(request.certDir === undefined ? {} : { certDir: request.certDir }),
        ...(request.authfile === undefined ? {} : { authfile: request.authfile }),
        ...(request.tool === undefined ? {} : { tool: request.tool }),
      },
      { ...(deps.runner ? { runner: deps.runner } : {}), ...(deps.probes ? { probes: deps.probes } : {}), log: deps.log, signal: deps.signal },
    );
    return { mode, destination: result.destination, tool: result.tool, tlsVerified: !request.insecure, ...(result.digest ? { digest: result.digest } : {}) };
  }
  if (request.certDir !== undefined || request.authfile !== undefined) {
    throw new RegistryUsageError(
      '--cert-dir and --authfile apply to direct pushes; the in-cluster helper pod pushes without credentials. ' +
        'Push to a registry that needs them with --mode direct.',
    );
  }
  if (deps.kube === undefined) throw new Error('pushImage: the in-cluster mode needs Kubernetes access');
  const registry = parseImageReference(request.destination).registry;
  const inCluster = registry !== undefined && isInClusterRegistry(registry);
  const tlsVerify = !(request.insecure || inCluster);
  if (inCluster) deps.log?.('The in-cluster registry speaks plain HTTP on its ClusterIP; the helper pod pushes to it without TLS, inside the cluster network.');
  const result = await pushInCluster(
    {
      source: request.source,
      destination: request.destination,
      destinationTlsVerify: tlsVerify,
      sourceTlsVerify: request.insecureSource !== true,
      ...(request.helperImage === undefined ? {} : { helperImage: request.helperImage }),
      ...(request.tool === undefined ? {} : { tool: request.tool }),
      ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
      ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
    },
    {
      ...(deps.inCluster ?? {}),
      client: await deps.kube(),
      ...(deps.runner ? { runner: deps.runner } : {}),
      ...(deps.probes ? { probes: deps.probes } : {}),
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    },
  );
  return { mode, destination: result.destination, tool: 'skopeo (helper pod)', tlsVerified: tlsVerify, ...(result.digest ? { digest: result.digest } : {}) };
}
