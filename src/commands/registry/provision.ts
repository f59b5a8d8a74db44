import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { CliError } from '../../cli/errors.js';
import { ExitCode } from '../../cli/exit-codes.js';

export default class RegistryProvision extends ClusterCommand {
  static override description = `Use an external registry instead of the in-cluster one.

Stores the registry in the cluster as the Secret mcp-runtime-registry in namespace mcp-runtime (keys url, username, password); \`setup\` then points the operator at it and skips the in-cluster registry. The password is kept only in that Secret: never in a file on this machine, never printed. Give it on stdin (--password-stdin) or in MCP_RUNTIME_REGISTRY_PASSWORD; --password works but lands in shell history. Without any of them and with a terminal, you are prompted.

The registry URL and operator image (not secret) are also cached in ~/.config/mcp-runtime/config.yaml for the current context, so \`server build\` can name images without asking the cluster.`;

  static override examples = [
    '<%= config.bin %> registry provision --url reg.example.com/team --username ci --password-stdin < token.txt',
    'MCP_RUNTIME_REGISTRY_PASSWORD=... <%= config.bin %> registry provision --url reg.example.com --username ci',
    '<%= config.bin %> registry provision --url ghcr.io/acme --operator-image ghcr.io/acme/mcp-runtime:0.1.0',
  ];

  static override flags = {
    url: Flags.string({ description: 'Registry host[:port][/path], e.g. reg.example.com/team.', required: true }),
    username: Flags.string({ description: 'User for pushes and pulls (omit for an anonymous registry).' }),
    'password-stdin': Flags.boolean({ description: 'Read the password (or token) from stdin.', default: false }),
    password: Flags.string({ description: 'Password on the command line (discouraged: shell history, process list).' }),
    'operator-image': Flags.string({ description: 'Operator image `setup` should deploy from this registry.' }),
    'no-cache': Flags.boolean({ description: 'Do not cache the URL and operator image in ~/.config/mcp-runtime/config.yaml.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(RegistryProvision);
    const { choosePassword, provisionRegistry, validateProvisionInput, PASSWORD_ENV } = await import('../../registry/provision.js');
    const { readAllStdin, promptHidden } = await import('../../registry/prompt.js');
    const { cacheRegistry } = await import('../../registry/config-file.js');

    if (flags['password-stdin'] && flags.password !== undefined) throw new CliError('Give the password one way: --password-stdin or --password.', ExitCode.USAGE);
    if (flags.password !== undefined) {
      this.warn('--password puts the password in your shell history and the process list; prefer --password-stdin or ' + PASSWORD_ENV + '.');
    }
    const chosen = choosePassword({
      ...(flags['password-stdin'] ? { stdin: await readAllStdin() } : {}),
      ...(process.env[PASSWORD_ENV] === undefined ? {} : { env: process.env[PASSWORD_ENV] }),
      ...(flags.password === undefined ? {} : { flag: flags.password }),
    });
    let { password } = chosen;
    let from: string | undefined = chosen.source;
    if (flags.username !== undefined && password === undefined) {
      if (!process.stdin.isTTY) {
        throw new CliError(`--username ${flags.username} needs a password: pipe it with --password-stdin or set ${PASSWORD_ENV}.`, ExitCode.USAGE);
      }
      password = await promptHidden(`Password for ${flags.username}@${flags.url}: `);
      from = 'prompt';
      if (password === '') throw new CliError('Empty password.', ExitCode.USAGE);
    }
    const input = validateProvisionInput({
      url: flags.url,
      ...(flags.username === undefined ? {} : { username: flags.username }),
      ...(password === undefined ? {} : { password }),
      ...(flags['operator-image'] === undefined ? {} : { operatorImage: flags['operator-image'] }),
    });
    const { client, kc } = await this.connect(flags);
    const result = await provisionRegistry(client, input);
    if (result.createdNamespace) this.logToStderr(`Created namespace ${result.namespace}.`);
    this.log(
      `Stored registry ${input.url}${input.username === undefined ? ' (anonymous)' : ` (user ${input.username}, password from ${from})`} ` +
        `in Secret ${result.namespace}/${result.secretName}.`,
    );
    if (!flags['no-cache']) {
      const context = kc.getCurrentContext();
      await cacheRegistry(context, { url: input.url, ...(input.operatorImage === undefined ? {} : { operatorImage: input.operatorImage }) });
    }
    this.log('Run `mcp-runtime setup` to point the operator at it.');
  }
}
