import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { CliError } from '../../cli/errors.js';
import { ExitCode } from '../../cli/exit-codes.js';

export default class GatewayRotateKeys extends ClusterCommand {
  static override description = `Replace the key that seals the gateway's session ids.

The Secret mcp-gateway-session-keys gets a new random key "current" (new sessions are sealed with it); the old one becomes "previous", so sessions sealed before still reach their pod. Run it again later to retire the previous key (sessions sealed with it then get 404 and initialize again). The keys are never printed: only their ids.`;

  static override examples = ['<%= config.bin %> gateway rotate-keys', '<%= config.bin %> gateway rotate-keys --namespace mcp-gateway'];

  static override flags = {
    namespace: Flags.string({ char: 'n', description: "The gateway's namespace.", default: 'mcp-gateway' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GatewayRotateKeys);
    const { rotateGatewaySessionKeys, GatewayKeysMissingError } = await import('../../setup/gateway-keys.js');
    const rest = await this.connect(flags);
    try {
      const ids = await rotateGatewaySessionKeys(rest, flags.namespace);
      this.log(`Rotated the session keys in ${flags.namespace}: sealing with key ${ids[0]}, still opening ${ids.slice(1).join(', ') || 'nothing older'}.`);
      this.log('Each gateway replica loads them when the kubelet refreshes the Secret volume (about a minute).');
    } catch (error) {
      if (error instanceof GatewayKeysMissingError) throw new CliError(error.message, ExitCode.NOT_FOUND);
      throw error;
    }
  }
}
