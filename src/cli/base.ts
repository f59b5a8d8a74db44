/**
 * Base classes of every command. They add the global flags and turn known errors into a
 * one-paragraph message with a documented exit code (never a stack trace on user error).
 * Heavy modules (@kubernetes/client-node, zod, yaml) are imported lazily so `--help` stays fast.
 */
import { Command, Errors, Flags } from '@oclif/core';
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

/** For commands that read the user's files: their problems (and other errors) as JSON on stdout. */
export const problemsJsonFlag = {
  json: Flags.boolean({ description: 'Report errors as JSON on stdout, problems in files one object each (file, line, col, field, message).', helpGroup: 'OUTPUT' }),
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
  /**
   * Every failure ends here. Known ones (src/cli/errors.ts) are written by us, not by oclif:
   * oclif wraps its error text at the terminal width (80 columns without a TTY) and prefixes
   * every line with ` ›`, which breaks `file:line:col field: message` lines for grep and
   * editors. Bugs keep oclif's stack trace.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override async catch(error: Error & { exitCode?: number }): Promise<any> {
    if (error instanceof Errors.ExitError) throw error; // this.exit(n): nothing to say
    const { reportOf, renderReport } = await import('./errors.js');
    const report = reportOf(error);
    if (report === undefined) return super.catch(error); // a bug: keep the stack trace
    const json = this.jsonEnabled() || this.argv.includes('--json');
    const rendered = renderReport(report, json);
    if (json) process.stdout.write(rendered);
    else process.stderr.write(rendered);
    // Already reported: oclif's handler only exits with the code.
    throw Object.assign(new Errors.CLIError(report.message, { exit: report.exit }), { skipOclifErrorHandling: true, reported: rendered });
  }

  /** Writes to stderr (progress, warnings) so stdout stays parseable. */
  protected note(message: string): void {
    this.logToStderr(message);
  }

  /** `Warning: <message>` on stderr as one unwrapped line (oclif wraps at 80 columns and prefixes ` ›`). */
  override warn(input: string | Error): string | Error {
    if (!this.jsonEnabled()) process.stderr.write(`Warning: ${typeof input === 'string' ? input : input.message}\n`);
    return input;
  }

  /** A warning that must be seen even with --json (oclif mutes warn() then): security warnings. */
  warnAlways(message: string): void {
    if (this.jsonEnabled()) process.stderr.write(`Warning: ${message}\n`);
    else this.warn(message);
  }
}

export abstract class ClusterCommand extends BaseCommand {
  static override baseFlags = { ...kubeFlags };

  async connect(flags: KubeFlagValues): Promise<KubeRest> {
    const { connect } = await import('../kube/client.js');
    return connect({
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      requestTimeoutMs: (flags['request-timeout'] ?? 30) * 1000,
    });
  }
}
