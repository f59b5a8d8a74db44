// Runs one mcp-runtime command from its TypeScript sources the way the built CLI runs it
// (oclif's production error handling: `Error: ...`, an exit code, no stack trace), for
// subprocess tests:
//   node --import tsx test/integration/registry/run-cli.ts registry push --image ...
// The command class is imported directly (src/commands/<topic>/<name>.ts) instead of being
// discovered, so a stale oclif.manifest.json from an earlier `npm run build` cannot hide it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { flush, handle } from '@oclif/core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const argv = process.argv.slice(2);
let file: string | undefined;
let rest: string[] = [];
for (let n = Math.min(argv.length, 3); n >= 1; n--) {
  const candidate = join(root, 'src', 'commands', ...argv.slice(0, n)) + '.ts';
  if (existsSync(candidate)) {
    file = candidate;
    rest = argv.slice(n);
    break;
  }
}
if (file === undefined) {
  console.error(`run-cli: no command file for "${argv.join(' ')}" under src/commands`);
  process.exit(127);
}
const command = (await import(pathToFileURL(file).href)).default as { run(argv: string[], root: string): Promise<unknown> };
try {
  await command.run(rest, root);
  await flush();
} catch (error) {
  await handle(error as Error);
}
