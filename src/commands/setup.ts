import { Flags } from '@oclif/core';
import { ClusterCommand } from '../cli/base.js';
import { platformFlags, platformOptionsOf, serverDefaultFlags } from '../cli/platform-flags.js';

export default class Setup extends ClusterCommand {
  static override description =
    'Install or update the platform: namespaces, the MCPServer CRD, the operator, the in-cluster registry (skipped when ' +
    '`registry provision` configured an external one) and Traefik (skipped when an IngressClass already exists). ' +
    'Server-side apply, idempotent: a second run changes nothing and says so. Waits until the Deployments are available.';

  static override examples = [
    '<%= config.bin %> setup',
    '<%= config.bin %> setup --dry-run',
    '<%= config.bin %> setup --ingress none --operator-image registry.example.com/mcp-runtime:0.1.0',
    '<%= config.bin %> setup --ingress-variant dev --default-ingress-host mcp.example.com --timeout 600',
  ];

  static override flags = {
    ...platformFlags(),
    ...serverDefaultFlags,
    'force-ingress-install': Flags.boolean({ description: 'Install Traefik even when an IngressClass already exists.' }),
    registry: Flags.string({
      description: 'internal: run the in-cluster registry. external: use the registry stored by `registry provision`. Default: external when one was provisioned, else internal.',
      options: ['internal', 'external'],
    }),
    'operator-image': Flags.string({ description: 'Operator image. Default: the one given to `registry provision`, else $OPERATOR_IMG, else the release image.' }),
    'dry-run': Flags.boolean({ description: 'Server-side dry run: show what would change (field by field), write nothing.' }),
    timeout: Flags.integer({ description: 'Seconds to wait for the Deployments to become available.', default: 300, min: 1 }),
    wait: Flags.boolean({ description: 'Wait for the Deployments (--no-wait to return after applying).', default: true, allowNo: true }),
    verbose: Flags.boolean({ char: 'v', description: 'List every object, not just the ones that changed.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Setup);
    const rest = await this.connect(flags);
    const { setupPlatform } = await import('../setup/setup.js');
    const { renderChanges } = await import('../pipeline/field-diff.js');
    const { describeWaiting } = await import('../setup/setup.js');
    const dryRun = flags['dry-run'];
    const tty = process.stderr.isTTY === true;
    let last = '';
    const report = await setupPlatform(rest, {
      ingress: flags.ingress as 'traefik' | 'none',
      platform: platformOptionsOf(flags),
      forceIngressInstall: flags['force-ingress-install'],
      ...(flags.registry !== undefined ? { registry: flags.registry as 'internal' | 'external' } : {}),
      ...(flags['operator-image'] !== undefined ? { operatorImage: flags['operator-image'] } : {}),
      dryRun,
      wait: flags.wait,
      timeoutMs: flags.timeout * 1000,
      log: (line) => {
        if (line.startsWith('note:')) this.note(line);
        else if (flags.verbose || !line.startsWith('unchanged')) this.log(line);
      },
      onWait: (snapshot, elapsedMs) => {
        const waiting = describeWaiting(snapshot);
        const text = waiting === '' ? 'all Deployments available' : `waiting for ${waiting}`;
        if (tty) process.stderr.write(`\r\u001b[K[${Math.round(elapsedMs / 1000)}s] ${text}`);
        else if (text !== last) this.note(text);
        last = text;
      },
    });
    if (tty && !dryRun && flags.wait) process.stderr.write('\r\u001b[K');
    if (dryRun) {
      for (const o of report.objects.filter((x) => x.changes !== undefined && x.changes.length > 0)) {
        this.log(`${o.ref}:`);
        for (const line of renderChanges(o.changes ?? [], '    ')) this.log(line);
      }
    }
    const { created, configured, unchanged } = report.counts;
    const changed = created + configured;
    if (changed === 0) this.log(`No changes: all ${unchanged} platform objects are up to date.`);
    else this.log(`${created} created, ${configured} configured, ${unchanged} unchanged${dryRun ? ' (dry run: nothing was written)' : ''}.`);
    if (report.deployments.length > 0) this.log(`Ready: ${report.deployments.map((d) => `${d.namespace}/${d.name} ${d.ready}/${d.desired}`).join(', ')}`);
    else if (!dryRun && !flags.wait) this.log('Not waiting for the Deployments (--no-wait); check with `mcp-runtime status`.');
    for (const line of report.endpoints) this.log(line);
    if (flags.ingress === 'traefik' && flags['with-tls'] === undefined && !dryRun) {
      this.warn('the edge serves plain HTTP (no --with-tls): tokens and tool data travel unencrypted; fine for a local sandbox only, elsewhere give Traefik a certificate with --with-tls <secret>');
    }
  }
}
