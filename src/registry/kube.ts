/**
 * Kubernetes access for the registry and build commands: the kubeconfig the user has
 * (`--kubeconfig`, else $KUBECONFIG, else ~/.kube/config; `--context` picks a context), and a
 * raw JSON client over it (src/runtime/kube-http.ts).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { translateError } from '../cli/errors.js';
import { KubeApiError, KubeUnreachableError } from '../kube/errors.js';
import { describeNetworkError, isNetworkErrorCode } from '../kube/rest.js';
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

/**
 * The failures every command reports alike (src/cli/errors.ts), as a CliError: credentials
 * refused (401) or RBAC (403) → exit 5, naming who may not do which verb on which resource
 * where; the API server unreachable → exit 4. Undefined for any other failure.
 */
export function clusterCliError(error: unknown, doing: string, kc?: KubeConfig): CliError | undefined {
  const server = kc?.getCurrentCluster()?.server.replace(/\/+$/, '') ?? 'of the kubeconfig';
  const context = kc?.getCurrentContext() ?? '';
  let translated: { message: string; exit: number } | undefined;
  if (error instanceof ApiError && (error.code === 401 || error.code === 403)) {
    translated = translateError(new KubeApiError(error.code, error.status ?? {}, error.method, error.path, server));
  } else {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const message = (error as Error | undefined)?.message ?? String(error);
    if (typeof code === 'string' && isNetworkErrorCode(code)) {
      translated = translateError(new KubeUnreachableError(server, context, code, describeNetworkError(code, message)));
    } else if (/timed out after/.test(message)) {
      translated = translateError(new KubeUnreachableError(server, context, 'ETIMEDOUT', `no answer: ${message}`));
    }
  }
  return translated === undefined ? undefined : new CliError(`${doing}: ${translated.message}`, translated.exit);
}

/**
 * Wraps a Kubernetes call so its failure becomes a CliError with a readable message: exit 4/5
 * as for every command (see clusterCliError), else exit 1. `client` names the server in them.
 */
export async function kubeCall<T>(doing: string, call: () => Promise<T>, client?: KubeClient): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw clusterCliError(error, doing, client?.kubeConfig) ?? new CliError(describeKubeError(error, doing), EXIT.cluster);
  }
}
