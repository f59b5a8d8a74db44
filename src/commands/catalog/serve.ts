import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';

export default class CatalogServe extends ClusterCommand {
  static override description =
    'Serve the MCP Registry API (GET /v0.1/servers) for the MCPServers of the current cluster, with their live state. ' +
    'Read-only: needs list and watch on mcpservers, no leader election (run as many as you like).';

  static override examples = [
    '<%= config.bin %> catalog serve',
    '<%= config.bin %> catalog serve --listen 0.0.0.0:8080 --name-prefix io.example.mcp',
    '<%= config.bin %> catalog serve --namespaces team-a,team-b',
  ];

  static override flags = {
    listen: Flags.string({ description: 'Address to serve on: host:port, :port (all interfaces) or port (loopback).', default: '127.0.0.1:8080' }),
    namespaces: Flags.string({ description: 'Comma-separated namespaces to list. Default: all namespaces.' }),
    'name-prefix': Flags.string({
      description: 'Reverse-DNS prefix of every registry name: <prefix>.<namespace>/<server>.',
      default: 'local.mcp-runtime',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CatalogServe);
    const { checkNamePrefix, parseListen, parseNamespaces } = await import('../../catalog/settings.js');
    const listen = parseListen(flags.listen);
    const namespaces = parseNamespaces(flags.namespaces);
    const namePrefix = checkNamePrefix(flags['name-prefix']);
    const rest = await this.connect(flags);
    const { checkCanList, runCatalog } = await import('../../catalog/serve.js');
    // A missing CRD or RBAC rule is reported now, not retried silently by the informer.
    await checkCanList(rest.client, namespaces);
    const { interruptible } = await import('../../cli/interrupt.js');
    const stop = interruptible();
    try {
      await runCatalog({
        client: rest.client,
        namespaces,
        namePrefix,
        listen,
        signal: stop.signal,
        // stdout: the address is this command's output (a script reads it when --listen has port 0).
        onListening: (url, count) => this.log(`Serving the MCP Registry API for ${count} server(s) at ${url}/v0.1/servers and the catalog page at ${url}/ (Ctrl-C to stop).`),
      });
    } finally {
      stop.dispose();
    }
  }
}
