/** The entry point commands use: `--kubeconfig` / `--context` in, a ready client out. */
import { loadKubeConfig, type KubeTarget } from './config.js';
import { KubeRest } from './rest.js';

export interface ConnectOptions extends KubeTarget {
  /** Per-request timeout in milliseconds (default 30 s). */
  requestTimeoutMs?: number;
}

export async function connect(options: ConnectOptions): Promise<KubeRest> {
  const kc = await loadKubeConfig(options);
  return new KubeRest(kc, options.requestTimeoutMs);
}

export { KubeRest } from './rest.js';
