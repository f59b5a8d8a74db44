/**
 * A cluster of its own with a real node, for end-to-end tests through the route: control plane +
 * real node, `setup` with the platform image built from this checkout's Dockerfile (so the
 * operator and the catalog run as the pods setup installs, under their own ServiceAccounts),
 * Traefik as a host process, and the example
 * images (and the conformance suite's off-the-shelf server) built on the local Node.js base and
 * pushed with `mcp-runtime registry push` into the platform registry. Only one real node can exist per host, so test files using it run one at a
 * time (the integration project runs in band).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  buildExampleImage,
  checkHostSupport,
  connectPlatformRegistry,
  fetchResolvingTo,
  provideGatewayImage,
  providePlatformImage,
  startControlPlane,
  startHostTraefik,
  type ControlPlane,
  type HostTraefik,
} from '../../../src/local-cluster/index.js';

const run = promisify(execFile);
export const INGRESS_HOST = 'mcp.e2e.localtest.me';
export const EXAMPLE_TAG = '0.1.0';

const EVERYTHING_DIR = 'test/conformance/everything';
const EVERYTHING_PACKAGE = '@modelcontextprotocol/server-everything';

/** The images the e2e tests deploy: a folder, built by buildExampleImage, pushed as repository:tag. */
const IMAGES = {
  weather: { dir: 'examples/weather', repository: 'examples/weather', tag: EXAMPLE_TAG },
  notes: { dir: 'examples/notes', repository: 'examples/notes', tag: EXAMPLE_TAG },
  // The off-the-shelf server the MCP conformance suite runs against (test/conformance/README.md),
  // tagged with its pinned version; streamable HTTP on $PORT, /mcp.
  everything: {
    dir: EVERYTHING_DIR,
    repository: 'conformance/everything',
    tag: (JSON.parse(readFileSync(resolve(EVERYTHING_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[EVERYTHING_PACKAGE]!,
    port: 3001,
    command: ['node', `node_modules/${EVERYTHING_PACKAGE}/dist/index.js`, 'streamableHttp'],
  },
} as const;
export type ImageName = keyof typeof IMAGES;

export interface RealCluster {
  cp: ControlPlane;
  kc: KubeConfig;
  traefik: HostTraefik;
  /** fetch that resolves every name to 127.0.0.1 (the Host header stays the name). */
  fetch: typeof fetch;
  /** http://<INGRESS_HOST>:<port> */
  base: string;
  /** Image reference (with its tag) of an example or the conformance server, as MCPServers name it. */
  image(name: ImageName): string;
  /** Seconds each image took to build and push, for the test's timing line. */
  imageSeconds: Record<ImageName, number>;
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /**
   * Runs `setup` again with `--with-tls <secretName>` (a kubernetes.io/tls Secret in namespace
   * traefik; setup waits for the operator's rollout with MCP_INGRESS_TLS=true), then restarts
   * Traefik with its HTTPS entry point. Returns https://<INGRESS_HOST>:<port>. `traefik` is replaced.
   */
  enableTls(secretName: string): Promise<string>;
  stop(): Promise<void>;
}

/** Why the real-node tests cannot run here, or undefined. */
export function realNodeUnsupported(): string | undefined {
  const support = checkHostSupport();
  return support.ok ? undefined : support.reason;
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bin/dev.js', ...args], { maxBuffer: 32 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function mustCli(...args: string[]): Promise<string> {
  const r = await cli(...args);
  if (r.code !== 0) throw new Error(`mcp-runtime ${args.slice(0, 2).join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export async function startRealCluster(log: (line: string) => void = () => {}): Promise<RealCluster> {
  const cp = await startControlPlane({ realNode: true, log, startTimeoutMs: 180_000 });
  let traefik: HostTraefik | undefined;
  const stop = async () => {
    await traefik?.stop();
    await cp.stop();
  };
  try {
    const node = cp.realNode!;
    const kubeconfig = cp.kubeconfigPath;
    // The operator, the catalog and the gateway run as pods on the real node: their images are
    // imported into the node first (the gateway's is a quicker bundle on the Node.js base).
    const operatorImage = await providePlatformImage({ repoRoot: resolve('.'), ctr: node.ctr, log });
    const gatewayImage = await provideGatewayImage({
      entry: resolve('src/gateway/main.ts'),
      baseImage: node.images.node.reference,
      baseArchive: node.images.node.archive,
      ctr: node.ctr,
      log,
    });
    const setupArgs = ['setup', '--kubeconfig', kubeconfig, '--timeout', '180', '--default-ingress-host', INGRESS_HOST,
      '--operator-image', operatorImage, '--gateway-image', gatewayImage];
    await mustCli(...setupArgs);
    const kc = await cp.kubeConfig();
    // The access log tells which hop cut an answer when a test loses one.
    const startTraefik = () => startHostTraefik({ kc, server: cp.server, caFile: cp.caCertPath, dir: node.dir, controlPlaneDir: cp.dir, log, accessLog: true });
    traefik = await startTraefik();
    const registry = await connectPlatformRegistry(kc, node);
    const imageSeconds = {} as Record<ImageName, number>;
    for (const [key, image] of Object.entries(IMAGES) as [ImageName, (typeof IMAGES)[ImageName]][]) {
      const started = performance.now();
      const name = `${image.repository}:${image.tag}`;
      await buildExampleImage({
        dir: resolve(image.dir),
        tag: `localhost/${name}`,
        baseImage: node.images.node.reference,
        baseArchive: node.images.node.archive,
        ...('port' in image ? { port: image.port, command: [...image.command] } : {}),
        log,
      });
      await mustCli('registry', 'push', '--image', `localhost/${name}`, '--name', name, '--registry', registry.pushAddress,
        '--mode', 'direct', '--insecure-registry', '--kubeconfig', kubeconfig);
      imageSeconds[key] = Math.round((performance.now() - started) / 100) / 10;
    }
    const cluster: RealCluster = {
      cp,
      kc,
      traefik,
      fetch: fetchResolvingTo(),
      base: `http://${INGRESS_HOST}:${traefik.webPort}`,
      imageSeconds,
      image: (name) => `${registry.imageHost}/${IMAGES[name].repository}:${IMAGES[name].tag}`,
      cli,
      async enableTls(secretName) {
        await mustCli(...setupArgs, '--with-tls', secretName);
        await traefik!.stop();
        traefik = await startTraefik();
        cluster.traefik = traefik;
        if (traefik.websecurePort === undefined) throw new Error('Traefik has no HTTPS entry point after setup --with-tls');
        return `https://${INGRESS_HOST}:${traefik.websecurePort}`;
      },
      stop,
    };
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}
