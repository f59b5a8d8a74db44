import { Flags } from '@oclif/core';
import { problemsJsonFlag, BaseCommand } from '../../cli/base.js';

export default class PipelineGenerate extends BaseCommand {
  static override description =
    'Turn the metadata folder (.mcp/*.yaml) into one MCPServer manifest per server, <namespace>.<name>.yaml, ' +
    'plus a kustomization.yaml listing them (for `kubectl apply -k` and GitOps tools). ' +
    'Nothing is written unless every server is valid; problems are reported as file:line:col (exit code 3).';

  static override examples = [
    '<%= config.bin %> pipeline generate --dir .mcp --output-dir manifests/',
    '<%= config.bin %> pipeline generate --output-dir manifests/ --prune',
  ];

  static override flags = {
    ...problemsJsonFlag,
    dir: Flags.string({ description: 'Metadata folder (or one file).', default: '.mcp' }),
    // kubectl's meaning of --output/-o is the output format; a folder is --output-dir.
    'output-dir': Flags.string({ aliases: ['output'], deprecateAliases: true, description: 'Folder to write the manifests to. (--output is a deprecated alias.)', default: 'manifests' }),
    prune: Flags.boolean({ description: 'Delete previously generated manifests of servers no longer in the metadata.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(PipelineGenerate);
    const { planGenerate, writeGenerated } = await import('../../pipeline/generate.js');
    const files = await planGenerate(flags.dir);
    // An OutputWriteError (exit 11) is mapped with every other domain error in src/cli/errors.ts.
    const report = writeGenerated(files, flags['output-dir'], { prune: flags.prune });
    for (const path of report.written) this.log(`wrote     ${path}`);
    for (const path of report.unchanged) this.log(`unchanged ${path}`);
    if (report.foreignKustomization !== undefined) {
      this.warn(`${report.foreignKustomization} was not written by mcp-runtime: left as it is; list the manifests above in its resources`);
    }
    for (const path of report.stale) {
      if (report.pruned) this.log(`removed   ${path} (server no longer in the metadata)`);
      else this.warn(`${path} was generated for a server that is no longer in the metadata; delete it or rerun with --prune (deploy would still apply it)`);
    }
    this.log(`${files.length} server(s); files: ${report.written.length} written, ${report.unchanged.length} unchanged.`);
  }
}
