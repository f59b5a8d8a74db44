import { Args } from '@oclif/core';
import { BaseCommand, outputFlags, outputFormat } from '../../cli/base.js';
import { catalogFlags } from '../../cli/catalog-flags.js';

export default class CatalogGet extends BaseCommand {
  static override description = "Show one server of a catalog (its latest version): server.json with the platform's live state.";

  static override examples = [
    '<%= config.bin %> catalog get local.mcp-runtime.mcp-servers/weather --url http://mcp.example.com',
    '<%= config.bin %> catalog get io.example.mcp.team-a/search --url http://127.0.0.1:8080 -o json',
  ];

  static override args = {
    name: Args.string({ description: 'Registry name of the server, <prefix>.<namespace>/<server> (as `catalog list` shows it).', required: true }),
  };

  static override flags = { ...catalogFlags, ...outputFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CatalogGet);
    const { CatalogClient } = await import('../../catalog/client.js');
    const client = new CatalogClient(flags.url);
    const server = await client.get(args.name);
    const format = outputFormat(flags);
    const { formatStructured, formatTable } = await import('../../cli/output.js');
    if (format !== 'table') {
      this.log(await formatStructured(server, format));
      return;
    }
    const { CATALOG_COLUMNS, catalogRow } = await import('../../catalog/rows.js');
    const { LIVE_META_KEY } = await import('../../catalog/types.js');
    this.log(formatTable(CATALOG_COLUMNS, [catalogRow(server)]));
    const tools = server._meta?.[LIVE_META_KEY]?.tools ?? [];
    if (tools.length > 0) this.log(`\nTools: ${tools.join(', ')}`);
  }
}
