/**
 * npm run gen:check: renders the generated files afresh and fails, naming each file, when the
 * committed copy differs. `--root <dir>` checks another tree (the test uses it on a copy).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, renderAll } from './render.js';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = values.root === undefined ? PROJECT_ROOT : resolve(values.root);

const drifted: string[] = [];
for (const [relative, expected] of await renderAll()) {
  const actual = await readFile(join(root, relative), 'utf8').catch(() => undefined);
  if (actual === undefined) drifted.push(`${relative}: missing`);
  else if (actual !== expected) drifted.push(`${relative}: differs from what src/ generates`);
}

if (drifted.length > 0) {
  console.error('Generated files are out of date (edit src/api or src/metadata, then run `npm run gen`):');
  for (const line of drifted) console.error(`  ${line}`);
  process.exit(1);
}
console.log('generated files are up to date');
