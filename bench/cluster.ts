/**
 * The cluster side of the benchmark: a local control plane with enough simulated nodes for
 * every pod the run creates, the CRDs, a namespace, and the operator's ServiceAccount bound to
 * the ClusterRole the platform chart ships (the same fixture the operator integration tests use).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { apiGet, startControlPlane, type ControlPlane } from '../src/local-cluster/index.js';
import { asServiceAccount, freshNamespace, installCrds, KUBECONFIG_ENV, type FreshNamespace } from '../test/integration/harness/index.js';
import { operatorIdentity, removeIdentity } from '../test/integration/operator/fixture.js';

/** Pods a simulated node accepts (fakeNodeManifest's capacity). */
export const PODS_PER_NODE = 1000;

export interface BenchCluster {
  cp: ControlPlane;
  admin: KubeConfig;
  kubernetesVersion: string;
}

/**
 * Pods alive at once at worst: N servers, N surge pods during the update wave's rollout, and
 * N per floor namespace. Nodes are sized for that with headroom.
 */
export function nodeCount(n: number, floorRuns: number): number {
  return Math.max(1, Math.ceil(((2 + floorRuns) * n * 1.1) / PODS_PER_NODE));
}

export async function startBenchCluster(nodes: number, log: (line: string) => void): Promise<BenchCluster> {
  const nodeNames = Array.from({ length: nodes }, (_, i) => `kwok-node-${i}`);
  // Signals are handled by the benchmark itself (it also has to stop the operator).
  const cp = await startControlPlane({ nodeNames, handleSignals: false, log: (line) => log(`[control-plane] ${line}`) });
  try {
    // The harness and the operator fixture read the admin kubeconfig from this variable.
    process.env[KUBECONFIG_ENV] = cp.kubeconfigPath;
    const admin = await cp.kubeConfig();
    await installCrds(join(repoRootOf(), 'crds'), admin);
    await installCrds(join(repoRootOf(), 'crds', 'third-party'), admin);
    const version = await apiGet(admin, '/version');
    const kubernetesVersion = (JSON.parse(version.body) as { gitVersion?: string }).gitVersion ?? 'unknown';
    return { cp, admin, kubernetesVersion };
  } catch (error) {
    await cp.stop();
    throw error;
  }
}

export function repoRootOf(): string {
  return new URL('..', import.meta.url).pathname.replace(/\/$/, '');
}

/** A namespace under Pod Security `restricted`, as the platform's server namespace is. */
export function benchNamespace(prefix: string, admin: KubeConfig): Promise<FreshNamespace> {
  return freshNamespace(prefix, { 'pod-security.kubernetes.io/enforce': 'restricted', 'mcp-runtime.bench/run': 'true' }, admin);
}

/**
 * Creates the operator's ServiceAccount (in `namespace`) with the operator ClusterRole and
 * writes a kubeconfig for it. The token lives `hours` (the fixture's default hour can be too
 * short for a full run on a slow machine).
 */
export async function writeOperatorKubeconfig(namespace: string, admin: KubeConfig, path: string, hours = 6): Promise<KubeConfig> {
  await operatorIdentity(namespace);
  const kc = await asServiceAccount(namespace, 'operator', { admin, expirationSeconds: hours * 3600 });
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return kc;
}

export { removeIdentity };
