import { Args, Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { buildFlags } from '../../cli/build-flags.js';

export default class ServerBuild extends ClusterCommand {
  static override description = `Build a server's image from its Dockerfile, optionally push it, and write image/imageTag back into the metadata file.

The image is named <registry>/<name> (registry: --registry, else the provisioned registry, else registry.registry.svc.cluster.local:5000; a server that already names an image keeps its repository) and tagged with --tag, else the git short SHA of the build context (\`<sha>-dirty-<hash of the changes>\` when it has uncommitted changes), else \`latest\` outside git. Builders: podman, buildah, docker (only with a running daemon). The metadata file keeps its comments and layout; only image and imageTag change, and only after the build (and push) succeeded.`;

  static override examples = [
    '<%= config.bin %> server build my-server',
    '<%= config.bin %> server build my-server --push',
    '<%= config.bin %> server build my-server --push --registry reg.example.com/team --tag 1.4.0',
    '<%= config.bin %> server build my-server --dry-run',
  ];

  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'Server name (from the metadata).', required: true }) };
  static override flags = {
    push: Flags.boolean({ description: 'Push the image after building it.', default: false }),
    ...buildFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ServerBuild);
    const { runBuildCommand } = await import('../../cli/build-command.js');
    return runBuildCommand(this, args.name, flags, flags.push);
  }
}
