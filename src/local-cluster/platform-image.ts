/**
 * The platform image built from the project's Dockerfile as it stands (every step, path,
 * variable, user and entrypoint), on a host that can pull nothing: each base image the Dockerfile
 * names (node:20-bookworm-slim) is replaced by the `node-build` stand-in (build-images.sh) through
 * podman's --build-context, so what a test runs is our Dockerfile's result. Its `npm ci` reaches
 * the npm registry over the host's network.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { obtainNodeImages } from './real-node/node-images.js';
import type { LogFn } from './types.js';

const run = promisify(execFile);

export interface PlatformImageOptions {
  /** The project root: the Dockerfile and the build context. */
  readonly repoRoot: string;
  /** Tag of the result, e.g. localhost/mcp-runtime-operator:e2e. */
  readonly tag: string;
  readonly log?: LogFn;
}

/** The images a Dockerfile's FROM lines name that are not its own earlier stages (nor `scratch`). Pure. */
export function dockerfileBaseImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const m = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line.trim());
    if (m === null) continue;
    const image = m[1]!;
    if (!stages.has(image.toLowerCase()) && image !== 'scratch' && !bases.includes(image)) bases.push(image);
    if (m[2] !== undefined) stages.add(m[2].toLowerCase());
  }
  return bases;
}

/** Builds the image (podman's layer cache makes an unchanged rebuild quick); returns its tag and podman's image ID. */
export async function buildPlatformImage(o: PlatformImageOptions): Promise<{ tag: string; id: string }> {
  const log = o.log ?? (() => {});
  const { 'node-build': base } = await obtainNodeImages(log, ['node-build']);
  const present = await run('podman', ['image', 'exists', base.reference]).then(() => true, () => false);
  if (!present) await run('podman', ['load', '-q', '-i', base.archive]);
  const dockerfile = join(o.repoRoot, 'Dockerfile');
  const contexts = dockerfileBaseImages(readFileSync(dockerfile, 'utf8')).flatMap((image) => ['--build-context', `${image}=container-image://${base.reference}`]);
  // The image this tag named before, removed once the tag moves on (repeated test runs would
  // otherwise keep every earlier build).
  const before = await run('podman', ['image', 'inspect', '-f', '{{.Id}}', o.tag]).then((r) => r.stdout.trim(), () => undefined);
  const started = performance.now();
  try {
    await run('podman', ['build', '--network', 'host', '--pull=never', ...contexts, '-t', o.tag, '-f', dockerfile, o.repoRoot], { maxBuffer: 64 << 20 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const tail = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`podman build of ${dockerfile} failed:\n${tail || e.message}`);
  }
  const after = (await run('podman', ['image', 'inspect', '-f', '{{.Id}}', o.tag])).stdout.trim();
  if (before !== undefined && before !== after) await run('podman', ['rmi', before]).catch(() => undefined); // still used by a container: kept
  log(`platform image ${o.tag} built from ${dockerfile} in ${((performance.now() - started) / 1000).toFixed(1)} s (base ${base.reference})`);
  return { tag: o.tag, id: after };
}
