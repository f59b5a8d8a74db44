import { ClusterCommand, outputFlags, outputFormat } from '../../cli/base.js';
import { namespaceFlag, serverArg } from '../../cli/server-flags.js';

export default class ServerTools extends ClusterCommand {
  static override description =
    "List the tools an MCP server offers, as the operator's last verification found them (tools/list against its ready pods).";

  static override examples = ['<%= config.bin %> server tools weather', '<%= config.bin %> server tools weather -n team-a -o json'];

  static override args = serverArg;
  static override flags = { ...namespaceFlag, ...outputFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServerTools);
    const rest = await this.connect(flags);
    const { getServer, serverTools } = await import('../../servers/servers.js');
    const { formatTable, formatStructured } = await import('../../cli/output.js');
    const inventory = serverTools(await getServer(rest, flags.namespace, args.name));
    const format = outputFormat(flags);
    if (format !== 'table') {
      this.log(await formatStructured(inventory, format));
      return;
    }
    if (inventory.tools.length === 0) {
      this.note(`No tools known for ${inventory.namespace}/${inventory.name} (Verified: ${inventory.verified}, ${inventory.reason}); see \`mcp-runtime server get ${inventory.name} -n ${inventory.namespace}\`.`);
      return;
    }
    this.log(formatTable(['NAME', 'TITLE', 'DESCRIPTION'], inventory.tools.map((t) => [t.name, t.title ?? '-', t.description ?? '-'])));
    if (inventory.tools.length < inventory.toolCount) this.note(`${inventory.toolCount} tools in total; status keeps the first ${inventory.tools.length} by name.`);
  }
}
