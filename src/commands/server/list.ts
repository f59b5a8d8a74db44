import { ClusterCommand, outputFlags, outputFormat } from '../../cli/base.js';
import { scopeFlags } from '../../cli/server-flags.js';

export default class ServerList extends ClusterCommand {
  static override description = 'List MCP servers with their phase, ready pods, MCP verification, tool count, URL, image and age.';

  static override examples = [
    '<%= config.bin %> server list',
    '<%= config.bin %> server list -A',
    '<%= config.bin %> server list -n team-a -o json',
  ];

  static override flags = { ...scopeFlags, ...outputFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServerList);
    const rest = await this.connect(flags);
    const { listServers, serverRow, rowCells, presentable, SERVER_COLUMNS } = await import('../../servers/servers.js');
    const { formatTable, formatStructured } = await import('../../cli/output.js');
    const servers = await listServers(rest, { namespace: flags.namespace, allNamespaces: flags['all-namespaces'] });
    const format = outputFormat(flags);
    if (format !== 'table') {
      this.log(await formatStructured({ apiVersion: 'v1', kind: 'List', items: servers.map(presentable) }, format));
      return;
    }
    if (servers.length === 0) {
      this.note(flags['all-namespaces'] ? 'No MCP servers in any namespace.' : `No MCP servers in namespace ${flags.namespace}.`);
      return;
    }
    const now = Date.now();
    this.log(formatTable(SERVER_COLUMNS, servers.map((s) => rowCells(serverRow(s, now)))));
  }
}
