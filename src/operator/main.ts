/**
 * The operator container's entry (`node dist/src/operator/main.js`, see OPERATOR_ENTRY and
 * charts-ts/platform/operator.ts): every setting from the environment the platform chart writes
 * (OPERATOR_RUNTIME_ENV, OPERATOR_ENV), credentials from $KUBECONFIG or the ServiceAccount.
 * `mcp-runtime operator` runs the same operator with flags on top, for use outside a cluster.
 * A configuration error is one line naming the variable or file and exit code 78 (EX_CONFIG),
 * as the gateway does — no stack trace.
 */
import { KubeConfigError } from '../kube/errors.js';
import { loadKubeConnection } from '../kube/light-config.js';
import { createLogger } from '../runtime/index.js';
import { ConfigError, loadOperatorConfig } from './config.js';
import { createOperator } from './operator.js';

const EX_CONFIG = 78;

async function main(): Promise<void> {
  const logger = createLogger({ name: 'mcp-runtime-operator' });
  let manager;
  try {
    const config = loadOperatorConfig(process.env);
    const kubeConfig = await loadKubeConnection({});
    manager = await createOperator({ kubeConfig, config, logger });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof KubeConfigError) {
      logger.fatal(error.message);
      process.exitCode = EX_CONFIG;
      return;
    }
    throw error;
  }
  await manager.start();
  await manager.wait();
}

await main();
