/**
 * Builds an example server's image on the locally built Node.js base (no image pulls here):
 * the server is compiled on the host (npm ci, tsc, prune) in a copy of its folder, then podman
 * puts the result on the base image with the same layout, env, user and command as the
 * example's own Dockerfile (whose node:20-alpine base cannot be pulled on these machines).
 * A folder without a build script (an off-the-shelf server from npm, run from node_modules) is
 * packaged the same way without the compile step and dist/.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { LogFn } from '../types.js';

const run = promisify(execFile);

const DEFAULT_EXAMPLE_COMMAND = ['node', 'dist/server.js'];

export function prebuiltContainerfile(
  baseImage: string,
  port: number,
  { command = DEFAULT_EXAMPLE_COMMAND, withDist = true }: { command?: string[]; withDist?: boolean } = {},
): string {
  return [
    `FROM ${baseImage}`,
    `ENV NODE_ENV=production HOST=0.0.0.0 PORT=${port}`,
    'WORKDIR /app',
    'COPY package.json ./',
    'COPY node_modules ./node_modules',
    ...(withDist ? ['COPY dist ./dist'] : []),
    // Numeric, so runAsNonRoot can verify it without /etc/passwd.
    'USER 65532:65532',
    `EXPOSE ${port}`,
    `CMD ${JSON.stringify(command)}`,
    '',
  ].join('\n');
}

export interface ExampleImageOptions {
  /** The example's folder (package.json, package-lock.json, tsconfig.json, src/). */
  dir: string;
  /** Image name to give it, e.g. localhost/examples/weather:0.1.0. */
  tag: string;
  baseImage: string;
  /** Base image archive, loaded into podman if podman does not have the base. */
  baseArchive: string;
  port?: number;
  /** The container's command; default `node dist/server.js`. */
  command?: string[];
  log?: LogFn;
}

export async function buildExampleImage(o: ExampleImageOptions): Promise<{ ms: number }> {
  const log = o.log ?? (() => {});
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), `mcp-runtime-example-${basename(o.dir)}-`));
  try {
    // The example's .dockerignore keeps node_modules and dist out; here they are the point.
    await cp(o.dir, work, { recursive: true, filter: (src) => !/\/(node_modules|dist|\.dockerignore|\.containerignore)(\/|$)/.test(src) });
    const npm = (args: string[]) => run('npm', args, { cwd: work, maxBuffer: 32 << 20 });
    log(`${basename(o.dir)}: npm ci`);
    await npm(['ci', '--no-audit', '--no-fund']);
    const scripts = (JSON.parse(await readFile(join(work, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts;
    const withDist = scripts?.build !== undefined;
    if (withDist) await npm(['run', 'build']);
    await npm(['prune', '--omit=dev', '--no-audit', '--no-fund']);
    const exists = await run('podman', ['image', 'exists', o.baseImage]).then(() => true, () => false);
    if (!exists) await run('podman', ['load', '-q', '-i', o.baseArchive]);
    await writeFile(join(work, 'Containerfile.prebuilt'), prebuiltContainerfile(o.baseImage, o.port ?? 8088, { command: o.command, withDist }));
    log(`${basename(o.dir)}: podman build -t ${o.tag} (base ${o.baseImage})`);
    await run('podman', ['build', '--quiet', '--network', 'none', '-f', join(work, 'Containerfile.prebuilt'), '-t', o.tag, work], { maxBuffer: 32 << 20 });
    return { ms: Math.round(performance.now() - started) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
