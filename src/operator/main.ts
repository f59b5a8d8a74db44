/**
 * The operator container's entry (`node dist/src/operator/main.js`, see OPERATOR_ENTRY and
 * charts-ts/platform/operator.ts): every setting from the environment the platform chart writes
 * (OPERATOR_RUNTIME_ENV, OPERATOR_ENV), credentials from $KUBECONFIG or the ServiceAccount.
 * `mcp-runtime operator` runs the same operator with flags on top, for use outside a cluster.
 * A configuration error is one line naming the variable or file and exit code 78 (EX_CONFIG),
 * as the gateway does — no stack trace.
 */
import { KubeConfigError } from '../kube/errors.js';
import { createLogger } from '../runtime/index.js';
import { ConfigError } from './config.js';
import { runOperator } from './run.js';

const EX_CONFIG = 78;

const logger = createLogger({ name: 'mcp-runtime-operator' });
try {
  await runOperator({ env: process.env, logger });
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof KubeConfigError)) throw error;
  logger.fatal(error.message);
  process.exitCode = EX_CONFIG;
}
