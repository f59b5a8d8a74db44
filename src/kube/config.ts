/**
 * Builds a KubeConfig from `--kubeconfig` / `--context` the way kubectl does: the flag, else
 * $KUBECONFIG (a list of files), else ~/.kube/config, else the in-cluster service account.
 * @kubernetes/client-node is imported lazily: it costs ~0.5 s, which `--help` must not pay.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeConfigError } from './errors.js';

export interface KubeTarget {
  /** Path of a kubeconfig file (`--kubeconfig`). */
  kubeconfig?: string;
  /** Context to use instead of the current one (`--context`). */
  context?: string;
}

export const SANDBOX_HINT =
  'for a local sandbox run `mcp-runtime cluster provision --provider local --kubeconfig ./sandbox.kubeconfig` ' +
  'and pass --kubeconfig ./sandbox.kubeconfig';

/** Where the kubeconfig comes from, or undefined when nothing is configured. Pure apart from file checks. */
export function kubeconfigSource(
  target: KubeTarget,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): { kind: 'file'; path: string } | { kind: 'env'; paths: string[] } | { kind: 'in-cluster' } | undefined {
  if (target.kubeconfig !== undefined && target.kubeconfig !== '') return { kind: 'file', path: resolve(target.kubeconfig) };
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '' && existsSync(p));
  if (fromEnv.length > 0) return { kind: 'env', paths: fromEnv };
  const fallback = join(home, '.kube', 'config');
  if (existsSync(fallback)) return { kind: 'file', path: fallback };
  if (env.KUBERNETES_SERVICE_HOST !== undefined && env.KUBERNETES_SERVICE_PORT !== undefined) return { kind: 'in-cluster' };
  return undefined;
}

/** Why no cluster is configured; names $KUBECONFIG's files when it is set but none exists. */
export function noClusterError(env: NodeJS.ProcessEnv = process.env): KubeConfigError {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  const kubeconfigEnv = listed.length === 0 ? 'no $KUBECONFIG' : `$KUBECONFIG names no file that exists (${listed.join(delimiter)})`;
  return new KubeConfigError(`no Kubernetes cluster is configured (no --kubeconfig, ${kubeconfigEnv}, no ~/.kube/config); ${SANDBOX_HINT}`);
}

export async function loadKubeConfig(target: KubeTarget): Promise<KubeConfig> {
  const source = kubeconfigSource(target);
  if (source === undefined) throw noClusterError();
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (source.kind === 'file') {
      if (!existsSync(source.path)) throw new KubeConfigError(`kubeconfig file ${source.path} does not exist; ${SANDBOX_HINT}`);
      kc.loadFromFile(source.path);
    } else if (source.kind === 'env') {
      kc.loadFromDefault();
    } else {
      kc.loadFromCluster();
    }
  } catch (error) {
    if (error instanceof KubeConfigError) throw error;
    const where = source.kind === 'file' ? source.path : source.kind === 'env' ? source.paths.join(delimiter) : 'in-cluster';
    throw new KubeConfigError(`cannot read kubeconfig ${where}: ${(error as Error).message}`);
  }
  if (target.context !== undefined && target.context !== '') {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(target.context)) {
      throw new KubeConfigError(
        `context "${target.context}" is not in the kubeconfig; available: ${names.length > 0 ? names.join(', ') : '(none)'}`,
        true,
      );
    }
    kc.setCurrentContext(target.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new KubeConfigError(
      `the kubeconfig has no current context with a cluster (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}); pass --context`,
    );
  }
  return kc;
}
