/**
 * `npm run bench`: the operator on a local control plane (converge, idle, update wave, floor)
 * and the offline paths (synth, pipeline generate, --help). See USAGE in options.ts and
 * bench/README.md. Results: bench/results/latest.{md,json} plus a dated copy, e.g.
 * 2026-11-23T2318Z.{md,json} (smoke runs: smoke.{md,json}; failed, partial or profiled runs go
 * to bench/results/tmp/<run>/ and never replace latest). Every file records the command line,
 * the commit, the machine, the load and the start/end time. --compare [FILE] adds a comparison
 * with the previous committed run (or FILE). Exit codes: 0 unless a phase failed (1): targets
 * are reported, never enforced; 2 wrong usage; 3 the --compare file is missing or not a results
 * file (checked before the run); 130 interrupted.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ExitCode } from '../src/cli/exit-codes.js';
import { signalGroup } from '../src/local-cluster/process.js';
import { clusterPhases } from './cluster-phases.js';
import { repoRootOf } from './cluster.js';
import { comparisonText } from './comparison-render.js';
import { compareResults } from './comparison.js';
import { currentLoad, machineInfo } from './machine.js';
import { offlinePhases } from './offline.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { describeGit, gitState, npmCommand } from './provenance.js';
import { checkTargets, summary, withDerived, writeResults } from './report.js';
import { previousCommittedRun, readResultsFile, ResultsFileError, type LoadedResults } from './results-file.js';
import { RESULTS_SCHEMA_VERSION, type BenchResults } from './results-types.js';
import { elapsedSeconds, log, message, type Run } from './run-context.js';
import { userFacingFigures } from './user-facing.js';
import { runEntry } from './entry.js';

/** e.g. 2026-11-23T2318Z: several runs a day keep their own copies. */
const datedName = (d: Date): string => `${d.toISOString().slice(0, 16).replace(':', '')}Z`;

/** The run to compare with, read before the run so a bad file costs seconds, not the whole run. */
async function baselineFor(o: BenchOptions, repoRoot: string): Promise<LoadedResults | undefined> {
  if (o.compare === undefined) return undefined;
  if (o.compare === 'previous') return previousCommittedRun(repoRoot, o.smoke ? 'smoke' : 'latest');
  return readResultsFile(o.compare.file);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let parsed: BenchOptions | 'help';
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    console.error(`${message(error)}\n\n${USAGE}`);
    return ExitCode.USAGE;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return ExitCode.OK;
  }
  const o = parsed;
  const date = new Date();
  const repoRoot = repoRootOf();
  let baseline: LoadedResults | undefined;
  try {
    baseline = await baselineFor(o, repoRoot);
  } catch (error) {
    if (!(error instanceof ResultsFileError)) throw error;
    console.error(`--compare: ${error.message}`);
    return ExitCode.INVALID_INPUT;
  }
  const runId = date.toISOString().replace(/[:.]/g, '-');
  const workDir = join(repoRoot, 'bench', 'results', 'tmp', runId);
  mkdirSync(workDir, { recursive: true });
  const machine = machineInfo();
  const git = await gitState(repoRoot);
  const command = npmCommand(argv);
  log(`${command}: n=${o.n}, concurrency ${o.concurrency}; commit ${describeGit(git)}; ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`);
  if (baseline) log(`comparing with ${baseline.label} at the end`);

  const r: BenchResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    n: o.n,
    convergeSeconds: null,
    readySeconds: null,
    floorSeconds: null,
    ratio: null,
    idleWrites: null,
    updateWaveSeconds: null,
    peakRssMb: null,
    synthSeconds: null,
    generate1000Seconds: null,
    helpSeconds: null,
    machine,
    date: date.toISOString(),
    endedAt: '',
    smoke: o.smoke,
    command,
    argv,
    git,
    concurrency: o.concurrency,
    createConcurrency: o.createConcurrency,
    idleWindowSeconds: o.idleSeconds,
    durationSeconds: 0,
    loadAverageAtEnd: [0, 0, 0],
    errors: [],
    targets: [],
  };

  const abort = new AbortController();
  let operatorPid: number | undefined;
  // Last resort: the operator runs in its own process group; never leave it behind.
  process.on('exit', () => {
    if (operatorPid !== undefined) signalGroup(operatorPid, 'SIGKILL');
  });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      log(`${sig} again: exiting now`);
      process.exit(130);
    }
    log(`${sig}: stopping the operator and the control plane…`);
    abort.abort(new Error(`interrupted by ${sig}`));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);

  const run: Run = {
    o,
    r,
    repoRoot,
    workDir,
    abort,
    async phase(name, fn) {
      if (abort.signal.aborted) return undefined;
      try {
        return await fn();
      } catch (error) {
        r.errors.push(`${name}: ${message(error)}`);
        log(`${name} FAILED: ${message(error)}`);
        return undefined;
      }
    },
  };

  try {
    if (!o.skipOffline) await offlinePhases(run);
    if (!o.skipCluster && !abort.signal.aborted) {
      await clusterPhases(run, (pid) => {
        operatorPid = pid;
      });
    }
  } catch (error) {
    // After an interrupt, phases throw the abort reason; it is recorded once below.
    if (!abort.signal.aborted) {
      r.errors.push(message(error));
      log(`FAILED: ${message(error)}`);
    }
  }
  if (abort.signal.aborted && !r.errors.some((e) => e.includes(message(abort.signal.reason)))) r.errors.push(message(abort.signal.reason));

  const userFacing = userFacingFigures(repoRoot);
  if (userFacing !== undefined) r.userFacing = userFacing;
  r.durationSeconds = elapsedSeconds();
  r.loadAverageAtEnd = currentLoad();
  r.endedAt = new Date().toISOString();
  withDerived(r);
  r.targets = checkTargets(r);
  const comparison = baseline ? compareResults(baseline, { label: 'this run', results: { ...r } }) : undefined;
  // Profiled runs are skewed (the profiler holds samples in memory and costs CPU): never `latest`.
  // So are A/B runs: converge alone, or the operator under other node flags than it ships with.
  const abRun = o.convergeOnly || o.operatorNodeFlags !== undefined;
  const complete = !o.skipCluster && !o.skipOffline && !o.cpuProf && !abRun && r.errors.length === 0;
  const written =
    r.errors.length > 0
      ? writeResults(r, workDir, ['failed'], comparison)
      : o.smoke
        ? writeResults(r, o.output ?? (o.cpuProf || abRun ? workDir : join(repoRoot, 'bench', 'results')), ['smoke'], comparison)
        : complete
          ? writeResults(r, o.output ?? join(repoRoot, 'bench', 'results'), ['latest', datedName(date)], comparison)
          : writeResults(r, workDir, ['partial'], comparison);
  console.log(`\n${summary(r)}\n`);
  if (comparison) console.log(`${comparisonText(comparison)}\n`);
  log(`wrote ${written.map((p) => relative(process.cwd(), p)).join(', ')}`);
  if (r.errors.length > 0) {
    console.error(`\n${r.errors.length} error(s):\n  ${r.errors.join('\n  ')}`);
    return abort.signal.aborted ? 130 : 1;
  }
  return 0;
}

runEntry(main);
