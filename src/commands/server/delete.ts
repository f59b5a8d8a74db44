import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { namespaceFlag, serverArg } from '../../cli/server-flags.js';

export default class ServerDelete extends ClusterCommand {
  static override description =
    'Delete an MCP server. Its Deployment, Service and Ingress are owned by it and removed by the garbage collector; ' +
    'by default the command waits until they and the pods are gone (--no-wait to return at once).';

  static override examples = [
    '<%= config.bin %> server delete my-server',
    '<%= config.bin %> server delete my-server -n team-a --no-wait',
  ];

  static override args = serverArg;
  static override flags = {
    ...namespaceFlag,
    wait: Flags.boolean({ description: 'Wait until the server and its children are gone.', default: true, allowNo: true }),
    timeout: Flags.integer({ description: 'Seconds to wait (with --wait).', default: 120, min: 1 }),
    'dry-run': Flags.boolean({ description: 'Server-side dry run: check the delete is allowed, delete nothing.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServerDelete);
    const rest = await this.connect(flags);
    const { deleteServer } = await import('../../servers/delete.js');
    let lastProgress = '';
    const result = await deleteServer(rest, flags.namespace, args.name, {
      wait: flags.wait,
      timeoutMs: flags.timeout * 1000,
      dryRun: flags['dry-run'],
      onProgress: (left) => {
        const text = `waiting for ${left.join(', ')}`;
        if (text !== lastProgress) this.note(text);
        lastProgress = text;
      },
    });
    const ref = `MCPServer ${flags.namespace}/${args.name}`;
    if (flags['dry-run']) {
      this.log(`${ref} would be deleted (dry run)${result.children.length > 0 ? `, with ${result.children.join(', ')}` : ''}`);
    } else if (flags.wait) {
      this.log(`${ref} deleted${result.children.length > 0 ? ` with ${result.children.join(', ')}` : ''} (${Math.round((result.waitedMs ?? 0) / 100) / 10} s)`);
    } else {
      this.log(`${ref} deletion requested; its children are removed in the background`);
    }
  }
}
