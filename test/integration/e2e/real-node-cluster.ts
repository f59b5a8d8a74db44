/**
 * A cluster of its own with a real node, for end-to-end tests through the route: control plane +
 * real node, `setup`, Traefik as a host process, the operator from this checkout, and the example
 * images built on the local Node.js base and pushed with `mcp-runtime registry push` into the
 * platform registry. Only one real node can exist per host, so test files using it run one at a
 * time (the integration project runs in band).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  buildExampleImage,
  checkHostSupport,
  connectPlatformRegistry,
  fetchResolvingTo,
  startControlPlane,
  startHostTraefik,
  type ControlPlane,
  type HostTraefik,
} from '../../../src/local-cluster/index.js';

const run = promisify(execFile);
export const INGRESS_HOST = 'mcp.e2e.localtest.me';
export const EXAMPLE_TAG = '0.1.0';

export interface RealCluster {
  cp: ControlPlane;
  kc: KubeConfig;
  traefik: HostTraefik;
  /** fetch that resolves every name to 127.0.0.1 (the Host header stays the name). */
  fetch: typeof fetch;
  /** http://<INGRESS_HOST>:<port> */
  base: string;
  /** Image reference of an example, as MCPServers name it. */
  image(example: 'weather' | 'notes'): string;
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
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
  let operator: ChildProcess | undefined;
  let traefik: HostTraefik | undefined;
  const stop = async () => {
    if (operator !== undefined && operator.exitCode === null) {
      const exited = new Promise((r) => operator!.once('exit', r));
      operator.kill('SIGTERM');
      await exited;
    }
    await traefik?.stop();
    await cp.stop();
  };
  try {
    const node = cp.realNode!;
    const kubeconfig = cp.kubeconfigPath;
    await mustCli('setup', '--kubeconfig', kubeconfig, '--timeout', '180', '--default-ingress-host', INGRESS_HOST);
    const kc = await cp.kubeConfig();
    traefik = await startHostTraefik({ kc, server: cp.server, caFile: cp.caCertPath, dir: node.dir, controlPlaneDir: cp.dir, log });
    operator = spawn(
      process.execPath,
      ['--import', 'tsx', 'bin/dev.js', 'operator', '--kubeconfig', kubeconfig, '--default-ingress-host', INGRESS_HOST, '--no-leader-elect',
        '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0', '--verify', '--verify-interval', '30'],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    const registry = await connectPlatformRegistry(kc, node);
    for (const example of ['weather', 'notes'] as const) {
      const local = `localhost/examples/${example}:${EXAMPLE_TAG}`;
      await buildExampleImage({ dir: resolve('examples', example), tag: local, baseImage: node.images.node.reference, baseArchive: node.images.node.archive, log });
      await mustCli('registry', 'push', '--image', local, '--name', `examples/${example}:${EXAMPLE_TAG}`, '--registry', registry.pushAddress,
        '--mode', 'direct', '--insecure-registry', '--kubeconfig', kubeconfig);
    }
    return {
      cp,
      kc,
      traefik,
      fetch: fetchResolvingTo(),
      base: `http://${INGRESS_HOST}:${traefik.webPort}`,
      image: (example) => `${registry.imageHost}/examples/${example}:${EXAMPLE_TAG}`,
      cli,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
