import { ClusterCommand, outputFlags, outputFormat } from '../../cli/base.js';
import { namespaceFlag, serverArg } from '../../cli/server-flags.js';

export default class ServerStatus extends ClusterCommand {
  static override description =
    "Explain a server's state: phase, the Ready / Available / Routed conditions with their reasons and messages, " +
    'its Deployment, Service, Ingress and pods, and recent Events.';

  static override examples = ['<%= config.bin %> server status my-server', '<%= config.bin %> server status my-server -n team-a -o json'];

  static override args = serverArg;
  static override flags = { ...namespaceFlag, ...outputFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServerStatus);
    const rest = await this.connect(flags);
    const { serverStatus, renderServerStatus } = await import('../../servers/status.js');
    const report = await serverStatus(rest, flags.namespace, args.name);
    const format = outputFormat(flags);
    if (format === 'table') {
      for (const line of renderServerStatus(report)) this.log(line);
    } else {
      const { formatStructured } = await import('../../cli/output.js');
      const { presentable } = await import('../../servers/servers.js');
      this.log(await formatStructured({ ...report, server: presentable(report.server) }, format));
    }
  }
}
