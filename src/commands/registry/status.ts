import { Command, Flags } from '@oclif/core';
import { kubeFlags, runCommand } from '../../registry/command-support.js';

export default class RegistryStatus extends Command {
  static override description = `Show whether the platform registry is up.

With a provisioned external registry (\`registry provision\`): asks its /v2/ endpoint from this machine (TLS verified; --cert-dir for a private CA). Otherwise checks the in-cluster registry in namespace "registry": its Deployment, its Service, and /v2/ through the API server's service proxy. Exits non-zero (6) when the registry is not healthy.`;

  static override examples = ['<%= config.bin %> registry status', '<%= config.bin %> registry status --json'];
  static override enableJsonFlag = true;

  static override flags = {
    'cert-dir': Flags.string({ description: 'Folder with the external registry\'s CA certificate (ca.crt).' }),
    'insecure-registry': Flags.boolean({ description: 'Do not verify the external registry\'s TLS certificate.', default: false }),
    ...kubeFlags,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(RegistryStatus);
    return runCommand(this, async () => {
      const { kubeClient, kubeCall } = await import('../../registry/kube.js');
      const { collectRegistryStatus, formatRegistryStatus } = await import('../../registry/status.js');
      const { CliError, EXIT } = await import('../../registry/errors.js');
      const client = kubeClient({ ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context ? { context: flags.context } : {}) });
      const status = await kubeCall('Reading the registry status', () =>
        collectRegistryStatus(client, {
          ping: { insecure: flags['insecure-registry'], ...(flags['cert-dir'] === undefined ? {} : { certDir: flags['cert-dir'] }) },
        }),
        client,
      );
      if (!this.jsonEnabled()) for (const line of formatRegistryStatus(status)) this.log(line);
      if (!status.healthy && !this.jsonEnabled()) throw new CliError('The registry is not healthy (see above).', EXIT.unhealthy);
      if (!status.healthy) process.exitCode = EXIT.unhealthy;
      return status;
    });
  }
}
