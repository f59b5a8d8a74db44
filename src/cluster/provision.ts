/**
 * `cluster provision`: kind (through the `kind` binary), the local sandbox (a real control
 * plane with simulated nodes, src/local-cluster), or the equivalent cloud CLI command.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { OperationError } from '../kube/errors.js';
import { findExecutable } from '../local-cluster/executables.js';
import { configFilePath } from '../registry/config-file.js';
import { CONTAINERD_CONFIG_PATCH, KIND_SERVICE_SUBNET, NODE_CERTS_DIR, kindRegistryHostsFiles, kindSetupCommand, nodePullCidrs } from './kind-registry.js';

export const PROVIDERS = ['kind', 'local', 'gke', 'eks', 'aks'] as const;
export type Provider = (typeof PROVIDERS)[number];
export const DEFAULT_CLUSTER_NAME = 'mcp-runtime';

/**
 * A kind cluster config (pure): one control-plane node and N-1 workers whose containerd reads
 * per-registry hosts files from `certsDir` (mounted read-only at /etc/containerd/certs.d), and
 * a fixed Service subnet, so the registry's pinned ClusterIP is valid (see kind-registry.ts).
 */
export function kindConfig(nodes: number, certsDir: string): string {
  const mount = { hostPath: certsDir, containerPath: NODE_CERTS_DIR, readOnly: true };
  const list: { role: string; extraMounts: (typeof mount)[] }[] = [{ role: 'control-plane', extraMounts: [mount] }];
  for (let i = 1; i < nodes; i++) list.push({ role: 'worker', extraMounts: [mount] });
  return stringify({
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: { serviceSubnet: KIND_SERVICE_SUBNET },
    containerdConfigPatches: [CONTAINERD_CONFIG_PATCH],
    nodes: list,
  });
}

/**
 * The certs.d folder a kind cluster's nodes mount: it must outlive `cluster provision` (a bind
 * mount of a removed folder leaves the node nothing), so it lives beside the CLI's config file,
 * `$XDG_CONFIG_HOME/mcp-runtime/kind/<name>/certs.d`, until the cluster is deleted. Its path has
 * no ':' (kind hands mounts to Docker as host:container); the host:port folder is inside it.
 */
export function kindCertsDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(configFilePath(env)), 'kind', name, 'certs.d');
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
  /** Environment for the certs.d location (XDG_CONFIG_HOME, HOME). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Writes the hosts files below `certsDir` and removes anything else an earlier run left there.
 * In place: the nodes of an existing cluster of that name bind-mount this very folder, and a
 * removed and recreated folder would be a different one to them.
 */
async function writeCertsDir(certsDir: string): Promise<void> {
  const files = kindRegistryHostsFiles();
  await mkdir(certsDir, { recursive: true });
  const wanted = new Set(files.map((f) => f.path.split('/')[0]));
  for (const entry of await readdir(certsDir)) if (!wanted.has(entry)) await rm(join(certsDir, entry), { recursive: true, force: true });
  for (const file of files) {
    const path = join(certsDir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content, { encoding: 'utf8', mode: 0o644 });
  }
}

/**
 * Creates a kind cluster; the kind binary's own output goes straight to the terminal. Returns
 * the certs.d folder its nodes mount.
 */
export async function provisionKind(options: KindOptions): Promise<{ certsDir: string }> {
  const kind = options.kindBinary ?? findExecutable('kind');
  if (kind === undefined) {
    throw new OperationError(
      'the `kind` binary is not on PATH. Install it (https://kind.sigs.k8s.io/docs/user/quick-start/#installation; it needs Docker or Podman), ' +
        'or run a local sandbox without containers: `mcp-runtime cluster provision --provider local --kubeconfig ./sandbox.kubeconfig`.',
    );
  }
  const certsDir = kindCertsDir(options.name, options.env);
  // A cluster of that name may exist already (kind then refuses): its nodes mount this folder,
  // so a failed run removes it only when this run created it.
  const clusterDir = dirname(certsDir);
  const existed = existsSync(clusterDir);
  let created = false;
  const dir = await mkdtemp(join(tmpdir(), 'mcp-runtime-kind-'));
  const configFile = join(dir, 'kind-config.yaml');
  try {
    await writeCertsDir(certsDir);
    await writeFile(configFile, kindConfig(options.nodes, certsDir), 'utf8');
    const args = kindArgs(options.name, configFile, options.kubeconfig);
    options.log(`running: kind ${args.join(' ')}`);
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(kind, args, { stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (c, signal) => resolve(c ?? (signal !== null ? 128 : 1)));
    });
    if (code !== 0) throw new OperationError(`kind create cluster failed (exit code ${code}); see its output above`);
    created = true;
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (!created && !existed) await rm(clusterDir, { recursive: true, force: true });
  }
  return { certsDir };
}

/**
 * What to run after `kind create cluster`: setup with the pinned registry ClusterIP and the
 * nodes' addresses admitted by the registry's NetworkPolicy. The nodes are read from the new
 * cluster; when that fails, the command says where the node network goes instead.
 */
export async function kindNextSteps(name: string, kubeconfig: string | undefined): Promise<{ command: string; note?: string }> {
  try {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    if (kubeconfig !== undefined) kc.loadFromFile(kubeconfig);
    else kc.loadFromDefault();
    kc.setCurrentContext(`kind-${name}`);
    const nodes = (await kc.makeApiClient(k8s.CoreV1Api).listNode()).items;
    const { cidrs, withoutAddress } = nodePullCidrs(nodes);
    const note = withoutAddress.length > 0 ? `node(s) ${withoutAddress.join(', ')} report no InternalIP; add their addresses with --registry-allow-cidr` : undefined;
    return { command: kindSetupCommand(name, cidrs), ...(note !== undefined ? { note } : {}) };
  } catch {
    return {
      command: kindSetupCommand(name, []),
      note: `could not read the nodes of context kind-${name}; give the node network (\`docker network inspect kind\`) as --registry-allow-cidr`,
    };
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
