/**
 * `cluster provision`: kind (through the `kind` binary), the local sandbox (a real control
 * plane with simulated nodes, src/local-cluster), or the equivalent cloud CLI command.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { OperationError } from '../kube/errors.js';
import { findExecutable } from '../local-cluster/executables.js';

export const PROVIDERS = ['kind', 'local', 'gke', 'eks', 'aks'] as const;
export type Provider = (typeof PROVIDERS)[number];
export const DEFAULT_CLUSTER_NAME = 'mcp-runtime';

/** A kind cluster config: one control-plane node and N-1 workers (pure). */
export function kindConfig(nodes: number): string {
  const list: { role: string }[] = [{ role: 'control-plane' }];
  for (let i = 1; i < nodes; i++) list.push({ role: 'worker' });
  return stringify({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', nodes: list });
}

/** The commands a person runs to create a managed cluster and point kubectl at it (pure). */
export function cloudCommands(provider: 'gke' | 'eks' | 'aks', name: string, nodes: number): string[] {
  switch (provider) {
    case 'gke':
      return [
        `gcloud container clusters create ${name} --num-nodes ${nodes} --region <region>`,
        `gcloud container clusters get-credentials ${name} --region <region>`,
      ];
    case 'eks':
      return [`eksctl create cluster --name ${name} --nodes ${nodes} --region <region>`, `aws eks update-kubeconfig --name ${name} --region <region>`];
    case 'aks':
      return [
        `az aks create --resource-group <resource-group> --name ${name} --node-count ${nodes} --generate-ssh-keys`,
        `az aks get-credentials --resource-group <resource-group> --name ${name}`,
      ];
  }
}

export { findExecutable };

export function kindArgs(name: string, configFile: string, kubeconfig?: string): string[] {
  return ['create', 'cluster', '--name', name, '--config', configFile, ...(kubeconfig !== undefined ? ['--kubeconfig', kubeconfig] : [])];
}

export interface KindOptions {
  name: string;
  nodes: number;
  kubeconfig?: string;
  log: (line: string) => void;
  /** Override for tests. */
  kindBinary?: string;
}

/** Creates a kind cluster; the kind binary's own output goes straight to the terminal. */
export async function provisionKind(options: KindOptions): Promise<void> {
  const kind = options.kindBinary ?? findExecutable('kind');
  if (kind === undefined) {
    throw new OperationError(
      'the `kind` binary is not on PATH. Install it (https://kind.sigs.k8s.io/docs/user/quick-start/#installation; it needs Docker or Podman), ' +
        'or run a local sandbox without containers: `mcp-runtime cluster provision --provider local --kubeconfig ./sandbox.kubeconfig`.',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'mcp-runtime-kind-'));
  const configFile = join(dir, 'kind-config.yaml');
  try {
    await writeFile(configFile, kindConfig(options.nodes), 'utf8');
    const args = kindArgs(options.name, configFile, options.kubeconfig);
    options.log(`running: kind ${args.join(' ')}`);
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(kind, args, { stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (c, signal) => resolve(c ?? (signal !== null ? 128 : 1)));
    });
    if (code !== 0) throw new OperationError(`kind create cluster failed (exit code ${code}); see its output above`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface LocalOptions {
  kubeconfig: string;
  nodes: number;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** The foreground sandbox: returns when it was stopped (SIGINT/SIGTERM or `signal`). */
export async function provisionLocal(options: LocalOptions): Promise<{ reason: string }> {
  const { runSandbox } = await import('../local-cluster/index.js');
  const nodeNames = Array.from({ length: options.nodes }, (_, i) => `kwok-node-${i}`);
  const result = await runSandbox({
    kubeconfigOut: options.kubeconfig,
    log: options.log,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    start: { nodeNames },
  });
  return { reason: String(result.reason) };
}
