/**
 * `mcp-runtime operator` straight from the TypeScript sources, for `--operator-from src`:
 * `node --import tsx bench/operator-src-entry.ts --kubeconfig … --concurrency …`.
 *
 * Not bin/dev.js: oclif's development mode still reads oclif.manifest.json when it exists and
 * then imports the command from dist/, so bin/dev.js silently runs the last build (checked with
 * DEBUG='*': "(import) /work/main/dist/src/commands/operator.js"). Calling the command class
 * from src/ keeps every import in src/.
 */
import Operator from '../src/commands/operator.js';

await Operator.run(process.argv.slice(2), new URL('..', import.meta.url).pathname);
