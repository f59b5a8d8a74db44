import { dirname } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';

export default class ClusterProvision extends BaseCommand {
  static override description =
    'Create a cluster. kind: through the `kind` binary (N nodes). local: a real Kubernetes control plane on this machine ' +
    '(etcd, kube-apiserver, controller manager, scheduler) with nodes simulated by KWOK - pods are scheduled and reported ' +
    'Running but no container runs; it stays in the foreground until Ctrl-C, then removes everything. gke/eks/aks: prints ' +
    'the command to run.';

  static override examples = [
    '<%= config.bin %> cluster provision --provider local --kubeconfig ./sandbox.kubeconfig',
    '<%= config.bin %> cluster provision --provider kind --nodes 3 --name mcp',
    '<%= config.bin %> cluster provision --provider gke --nodes 3',
  ];

  static override flags = {
    provider: Flags.string({ description: 'Where to create the cluster.', options: ['kind', 'local', 'gke', 'eks', 'aks'], default: 'kind' }),
    nodes: Flags.integer({ description: 'Number of nodes (kind: 1 control plane + N-1 workers; local: simulated nodes).', default: 1, min: 1, max: 50 }),
    name: Flags.string({ description: 'Cluster name.', default: 'mcp-runtime' }),
    kubeconfig: Flags.string({
      description: 'Where to write the kubeconfig of the new cluster (local: required-ish, default ./mcp-runtime-sandbox.kubeconfig; kind: default ~/.kube/config).',
    }),
    'dry-run': Flags.boolean({ description: 'Print what would be done (the kind config, the command) without doing it.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ClusterProvision);
    const lib = await import('../../cluster/provision.js');
    const provider = flags.provider as (typeof lib.PROVIDERS)[number];
    if (provider === 'gke' || provider === 'eks' || provider === 'aks') {
      this.log(`mcp-runtime does not create ${provider.toUpperCase()} clusters itself. Run:`);
      for (const line of lib.cloudCommands(provider, flags.name, flags.nodes)) this.log(`  ${line}`);
      this.log('then `mcp-runtime setup` against the new context.');
      return;
    }
    if (provider === 'kind') {
      const certsDir = lib.kindCertsDir(flags.name);
      if (flags['dry-run']) {
        this.log(`would write ${certsDir} (containerd hosts files: plain HTTP for the in-cluster registry only)`);
        this.log(`would run: kind ${lib.kindArgs(flags.name, '<tmp>/kind-config.yaml', flags.kubeconfig).join(' ')}`);
        this.log('with kind-config.yaml:');
        this.log(lib.kindConfig(flags.nodes, certsDir).trimEnd());
        return;
      }
      await lib.provisionKind({ name: flags.name, nodes: flags.nodes, kubeconfig: flags.kubeconfig, log: (l) => this.log(l) });
      const next = await lib.kindNextSteps(flags.name, flags.kubeconfig);
      this.log(`kind cluster "${flags.name}" is ready (context kind-${flags.name}); its nodes pull the platform registry's images through ${certsDir}.`);
      this.log(`next: \`${next.command}\``);
      if (next.note !== undefined) this.note(next.note);
      this.log(`after \`kind delete cluster --name ${flags.name}\`, remove ${dirname(certsDir)}`);
      return;
    }
    const kubeconfig = flags.kubeconfig ?? 'mcp-runtime-sandbox.kubeconfig';
    if (flags['dry-run']) {
      this.log(
        `would start a local control plane with ${flags.nodes} simulated node(s) (KWOK: containers do not really run), ` +
          `write its admin kubeconfig to ${kubeconfig}, and stay in the foreground until Ctrl-C`,
      );
      return;
    }
    await lib.provisionLocal({ kubeconfig, nodes: flags.nodes, log: (l) => this.log(l) });
    this.log('sandbox stopped; everything it created was removed');
  }
}
