/**
 * Base classes of every command. They add the global flags and turn known errors into a
 * one-paragraph message with a documented exit code (never a stack trace on user error).
 * Heavy modules (@kubernetes/client-node, zod, yaml) are imported lazily so `--help` stays fast.
 */
import { Command, Flags } from '@oclif/core';
import type { KubeRest } from '../kube/rest.js';
import type { OutputFormat } from './output.js';

export const kubeFlags = {
  kubeconfig: Flags.string({
    description: 'Path to the kubeconfig file. Default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.',
    helpGroup: 'CLUSTER',
  }),
  context: Flags.string({ description: 'kubeconfig context to use. Default: the current context.', helpGroup: 'CLUSTER' }),
  'request-timeout': Flags.integer({
    description: 'Seconds to wait for each API request.',
    default: 30,
    min: 1,
    helpGroup: 'CLUSTER',
  }),
};

export const outputFlags = {
  output: Flags.string({
    char: 'o',
    description: 'Output format. Default: table.',
    options: ['table', 'json', 'yaml'],
    helpGroup: 'OUTPUT',
  }),
  json: Flags.boolean({ description: 'Same as -o json.', helpGroup: 'OUTPUT' }),
};

export function outputFormat(flags: { output?: string; json?: boolean }): OutputFormat {
  if (flags.json === true) return 'json';
  return (flags.output as OutputFormat | undefined) ?? 'table';
}

export interface KubeFlagValues {
  kubeconfig?: string;
  context?: string;
  'request-timeout'?: number;
}

export abstract class BaseCommand extends Command {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override async catch(error: Error & { exitCode?: number }): Promise<any> {
    // Parse errors, this.error() and this.exit() already carry an exit code.
    if ((error as { oclif?: { exit?: number } }).oclif?.exit !== undefined) return super.catch(error);
    const { translateError } = await import('./errors.js');
    const translated = translateError(error);
    if (translated === undefined) return super.catch(error); // a bug: keep the stack trace
    try {
      this.error(translated.message, { exit: translated.exit });
    } catch (cliError) {
      return super.catch(cliError as Error);
    }
  }

  /** Writes to stderr (progress, warnings) so stdout stays parseable. */
  protected note(message: string): void {
    this.logToStderr(message);
  }
}

export abstract class ClusterCommand extends BaseCommand {
  static override baseFlags = { ...kubeFlags };

  protected async connect(flags: KubeFlagValues): Promise<KubeRest> {
    const { connect } = await import('../kube/client.js');
    return connect({
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      requestTimeoutMs: (flags['request-timeout'] ?? 30) * 1000,
    });
  }
}
