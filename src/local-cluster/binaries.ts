import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINARY_NAMES, type BinaryName, type BinaryPaths, type LogFn } from './types.js';

export interface ObtainBinariesOptions {
  /** Progress lines of a (slow, first-time) build. */
  log?: LogFn;
  /** Overrides the script location (defaults to scripts/control-plane/ of this package). */
  scriptPath?: string;
  /** Passed to the script; defaults to the current environment. */
  env?: NodeJS.ProcessEnv;
}

export interface ObtainedBinaries {
  paths: BinaryPaths;
  ms: number;
}

/**
 * Finds scripts/control-plane/build-binaries.sh by walking up from this file, so it works
 * from src/ (tsx, jest) and from dist/src/ (compiled CLI) alike.
 */
export function findBuildScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'scripts', 'control-plane', 'build-binaries.sh');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('scripts/control-plane/build-binaries.sh not found above ' + fileURLToPath(import.meta.url));
    }
    dir = parent;
  }
}

/**
 * Resolves every control-plane binary, building missing ones. The script is the single
 * source of truth for where binaries come from (KUBEBUILDER_ASSETS / MCP_RUNTIME_ASSETS, then
 * the versioned cache, else a build); it answers in well under a second once cached.
 */
export async function obtainBinaries(options: ObtainBinariesOptions = {}): Promise<ObtainedBinaries> {
  const started = performance.now();
  const script = options.scriptPath ?? findBuildScript();
  const log = options.log ?? (() => {});
  const stdout = await runControlPlaneScript(script, [], log, options.env ?? process.env);
  return { paths: parseBinLines(stdout), ms: Math.round(performance.now() - started) };
}

/**
 * Runs a script of scripts/control-plane/ (a name there, or an absolute path) and returns its
 * stdout; its stderr lines (progress) go to `log`, and the last of them into the error.
 */
export function runControlPlaneScript(script: string, args: readonly string[], log: LogFn, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const path = isAbsolute(script) ? script : join(dirname(findBuildScript()), script);
  return new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [path, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errTail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      errTail = (errTail + chunk).slice(-4000);
      for (const line of chunk.split('\n')) if (line.trim() !== '') log(line);
    });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code}:\n${errTail}`))));
  });
}

/** Parses the script's "BIN <name> <path>" lines; every binary must be present. */
export function parseBinLines(stdout: string): BinaryPaths {
  const found = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^BIN (\S+) (.+)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) found.set(match[1], match[2]);
  }
  const paths = {} as BinaryPaths;
  for (const name of BINARY_NAMES) {
    const path = found.get(name);
    if (path === undefined) throw new Error(`build script did not report a path for ${name}`);
    paths[name as BinaryName] = path;
  }
  // Optional: only a real node needs them (older caches and asset folders may lack them).
  for (const name of ['kubelet', 'kube-proxy'] as const) {
    const path = found.get(name);
    if (path !== undefined) paths[name] = path;
  }
  return paths;
}
