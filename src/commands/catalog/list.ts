import { Flags } from '@oclif/core';
import { BaseCommand, outputFlags, outputFormat } from '../../cli/base.js';
import { catalogFlags } from '../../cli/catalog-flags.js';

export default class CatalogList extends BaseCommand {
  static override description = 'List the servers of a catalog (any MCP Registry API, e.g. `catalog serve`), following every page.';

  static override examples = [
    '<%= config.bin %> catalog list --url http://mcp.example.com',
    '<%= config.bin %> catalog list --url http://127.0.0.1:8080 --search weather -o json',
    '<%= config.bin %> catalog list --url http://127.0.0.1:8080 --updated-since 2026-01-01T00:00:00Z',
  ];

  static override flags = {
    ...catalogFlags,
    search: Flags.string({ description: 'Only servers whose name contains this text.' }),
    'updated-since': Flags.string({ description: 'Only servers changed at or after this RFC 3339 time (includes deleted ones).' }),
    'include-deleted': Flags.boolean({ description: 'Also servers deleted recently (status deleted).' }),
    ...outputFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CatalogList);
    const { CatalogClient } = await import('../../catalog/client.js');
    const client = new CatalogClient(flags.url);
    const servers = await client.list({ search: flags.search, updatedSince: flags['updated-since'], includeDeleted: flags['include-deleted'] });
    const format = outputFormat(flags);
    const { formatStructured, formatTable } = await import('../../cli/output.js');
    if (format !== 'table') {
      this.log(await formatStructured({ servers, metadata: { count: servers.length } }, format));
      return;
    }
    if (servers.length === 0) {
      this.note(`No servers in the catalog at ${client.url}.`);
      return;
    }
    const { CATALOG_COLUMNS, catalogRow } = await import('../../catalog/rows.js');
    this.log(formatTable(CATALOG_COLUMNS, servers.map(catalogRow)));
  }
}
