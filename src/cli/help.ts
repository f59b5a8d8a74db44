/**
 * oclif's help, plus an EXIT CODES section on the root help and on every command's help, built
 * from src/cli/exit-codes.ts so `--help`, docs/cli.md and the code cannot drift apart (a unit
 * test compares all three).
 */
import { Help, type Command } from '@oclif/core';
import { EXIT_CODE_DESCRIPTIONS } from './exit-codes.js';

/** The section as printed: `EXIT CODES` and one indented `N  meaning` line per code. */
export function exitCodesSection(): string {
  const codes = Object.entries(EXIT_CODE_DESCRIPTIONS).sort(([a], [b]) => Number(a) - Number(b));
  const width = Math.max(...codes.map(([code]) => code.length));
  return ['EXIT CODES', ...codes.map(([code, meaning]) => `  ${code.padStart(width)}  ${meaning}`)].join('\n');
}

export default class McpRuntimeHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.log(`\n${exitCodesSection()}`);
  }

  protected override formatCommand(command: Command.Loadable): string {
    return `${super.formatCommand(command)}\n\n${exitCodesSection()}`;
  }
}
