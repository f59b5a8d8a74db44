/**
 * An unknown command is a usage error: exit 2 (src/cli/exit-codes.ts) with the nearest command
 * as a suggestion, on one line, without prompting (oclif's plugin-not-found exits 127 and only
 * suggests on a terminal, after asking).
 */
import { Errors, toConfiguredId, type Hook } from '@oclif/core';
import { ExitCode } from '../exit-codes.js';
import { closestCommand } from '../suggest.js';

const hook: Hook.CommandNotFound = async function (opts) {
  const visible = opts.config.commands.filter((c) => !c.hidden);
  const ids = [...visible.map((c) => c.id), ...visible.flatMap((c) => c.aliases)];
  const typed = toConfiguredId(opts.id, opts.config);
  const suggestion = closestCommand(opts.id, ids);
  const hint = suggestion === undefined ? '' : ` Did you mean "${opts.config.bin} ${toConfiguredId(suggestion, opts.config)}"?`;
  const message = `"${typed}" is not a ${opts.config.bin} command.${hint} Run \`${opts.config.bin} --help\` for the list of commands.`;
  process.stderr.write(`Error: ${message}\n`);
  throw Object.assign(new Errors.CLIError(message, { exit: ExitCode.USAGE }), { skipOclifErrorHandling: true });
};

export default hook;
