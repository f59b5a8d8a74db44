/**
 * The gateway's image for a local real node, which can pull nothing: the gateway's entry is
 * bundled into one file with esbuild (dependencies included), put on the locally built Node.js
 * base at the path the platform image has it (/app/dist/src/gateway/main.js, so the Deployment's
 * command is the same everywhere), and imported straight into the node's containerd. The tag is
 * the bundle's hash, so a changed gateway is a new image and an unchanged one is not rebuilt.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LogFn } from '../types.js';
import { importIntoNode, nodeHasImage } from './node-image-import.js';

const run = promisify(execFile);

export const GATEWAY_IMAGE_REPOSITORY = 'localhost/mcp-runtime/gateway';

export interface GatewayImageOptions {
  /** The gateway's entry source, e.g. <repo>/src/gateway/main.ts. */
  readonly entry: string;
  /** Node.js base image (podman reference) and its archive, from obtainNodeImages(). */
  readonly baseImage: string;
  readonly baseArchive: string;
  /** ctr against the node's containerd (RealNode.ctr). */
  readonly ctr: (args: string[]) => Promise<string>;
  readonly log?: LogFn;
}

export function gatewayContainerfile(baseImage: string): string {
  return [
    `FROM ${baseImage}`,
    'ENV NODE_ENV=production',
    'WORKDIR /app',
    'COPY package.json ./package.json',
    'COPY main.js ./dist/src/gateway/main.js',
    'USER 65532:65532',
    'CMD ["node", "/app/dist/src/gateway/main.js"]',
    '',
  ].join('\n');
}

/** Builds (or reuses) the image and imports it into the node; returns its reference. */
export async function provideGatewayImage(o: GatewayImageOptions): Promise<string> {
  const log = o.log ?? (() => {});
  const { build } = await import('esbuild');
  const started = performance.now();
  const bundle = await build({
    entryPoints: [o.entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    write: false,
    minify: false,
    legalComments: 'none',
    // CommonJS dependencies (prom-client, pino, client-node) call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]!.contents;
  const tag = createHash('sha256').update(code).update(o.baseImage).digest('hex').slice(0, 12);
  const reference = `${GATEWAY_IMAGE_REPOSITORY}:${tag}`;
  if (await nodeHasImage(o.ctr, reference)) return reference;

  const work = await mkdtemp(join(tmpdir(), 'mcp-runtime-gateway-image-'));
  try {
    await mkdir(work, { recursive: true });
    await writeFile(join(work, 'main.js'), code);
    await writeFile(join(work, 'package.json'), JSON.stringify({ name: 'mcp-gateway', private: true, type: 'module' }));
    await writeFile(join(work, 'Containerfile'), gatewayContainerfile(o.baseImage));
    const exists = await run('podman', ['image', 'exists', o.baseImage]).then(() => true, () => false);
    if (!exists) await run('podman', ['load', '-q', '-i', o.baseArchive]);
    await run('podman', ['build', '--quiet', '--network', 'none', '-f', join(work, 'Containerfile'), '-t', reference, work], { maxBuffer: 16 << 20 });
    await importIntoNode({ podmanImage: reference, reference, ctr: o.ctr });
    log(`gateway image ${reference} built and imported in ${Math.round(performance.now() - started)} ms`);
    return reference;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
