import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { namespaceFlag, serverArg } from '../../cli/server-flags.js';

export default class ServerLogs extends ClusterCommand {
  static override description =
    'Print the logs of every pod of a server (label app=<name>), each line prefixed with the pod name when there are several.';

  static override examples = [
    '<%= config.bin %> server logs my-server',
    '<%= config.bin %> server logs my-server --follow --tail 100',
    '<%= config.bin %> server logs my-server --since 10m --previous',
  ];

  static override args = serverArg;
  static override flags = {
    ...namespaceFlag,
    follow: Flags.boolean({ char: 'f', description: 'Keep streaming new lines until Ctrl-C.' }),
    tail: Flags.integer({ description: 'Only the last N lines of each pod.', min: 1 }),
    since: Flags.string({ description: 'Only lines newer than this duration, e.g. 30s, 5m, 1h.' }),
    previous: Flags.boolean({ char: 'p', description: 'Logs of the previous (crashed) container instance.' }),
    container: Flags.string({ char: 'c', description: 'Container to read. Default: the one named after the server.' }),
    timestamps: Flags.boolean({ description: 'Prefix every line with its timestamp.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServerLogs);
    let sinceSeconds: number | undefined;
    if (flags.since !== undefined) {
      const { parseDuration } = await import('../../cli/output.js');
      sinceSeconds = parseDuration(flags.since);
      if (sinceSeconds === undefined) this.error(`--since "${flags.since}" is not a duration like 30s, 5m or 1h30m`, { exit: ExitCode.USAGE });
    }
    const rest = await this.connect(flags);
    const { streamServerLogs } = await import('../../servers/logs.js');
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await streamServerLogs(
        rest,
        flags.namespace,
        args.name,
        {
          follow: flags.follow,
          ...(flags.tail !== undefined ? { tailLines: flags.tail } : {}),
          ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
          previous: flags.previous,
          ...(flags.container !== undefined ? { container: flags.container } : {}),
          timestamps: flags.timestamps,
          signal: controller.signal,
        },
        (line) => this.log(line),
      );
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  }
}
