// @oclif/test captures nothing under jest's buffered console, and ink (used by @oclif/table)
// calls `new console.Console()`; a real node:console with a `.Console` property serves both.
import { Console } from 'node:console';

const realConsole = new Console({ stdout: process.stdout, stderr: process.stderr }) as Console & {
  Console: typeof Console;
};
realConsole.Console = Console;
globalThis.console = realConsole;
