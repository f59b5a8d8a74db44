/**
 * Wall-clock timings of the CLI as a user runs it: a fresh `node bin/run.js …` process each
 * time (cold start: module loading, oclif's command discovery). `bin/run.js` needs `dist/`;
 * command loading is fast only with `oclif.manifest.json` (both made by `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { median, seconds } from './pool.js';

export interface CliTiming {
  command: string;
  medianSeconds: number;
  runs: number[];
  ok: boolean;
  error?: string;
}

export interface CliSetup {
  hasDist: boolean;
  hasManifest: boolean;
  manifestBuiltAt?: string;
}

export function cliSetup(repoRoot: string): CliSetup {
  const manifest = join(repoRoot, 'oclif.manifest.json');
  const hasManifest = existsSync(manifest);
  return {
    hasDist: existsSync(join(repoRoot, 'dist', 'src', 'index.js')),
    hasManifest,
    ...(hasManifest ? { manifestBuiltAt: statSync(manifest).mtime.toISOString() } : {}),
  };
}

/** Runs `node bin/run.js <args>` `runs` times; args may change per run (fresh output folders). */
export function timeCli(repoRoot: string, args: (run: number) => string[], runs: number): CliTiming {
  const samples: number[] = [];
  let error: string | undefined;
  const shown = `node bin/run.js ${args(0).join(' ')}`;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const res = spawnSync(process.execPath, ['bin/run.js', ...args(i)], { cwd: repoRoot, encoding: 'utf8', env: cliEnv() });
    const ms = performance.now() - t;
    if (res.status !== 0) {
      error = `exit ${res.status ?? res.signal}: ${(res.stderr || res.stdout).trim().split('\n').slice(-5).join(' | ')}`;
      break;
    }
    samples.push(seconds(ms));
  }
  return { command: shown, medianSeconds: error === undefined ? median(samples) : Number.NaN, runs: samples, ok: error === undefined, ...(error === undefined ? {} : { error }) };
}

function cliEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (env.NODE_OPTIONS?.includes('tsx') === true) delete env.NODE_OPTIONS;
  return env;
}
