import { ClusterCommand, outputFlags, outputFormat } from '../../cli/base.js';
import { namespaceFlag, serverArg } from '../../cli/server-flags.js';

export default class ServerGet extends ClusterCommand {
  static override description = 'Show one MCP server: a table row with its MCP verification and tools, or the whole object with -o yaml|json.';

  static override examples = ['<%= config.bin %> server get my-server', '<%= config.bin %> server get my-server -n team-a -o yaml'];

  static override args = serverArg;
  static override flags = { ...namespaceFlag, ...outputFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServerGet);
    const rest = await this.connect(flags);
    const { getServer, serverRow, rowCells, presentable, verificationLines, SERVER_COLUMNS } = await import('../../servers/servers.js');
    const { formatTable, formatStructured } = await import('../../cli/output.js');
    const server = await getServer(rest, flags.namespace, args.name);
    const format = outputFormat(flags);
    if (format === 'table') {
      this.log(formatTable(SERVER_COLUMNS, [rowCells(serverRow(server))]));
      this.log('');
      for (const line of verificationLines(server)) this.log(line);
    } else this.log(await formatStructured(presentable(server), format));
  }
}
