import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { CliError } from '../../cli/errors.js';
import { ExitCode } from '../../cli/exit-codes.js';

export default class RegistryStatus extends ClusterCommand {
  static override description = `Show whether the platform registry is up.

With a provisioned external registry (\`registry provision\`): asks its /v2/ endpoint from this machine (TLS verified; --cert-dir for a private CA). Otherwise checks the in-cluster registry in namespace "registry": its Deployment, its Service, and /v2/ through the API server's service proxy. Exits 1 when the registry is not healthy.`;

  static override examples = ['<%= config.bin %> registry status', '<%= config.bin %> registry status --json'];
  static override enableJsonFlag = true;

  static override flags = {
    'cert-dir': Flags.string({ description: 'Folder with the external registry\'s CA certificate (ca.crt).' }),
    'insecure-registry': Flags.boolean({ description: 'Do not verify the external registry\'s TLS certificate.', default: false }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(RegistryStatus);
    const { collectRegistryStatus, formatRegistryStatus } = await import('../../registry/status.js');
    const { client } = await this.connect(flags);
    const status = await collectRegistryStatus(client, {
      ping: { insecure: flags['insecure-registry'], ...(flags['cert-dir'] === undefined ? {} : { certDir: flags['cert-dir'] }) },
    });
    if (!this.jsonEnabled()) for (const line of formatRegistryStatus(status)) this.log(line);
    if (!status.healthy && !this.jsonEnabled()) throw new CliError('The registry is not healthy (see above).', ExitCode.FAILURE);
    if (!status.healthy) process.exitCode = ExitCode.FAILURE;
    return status;
  }
}
