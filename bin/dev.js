#!/usr/bin/env -S node --import tsx
// Runs the commands straight from src/ (TypeScript through tsx) for development and tests.
//
// The development mode of oclif is not enough: whenever oclif.manifest.json exists, and every
// npm run build writes it, oclif imports each command from the dist/ path recorded in the
// manifest, so edits in src/ would silently not run. The command class is therefore imported
// from src/commands/ here; help, topics and unknown commands still go through oclif.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Config, execute, flush, handle } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const words = [];
for (const arg of argv) {
  if (arg.startsWith('-')) break;
  words.push(arg);
}
const wantsHelp = argv.some((arg) => arg === '--help' || arg === '-h');
// The longest leading run of words naming a file under src/commands/ is the command.
let depth = words.length;
const sourceOf = (n) => join(root, 'src', 'commands', ...words.slice(0, n)) + '.ts';
while (depth > 0 && !existsSync(sourceOf(depth))) depth--;

if (depth === 0 || wantsHelp) {
  await execute({ development: true, dir: import.meta.url });
} else {
  const config = await Config.load(root);
  const { default: command } = await import(pathToFileURL(sourceOf(depth)).href);
  try {
    await command.run(argv.slice(depth), config);
    await flush();
  } catch (error) {
    await handle(error);
  }
}
