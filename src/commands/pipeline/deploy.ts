import { Flags } from '@oclif/core';
import { problemsJsonFlag, ClusterCommand } from '../../cli/base.js';

export default class PipelineDeploy extends ClusterCommand {
  static override description =
    'Validate every MCPServer manifest in a folder, then server-side apply them (field manager mcp-runtime-cli). ' +
    'One invalid manifest and nothing is applied; every object is first checked by a server-side dry run. ' +
    'Missing namespaces are created. Reports created / configured / unchanged per object. ' +
    'Each server is labelled with its source (the folder, or --source), so --prune can later delete the servers ' +
    'that left the folder. A folder with a kustomization.yaml (as `pipeline generate` writes) is accepted.';

  static override examples = [
    '<%= config.bin %> pipeline deploy --dir manifests/',
    '<%= config.bin %> pipeline deploy --dir manifests/ --dry-run',
    '<%= config.bin %> pipeline deploy --dir manifests/ --prune --dry-run',
  ];

  static override flags = {
    ...problemsJsonFlag,
    dir: Flags.string({ description: 'Folder (or file) of MCPServer manifests (*.yaml, *.yml; multi-document).', default: 'manifests' }),
    'dry-run': Flags.boolean({ description: 'Server-side dry run: report what would change, write nothing.' }),
    'force-conflicts': Flags.boolean({ description: 'Take over fields another field manager owns.' }),
    prune: Flags.boolean({ description: 'Delete the MCPServers deployed earlier from this source that the folder no longer defines.' }),
    source: Flags.string({
      description: 'Name of the set of servers this folder deploys (recorded on each server; --prune deletes within it). Default: --dir relative to the working directory.',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(PipelineDeploy);
    const { loadManifests } = await import('../../pipeline/manifests.js');
    const manifests = await loadManifests(flags.dir); // before connecting: invalid files fail fast, offline
    const rest = await this.connect(flags);
    const { deployManifests } = await import('../../pipeline/deploy.js');
    const { deploySource } = await import('../../pipeline/source.js');
    const dryRun = flags['dry-run'];
    const source = deploySource(flags.dir, flags.source);
    const report = await deployManifests(rest, manifests, { dryRun, force: flags['force-conflicts'], source, prune: flags.prune });
    const suffix = dryRun ? ' (dry run)' : '';
    for (const ns of report.namespaces.filter((n) => n.outcome === 'created')) this.log(`${'created'.padEnd(10)} Namespace ${ns.name}${suffix}`);
    for (const o of report.objects) this.log(`${o.outcome.padEnd(10)} ${o.ref}${suffix}${o.note !== undefined ? ` - ${o.note}` : ''}`);
    for (const p of report.pruned) this.log(`${'pruned'.padEnd(10)} ${p.ref}${suffix}${p.deleted ? '' : ' - already gone or re-created by someone else'}`);
    const count = (outcome: string) => report.objects.filter((o) => o.outcome === outcome).length;
    const pruned = flags.prune ? `, ${report.pruned.filter((p) => p.deleted).length} pruned` : '';
    this.log(
      `${report.objects.length} server(s): ${count('created')} created, ${count('configured')} configured, ${count('unchanged')} unchanged${pruned}${dryRun ? ' (dry run: nothing was written)' : ''}.`,
    );
  }
}
