import { Flags } from '@oclif/core';
import { problemsJsonFlag, ClusterCommand } from '../../cli/base.js';
import { ExitCode } from '../../cli/exit-codes.js';

export default class PipelineDiff extends ClusterCommand {
  static override description =
    'Show what `pipeline deploy` would change: a server-side dry run of every manifest compared with the live object, field by field.';

  static override examples = ['<%= config.bin %> pipeline diff --dir manifests/', '<%= config.bin %> pipeline diff --dir manifests/ --exit-code'];

  static override flags = {
    ...problemsJsonFlag,
    dir: Flags.string({ description: 'Folder (or file) of MCPServer manifests.', default: 'manifests' }),
    'exit-code': Flags.boolean({ description: 'Exit with 8 when deploying would change something (for CI).' }),
    source: Flags.string({ description: 'The --source given to `pipeline deploy`, if any. Default: --dir relative to the working directory.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(PipelineDiff);
    const { loadManifests } = await import('../../pipeline/manifests.js');
    const manifests = await loadManifests(flags.dir, 'nothing was compared');
    const rest = await this.connect(flags);
    const { diffManifests } = await import('../../pipeline/deploy.js');
    const { renderChanges } = await import('../../pipeline/field-diff.js');
    const { deploySource } = await import('../../pipeline/source.js');
    const diffs = await diffManifests(rest, manifests, { source: deploySource(flags.dir, flags.source) });
    let changed = 0;
    for (const d of diffs) {
      if (d.outcome === 'unchanged') {
        this.log(`= ${d.ref} (${d.file}): unchanged`);
        continue;
      }
      changed++;
      this.log(`${d.outcome === 'created' ? '+' : '~'} ${d.ref} (${d.file}): would be ${d.outcome}${d.note !== undefined ? ` - ${d.note}` : ''}`);
      for (const line of renderChanges(d.changes)) this.log(line);
    }
    this.log(changed === 0 ? 'No changes.' : `${changed} of ${diffs.length} server(s) would change.`);
    if (changed > 0 && flags['exit-code']) this.exit(ExitCode.CHANGES_PENDING);
  }
}
