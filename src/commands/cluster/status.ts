import { ClusterCommand, outputFlags, outputFormat } from '../../cli/base.js';
import { ExitCode } from '../../cli/exit-codes.js';

export default class ClusterStatus extends ClusterCommand {
  static override description =
    'Show the cluster itself: API server and version, nodes Ready, the MCPServer CRD and the platform namespaces. ' +
    'Exits 0 when the cluster is initialised, 4 when the CRD is missing.';

  static override examples = ['<%= config.bin %> cluster status', '<%= config.bin %> cluster status --kubeconfig ./sandbox.kubeconfig'];

  static override flags = { ...outputFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(ClusterStatus);
    const rest = await this.connect(flags);
    const { clusterInfo, crdStatus, renderCluster, renderCrd } = await import('../../status/platform.js');
    const { PLATFORM_NAMESPACES } = await import('../../cluster/namespaces.js');
    const cluster = await clusterInfo(rest, PLATFORM_NAMESPACES);
    const crd = await crdStatus(rest);
    const format = outputFormat(flags);
    if (format === 'table') {
      for (const line of [...renderCluster(cluster), renderCrd(crd)]) this.log(line);
    } else {
      const { formatStructured } = await import('../../cli/output.js');
      this.log(await formatStructured({ cluster, crd }, format));
    }
    if (crd.state !== 'installed') this.exit(ExitCode.UNREACHABLE);
  }
}
