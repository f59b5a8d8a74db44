/**
 * Starting the operator, the one path shared by the container's entry (main.ts: environment
 * only) and `mcp-runtime operator` (flags on top): settings are validated before the cluster is
 * contacted, credentials come from the light kubeconfig reader (client-node's generated API
 * would cost ~45 MB of RSS), and the returned promise settles when the manager stops.
 * Throws ConfigError (settings) or KubeConfigError (credentials); each caller words the exit.
 */
import type { KubeTarget } from '../kube/config.js';
import { loadKubeConnection } from '../kube/light-config.js';
import type { Logger } from '../runtime/index.js';
import { loadOperatorConfig, type OperatorFlags } from './config.js';
import { createOperator } from './operator.js';

export interface RunOperatorOptions {
  readonly env: Record<string, string | undefined>;
  /** Command-line values; they win over the environment. */
  readonly flags?: OperatorFlags;
  /** --kubeconfig / --context; empty: $KUBECONFIG, ~/.kube/config or the ServiceAccount. */
  readonly target?: KubeTarget;
  readonly logger?: Logger;
}

export async function runOperator(options: RunOperatorOptions): Promise<void> {
  const config = loadOperatorConfig(options.env, options.flags);
  const kubeConfig = await loadKubeConnection(options.target ?? {});
  const manager = await createOperator({ kubeConfig, config, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  await manager.start();
  await manager.wait();
}
