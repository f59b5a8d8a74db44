/**
 * Finds the provisioned registry for commands that only need its address (`server build`,
 * `registry push`): the cached copy for the current kube context (config-file.ts), else the
 * cluster's Secret (best effort, short timeout: a build must not fail because the cluster is
 * down; it then falls back to the in-cluster registry name).
 */
import { loadKubeConfig, type KubeTarget } from '../kube/config.js';
import { KubeClient } from '../runtime/kube-http.js';
import { cachedRegistry, configFilePath } from './config-file.js';
import { readProvisionedRegistry } from './provision.js';

export interface RegistryLookup {
  readonly url?: string;
  readonly from: 'cache' | 'cluster' | 'none';
  /** Why the cluster was not asked or did not answer. */
  readonly note?: string;
}

export async function lookupProvisionedRegistry(
  options: KubeTarget & { askCluster?: boolean; timeoutMs?: number; configPath?: string } = {},
): Promise<RegistryLookup> {
  let kc;
  try {
    kc = await loadKubeConfig(options);
  } catch (error) {
    return { from: 'none', note: (error as Error).message };
  }
  const cached = await cachedRegistry(kc.getCurrentContext(), options.configPath ?? configFilePath()).catch(() => undefined);
  if (cached !== undefined) return { url: cached.url, from: 'cache' };
  if (options.askCluster === false) return { from: 'none' };
  try {
    const found = await readProvisionedRegistry(new KubeClient(kc, { timeoutMs: options.timeoutMs ?? 5000, userAgent: 'mcp-runtime-cli' }));
    return found === undefined ? { from: 'none' } : { url: found.url, from: 'cluster' };
  } catch (error) {
    return { from: 'none', note: `could not read the provisioned registry from the cluster: ${(error as Error).message}` };
  }
}
