/**
 * The gateway container's entry (`node dist/src/gateway/main.js`, see charts-ts/platform/gateway.ts):
 * in-cluster credentials, settings from the environment, SIGTERM drains. A configuration error
 * is one line naming the variable or file, and exit code 78 (EX_CONFIG) — no stack trace.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger, KubeClient } from '../runtime/index.js';
import { startGateway } from './gateway.js';
import { SessionKeyError } from './session-keys.js';
import { gatewaySettings, GatewaySettingsError } from './settings.js';

const EX_CONFIG = 78;

async function main(): Promise<void> {
  const logger = createLogger({ name: 'mcp-gateway' });
  let gateway;
  try {
    const settings = gatewaySettings(process.env);
    const kc = new KubeConfig();
    kc.loadFromDefault();
    gateway = await startGateway({ client: new KubeClient(kc, { userAgent: 'mcp-runtime-gateway' }), settings, logger });
  } catch (error) {
    if (error instanceof GatewaySettingsError || error instanceof SessionKeyError) {
      logger.fatal(error.message);
      process.exitCode = EX_CONFIG;
      return;
    }
    throw error;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void gateway.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
