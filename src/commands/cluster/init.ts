import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';

export default class ClusterInit extends ClusterCommand {
  static override description =
    'Install the MCPServer CRD and the platform namespaces (mcp-runtime, registry, traefik, mcp-servers; Pod Security ' +
    '"restricted") by server-side apply. Idempotent. `setup` does this and installs the components too.';

  static override examples = ['<%= config.bin %> cluster init', '<%= config.bin %> cluster init --dry-run'];

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Server-side dry run: show what would change, write nothing.' }),
    timeout: Flags.integer({ description: 'Seconds to wait for the CRD to be Established.', default: 60, min: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ClusterInit);
    const rest = await this.connect(flags);
    const { clusterInit, renderApplyResults } = await import('../../cluster/init.js');
    const { results } = await clusterInit(rest, { dryRun: flags['dry-run'], timeoutMs: flags.timeout * 1000 });
    for (const line of renderApplyResults(results, flags['dry-run'])) this.log(line);
    const changed = results.filter((r) => r.outcome !== 'unchanged').length;
    this.log(changed === 0 ? 'No changes: the cluster is already initialised.' : `${changed} object(s) ${flags['dry-run'] ? 'would change' : 'changed'}.`);
  }
}
