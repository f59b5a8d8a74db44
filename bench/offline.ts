/** The offline timings: platform synth, `pipeline generate` of 1,000 servers, `--help`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliSetup, timeCli } from './cli-timing.js';
import { log, type Run } from './run-context.js';
import { removeFolder, timeGenerateInProcess, timePlatformSynth, writeMetadataFolder } from './synth.js';

export async function offlinePhases(run: Run): Promise<void> {
  const { o, r, repoRoot } = run;
  const synth = await run.phase('platform synth', () => timePlatformSynth(o.smoke ? 3 : 5));
  if (synth) {
    r.synth = synth;
    r.synthSeconds = synth.medianSeconds;
  }
  const meta = writeMetadataFolder(1000);
  try {
    const inProcess = await run.phase('generate (in-process)', () => timeGenerateInProcess(meta.dir, join(meta.root, 'out'), o.smoke ? 1 : 3));
    const setup = cliSetup(repoRoot);
    const hasGenerateCommand = existsSync(join(repoRoot, 'dist', 'src', 'commands', 'pipeline', 'generate.js'));
    const cli = setup.hasDist && hasGenerateCommand
      ? await run.phase('generate (CLI)', async () => timeCli(repoRoot, (i) => ['pipeline', 'generate', '--dir', meta.dir, '--output-dir', join(meta.root, `out-cli-${i}`)], o.smoke ? 1 : 3))
      : undefined;
    if (inProcess) {
      const byCli = cli?.ok === true;
      r.generate = { servers: inProcess.servers, inProcess, ...(cli ? { cli } : {}), measuredBy: byCli ? 'cli' : 'in-process' };
      r.generate1000Seconds = byCli ? cli.medianSeconds : inProcess.medianSeconds;
      if (cli && !cli.ok) r.errors.push(`generate (CLI): ${cli.error ?? 'failed'}`);
    }
    if (setup.hasDist) {
      const help = timeCli(repoRoot, () => ['--help'], 5);
      r.help = { ...help, hasManifest: setup.hasManifest, ...(setup.manifestBuiltAt ? { manifestBuiltAt: setup.manifestBuiltAt } : {}) };
      if (help.ok) r.helpSeconds = help.medianSeconds;
      else r.errors.push(`--help: ${help.error ?? 'failed'}`);
    } else {
      r.errors.push('--help and CLI generate not measured: dist/ is missing (npm run build)');
    }
  } finally {
    removeFolder(meta.root);
  }
  log(`offline: synth ${r.synthSeconds} s, generate 1000 ${r.generate1000Seconds} s (${r.generate?.measuredBy ?? '—'}), --help ${r.helpSeconds} s`);
}

