import { Flags } from '@oclif/core';
import { problemsJsonFlag, BaseCommand } from '../cli/base.js';
import { ExitCode } from '../cli/exit-codes.js';
import { platformFlags, platformOptionsOf, serverDefaultFlags } from '../cli/platform-flags.js';

// Platform-only flags make no sense with --servers (oclif ignores defaults when checking this).
const platformOnly = { exclusive: ['servers'] };

export default class Synth extends BaseCommand {
  static override summary = 'Write Kubernetes YAML for the platform, or for MCPServer manifests, without a cluster';
  static override description = [
    'Without --servers, writes the platform (namespaces, CRDs, operator, registry, Traefik): one file per chart plus kustomization.yaml, ready for `kubectl apply -k <output-dir>`.',
    "With --servers, renders the objects the operator would create for each MCPServer manifest in the folder (NetworkPolicy, Deployment, Service, Ingress, Traefik Middleware, pull Secret) with the same code the operator runs. Invalid manifests are reported with file, line and field, and nothing is written. The provisioned registry's password, if any, is read from PROVISIONED_REGISTRY_PASSWORD, never from a flag.",
    'Output is deterministic: the same input gives byte-identical files.',
  ].join('\n\n');

  // oclif's generated usage line cannot show two modes with exclusive flags (it prints `| ]`).
  static override usage = [
    'synth --output-dir <dir> [--ingress traefik|none] [--ingress-variant prod|dev] [--traefik-service-type <type>] [--ingress-class <class>] [--ingress-readiness strict|permissive] [--registry internal|<url>] [--registry-storage-size <size>] [--registry-storage-class <class>] [--registry-allow-cidr <cidr>...] [--registry-cluster-ip <ip>] [--operator-image <image>] [...]',
    'synth --servers <dir> --output-dir <dir> [--default-ingress-host <host>] [--ingress-class <class>] [--provisioned-registry <url>] [--registry-username <user>] [--registry-pull-secret <name>]',
  ];

  static override examples = [
    { description: 'The platform with defaults (Traefik prod, in-cluster registry)', command: '<%= config.bin %> synth --output-dir deploy/platform' },
    { description: 'Development: Traefik dashboard on, external registry', command: '<%= config.bin %> synth --output-dir deploy/platform --ingress-variant dev --registry reg.example.com/team --registry-username ci' },
    { description: 'Bring your own ingress controller', command: '<%= config.bin %> synth --output-dir deploy/platform --ingress none --ingress-class nginx' },
    { description: "Render servers' objects offline", command: '<%= config.bin %> synth --servers manifests/ --output-dir deploy/servers --default-ingress-host mcp.example.com' },
  ];

  static override flags = {
    ...problemsJsonFlag,
    // kubectl's meaning of --output/-o is the output format; a folder is --output-dir.
    'output-dir': Flags.string({ aliases: ['output'], charAliases: ['o'], deprecateAliases: true, required: true, description: 'Folder to write (created if missing; files of the same name are replaced). (--output and -o are deprecated aliases.)' }),
    ...platformFlags(platformOnly),
    ...serverDefaultFlags,
    servers: Flags.directory({ description: 'Folder of MCPServer manifests to render instead of the platform', exists: true }),
    registry: Flags.string({ ...platformOnly, default: 'internal', description: "'internal' (in-cluster registry:2) or the URL of an external registry" }),
    'registry-username': Flags.string({ description: 'User of the external (provisioned) registry' }),
    'registry-pull-secret': Flags.string({ description: 'Name of the pull Secret generated in server namespaces [default: mcp-runtime-registry-creds]' }),
    'registry-password-secret': Flags.string({ ...platformOnly, description: 'Secret in mcp-runtime whose key "password" holds the external registry password [default: mcp-runtime-registry, the one `registry provision` writes]' }),
    'operator-image': Flags.string({ ...platformOnly, description: 'Operator image [default: ghcr.io/agent-hellboy/mcp-runtime:<this version>]' }),
    'provisioned-registry': Flags.string({ dependsOn: ['servers'], description: 'With --servers: the provisioned registry URL (PROVISIONED_REGISTRY_URL)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Synth);
    const { renderPlatformFiles, renderServerFiles } = await import('../synth/command.js');

    if (flags.servers !== undefined) {
      const result = await renderServerFiles({
        serversDir: flags.servers,
        output: flags['output-dir'],
        defaultIngressHost: flags['default-ingress-host'],
        ingressClass: flags['ingress-class'],
        provisionedRegistry: flags['provisioned-registry'],
        registryUsername: flags['registry-username'],
        pullSecretName: flags['registry-pull-secret'],
        // The password never comes from a flag (shell history, process list).
        registryPassword: process.env.PROVISIONED_REGISTRY_PASSWORD,
      });
      // Invalid manifests (file:line:col problems): the CLI-wide "invalid input" code.
      if ('error' in result) this.error(result.error, { exit: result.cannotWrite === true ? ExitCode.CANNOT_WRITE : ExitCode.INVALID_INPUT });
      for (const warning of result.warnings) this.warn(warning);
      for (const file of result.written) this.log(`wrote ${file}`);
      return;
    }

    const result = await renderPlatformFiles({
      output: flags['output-dir'],
      options: {
        ...platformOptionsOf(flags),
        registry:
          flags.registry === 'internal'
            ? 'internal'
            : {
                url: flags.registry,
                ...(flags['registry-username'] === undefined ? {} : { username: flags['registry-username'] }),
                ...(flags['registry-pull-secret'] === undefined ? {} : { pullSecretName: flags['registry-pull-secret'] }),
                ...(flags['registry-password-secret'] === undefined ? {} : { passwordSecret: flags['registry-password-secret'] }),
              },
        operatorImage: flags['operator-image'] ?? `ghcr.io/agent-hellboy/mcp-runtime:${this.config.version}`,
      },
    });
    // Malformed flags (a CIDR, a host): the CLI-wide "invalid input" code.
    if ('error' in result) {
      this.error(result.error, { exit: result.cannotWrite === true ? ExitCode.CANNOT_WRITE : result.invalidInput === true ? ExitCode.INVALID_INPUT : 1 });
    }
    for (const file of result.written) this.log(`wrote ${file}`);
  }
}
