import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { namespaceFlag, serverArg } from '../../cli/server-flags.js';
import { CLIENTS, type ClientName } from '../../clients/clients.js';

export default class ServerConnect extends ClusterCommand {
  static override description =
    "Print what an MCP client needs to use a server (the `claude mcp add` command, the Cursor or VS Code mcp.json entry and VS Code's install link, or a generic JSON entry), from the server's public URL; --write merges it into the client's config file.";

  static override examples = [
    '<%= config.bin %> server connect weather --client claude-code',
    '<%= config.bin %> server connect weather --client vscode --write',
    '<%= config.bin %> server connect weather --client cursor --write --config-file ~/.cursor/mcp.json',
    '<%= config.bin %> server connect weather --client json --base-url http://localhost:8080',
  ];

  static override args = serverArg;
  static override flags = {
    ...namespaceFlag,
    client: Flags.string({ description: 'The MCP client to configure.', options: [...CLIENTS], required: true }),
    'base-url': Flags.string({
      description: 'Scheme and host clients reach the ingress at, for a server whose status.url is only a path (a platform without an ingress host), e.g. http://localhost:8080.',
    }),
    write: Flags.boolean({
      description: "Merge the entry into the client's config file (cursor, vscode): other entries, unknown keys and comments are kept, the old file is saved as <file>.bak.",
    }),
    'config-file': Flags.string({
      description: 'The config file --write merges into. Default: .vscode/mcp.json (vscode), .cursor/mcp.json (cursor), in the current folder.',
      dependsOn: ['write'],
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServerConnect);
    const client = flags.client as ClientName;
    const rest = await this.connect(flags);
    const { getServer } = await import('../../servers/servers.js');
    const { connectTarget } = await import('../../clients/target.js');
    const { snippetFor } = await import('../../clients/snippets.js');
    const target = connectTarget(await getServer(rest, flags.namespace, args.name), flags['base-url']);
    const snippet = snippetFor(client, target);
    this.log(snippet.text);

    if (!flags.write) {
      for (const note of snippet.notes) this.note(note);
      return;
    }
    const { isFileClient, DEFAULT_CONFIG_FILES } = await import('../../clients/clients.js');
    if (!isFileClient(client)) {
      const { UsageError } = await import('../../kube/errors.js');
      throw new UsageError(
        client === 'claude-code'
          ? '--write does not apply to --client claude-code: Claude Code keeps its own configuration; run the command printed above (nothing was written)'
          : '--write does not apply to --client json: it is not any client\'s file format; use --client cursor or vscode (nothing was written)',
      );
    }
    const { resolve } = await import('node:path');
    const { writeClientConfig } = await import('../../clients/write-config.js');
    const file = resolve(flags['config-file'] ?? DEFAULT_CONFIG_FILES[client]);
    const outcome = await writeClientConfig(client, file, target);
    const what = outcome.replaced ? `replaced the entry "${target.name}" in` : `added "${target.name}" to`;
    if (outcome.result === 'unchanged') this.note(`${file} already has this entry for "${target.name}"; nothing written.`);
    else if (outcome.result === 'created') this.note(`Created ${file} with "${target.name}".`);
    else this.note(`Updated ${file}: ${what} it (previous version: ${outcome.backup}).`);
    for (const note of snippet.notes.slice(1)) this.note(note);
  }
}
