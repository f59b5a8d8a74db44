import { Args } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { buildFlags } from '../../cli/build-flags.js';

export default class BuildPush extends ClusterCommand {
  static override description = `Build a server's image and push it (CI shorthand for \`server build <name> --push\`).

Writes image/imageTag back into the metadata file like \`server build\`. In CI pass the commit as --tag so the image name does not depend on the checkout state.`;

  static override examples = [
    '<%= config.bin %> build push my-server --tag "$GITHUB_SHA"',
    '<%= config.bin %> build push my-server --tag 1.4.0 --registry reg.example.com/team --no-write',
  ];

  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'Server name (from the metadata).', required: true }) };
  static override flags = { ...buildFlags };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(BuildPush);
    const { runBuildCommand } = await import('../../cli/build-command.js');
    return runBuildCommand(this, args.name, flags, true);
  }
}
