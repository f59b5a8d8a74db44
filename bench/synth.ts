/**
 * In-process timings of the offline paths: platform synth (the library behind `mcp-runtime
 * synth`) and `pipeline generate` of 1,000 servers (the command's own library calls), on a
 * temp `.mcp/` folder this module writes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { median, seconds } from './pool.js';

export interface TimedRuns {
  /** First run in this process (module import included for synth). */
  firstSeconds: number;
  /** Median of the following runs. */
  medianSeconds: number;
  runs: number[];
}

/** Platform synth: renderPlatform + YAML of every chart (synthPlatform), `runs` times after a first import+run. */
export async function timePlatformSynth(runs = 5): Promise<TimedRuns & { files: number; objects: number }> {
  const t0 = performance.now();
  const { synthPlatform } = await import('../src/synth/index.js');
  const first = synthPlatform({});
  const firstMs = performance.now() - t0;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    synthPlatform({});
    samples.push(seconds(performance.now() - t));
  }
  const { renderPlatform } = await import('../charts-ts/platform/index.js');
  const objects = renderPlatform({}).reduce((sum, chart) => sum + chart.objects.length, 0);
  return { firstSeconds: seconds(firstMs), medianSeconds: median(samples), runs: samples, files: first.size, objects };
}

/** A metadata folder with `n` servers in files of 100, as a large team would have. */
export function writeMetadataFolder(n: number): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'mcp-runtime-bench-meta-'));
  const dir = join(root, '.mcp');
  mkdirSync(dir);
  const perFile = 100;
  for (let file = 0; file * perFile < n; file++) {
    const servers = [];
    for (let i = file * perFile; i < Math.min(n, (file + 1) * perFile); i++) {
      servers.push({
        name: `svc-${String(i).padStart(4, '0')}`,
        description: `Benchmark server ${i}`,
        image: `registry.example.com/team-${file}/svc-${i}`,
        imageTag: '1.2.3',
        port: 8088,
        replicas: 1 + (i % 3),
        probe: { type: 'http', path: '/healthz' },
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
        envVars: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'SERVER_INDEX', value: String(i) }],
      });
    }
    writeFileSync(join(dir, `team-${String(file).padStart(2, '0')}.yaml`), stringify({ version: 'v1', servers }));
  }
  return { root, dir };
}

/**
 * What `pipeline generate` does, in-process and through the same library calls (planGenerate:
 * load, validate, render; writeGenerated: temp files then renames); `runs` runs into fresh
 * folders. The first run includes importing the library.
 */
export async function timeGenerateInProcess(metadataDir: string, outputRoot: string, runs = 3): Promise<TimedRuns & { servers: number }> {
  const t0 = performance.now();
  const { planGenerate, writeGenerated } = await import('../src/pipeline/generate.js');
  const importMs = performance.now() - t0;
  let servers = 0;
  const once = async (out: string): Promise<number> => {
    const t = performance.now();
    const files = await planGenerate(metadataDir);
    writeGenerated(files, out);
    servers = files.length;
    return performance.now() - t;
  };
  const firstMs = importMs + (await once(join(outputRoot, 'in-process-0')));
  const samples: number[] = [];
  for (let i = 1; i <= runs; i++) samples.push(seconds(await once(join(outputRoot, `in-process-${i}`))));
  return { firstSeconds: seconds(firstMs), medianSeconds: median(samples), runs: samples, servers };
}

export function removeFolder(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
