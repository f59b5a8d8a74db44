import { ClusterCommand } from '../cli/base.js';
import { ExitCode } from '../cli/exit-codes.js';
import { outputFlags, outputFormat } from '../cli/base.js';

export default class Status extends ClusterCommand {
  static override description =
    'Show whether the platform is ready: cluster reachable (and its version), MCPServer CRD installed, ' +
    'operator and catalog / registry / Traefik / gateway Deployments available (with the pod problem behind one that is not), and servers by phase. ' +
    'Exits 0 when ready, 4 when the CRD is missing, 1 when a component is not ready.';

  static override examples = [
    '<%= config.bin %> status',
    '<%= config.bin %> status --context kind-mcp-runtime -o json',
  ];

  static override flags = { ...outputFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const rest = await this.connect(flags);
    const { platformStatus, renderPlatformStatus } = await import('../status/platform.js');
    const status = await platformStatus(rest);
    const format = outputFormat(flags);
    if (format === 'table') {
      for (const line of renderPlatformStatus(status)) this.log(line);
    } else {
      const { formatStructured } = await import('../cli/output.js');
      this.log(await formatStructured(status, format));
    }
    if (status.crd.state === 'missing') this.exit(ExitCode.UNREACHABLE);
    if (!status.healthy) this.exit(ExitCode.FAILURE);
  }
}
