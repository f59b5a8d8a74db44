/**
 * Kubernetes access for the registry and build commands: the kubeconfig the user has
 * (`--kubeconfig`, else $KUBECONFIG, else ~/.kube/config; `--context` picks a context), and a
 * raw JSON client over it (src/runtime/kube-http.ts).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient, ApiError, errorCode } from '../runtime/kube-http.js';
import { CliError, EXIT } from './errors.js';

export interface KubeAccessOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
}

export function loadKubeConfig(options: KubeAccessOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new CliError(`Cannot read the kubeconfig${options.kubeconfig === undefined ? '' : ` ${options.kubeconfig}`}: ${(error as Error).message}`, EXIT.usage);
  }
  if (options.context !== undefined) {
    if (kc.getContextObject(options.context) === null) {
      throw new CliError(`Context "${options.context}" is not in the kubeconfig (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}).`);
    }
    kc.setCurrentContext(options.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new CliError('No Kubernetes cluster configured: set KUBECONFIG, pass --kubeconfig, or create a cluster (`mcp-runtime cluster provision`).');
  }
  return kc;
}

export function kubeClient(options: KubeAccessOptions = {}): KubeClient {
  return new KubeClient(loadKubeConfig(options), { userAgent: 'mcp-runtime-cli' });
}

/** A one-line explanation of a Kubernetes API failure, for CliError messages. */
export function describeKubeError(error: unknown, doing: string): string {
  if (error instanceof ApiError) {
    const msg = error.status?.message ?? error.message;
    if (error.code === 403) return `${doing}: forbidden: ${msg}`;
    return `${doing}: ${error.code} ${error.status?.reason ?? ''} ${msg}`.replace(/\s+/g, ' ').trim();
  }
  const code = errorCode(error);
  const text = (error as Error)?.message ?? String(error);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|timed out/.test(text)) {
    return `${doing}: the Kubernetes API server is unreachable (${text}). Is the cluster running and KUBECONFIG right?`;
  }
  return `${doing}: ${code === undefined ? '' : `${code} `}${text}`;
}

/** Wraps a Kubernetes call so its failure becomes a CliError with a readable message. */
export async function kubeCall<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(describeKubeError(error, doing), EXIT.cluster);
  }
}
