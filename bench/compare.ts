/**
 * `tsx bench/compare.ts OLD.json NEW.json` (`npm run bench:compare -- OLD NEW`): two results
 * files compared offline, figure by figure, as `npm run bench -- --compare` does after a run.
 * Needs no cluster. Exit codes: 0 compared (a comparison never fails on a number), 2 wrong
 * usage, 3 a file is missing, not JSON or not a results file.
 */
import { parseArgs } from 'node:util';
import { ExitCode } from '../src/cli/exit-codes.js';
import { comparisonMarkdown, comparisonText } from './comparison-render.js';
import { compareResults } from './comparison.js';
import { readResultsFile, ResultsFileError } from './results-file.js';

const USAGE = `Usage: npm run bench:compare -- OLD.json NEW.json [--markdown]
       tsx bench/compare.ts OLD.json NEW.json [--markdown]

  Prints every figure present in both results files: old → new, the change in %, better or
  worse, and ! where the change is beyond the run-to-run noise. Figures in one file only are
  listed as added or removed.

  --markdown   print the markdown section the report would contain instead of the console table
  --help
`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { markdown: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return ExitCode.USAGE;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return ExitCode.OK;
  }
  const [oldFile, newFile, ...extra] = parsed.positionals;
  if (oldFile === undefined || newFile === undefined || extra.length > 0) {
    console.error(`expected two results files (OLD NEW), got ${parsed.positionals.length}\n\n${USAGE}`);
    return ExitCode.USAGE;
  }
  try {
    const comparison = compareResults(readResultsFile(oldFile), readResultsFile(newFile));
    console.log(parsed.values.markdown ? comparisonMarkdown(comparison) : comparisonText(comparison));
    return ExitCode.OK;
  } catch (error) {
    if (!(error instanceof ResultsFileError)) throw error;
    console.error(error.message);
    return ExitCode.INVALID_INPUT;
  }
}

process.exitCode = main(process.argv.slice(2));
