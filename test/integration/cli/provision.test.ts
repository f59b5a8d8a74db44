// cluster provision: the local sandbox for real (a second control plane, in a subprocess, until
// SIGINT); kind through a stand-in `kind` executable (there is no Docker here) that records what
// it was asked to do, its failure, the missing binary and dry run; the cloud providers' commands.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { delimiter, join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ClusterProvision from '../../../src/commands/cluster/provision.js';
import ServerList from '../../../src/commands/server/list.js';
import ClusterInit from '../../../src/commands/cluster/init.js';
import { DATA_DIR_PREFIX } from '../../../src/local-cluster/index.js';
import { processesReferencing } from '../harness/index.js';
import { runCli, spawnCli, tempDir } from './cli.js';
import { admin, adminKubeconfig } from './fixtures/cluster.js';

let dir: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir('provision');
});
afterAll(async () => {
  await dir?.cleanup();
});

describe('cluster provision --provider local', () => {
  it('starts a control plane, writes the kubeconfig, prints "sandbox ready:", serves until SIGINT, then removes everything', async () => {
    const kubeconfig = join(dir.path, 'sandbox.kubeconfig');
    let server: string | undefined;
    let checks: Promise<void> | undefined;
    const run = await spawnCli('cluster/provision', ['--provider', 'local', '--kubeconfig', kubeconfig, '--nodes', '2'], {
      timeoutMs: 120_000,
      onLine: (line, child) => {
        const m = /^sandbox ready: (https:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (m === null || checks !== undefined) return;
        server = m[1];
        // While it runs: the kubeconfig works with the CLI itself.
        checks = (async () => {
          try {
            const init = await runCli(ClusterInit, ['--kubeconfig', kubeconfig]);
            expect(init.exitCode).toBe(0);
            const list = await runCli(ServerList, ['-A', '--kubeconfig', kubeconfig]);
            expect(list.exitCode).toBe(0);
            expect(list.stderr).toContain('No MCP servers in any namespace.');
          } finally {
            child.kill('SIGINT');
          }
        })();
      },
    });
    await checks;
    expect(server).toBeDefined();
    expect(run.signal).toBeNull();
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('nodes are simulated by KWOK (kwok-node-0, kwok-node-1)');
    expect(run.stdout).toContain('no container actually runs');
    expect(run.stdout).toContain(`kubeconfig written to ${kubeconfig}`);
    expect(run.stdout).toContain('sandbox stopped; everything it created was removed');
    expect(existsSync(kubeconfig)).toBe(true);
    // Nothing of that control plane is left running (its data dir is in every process's arguments).
    const dataDir = /control plane stopped, removed (\S+)/.exec(run.stdout)?.[1];
    expect(dataDir).toContain(DATA_DIR_PREFIX);
    expect(existsSync(dataDir!)).toBe(false);
    expect(processesReferencing(dataDir!)).toEqual([]);
  });

  it('--dry-run says what it would do and starts nothing', async () => {
    const run = await runCli(ClusterProvision, ['--provider', 'local', '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('would start a local control plane with 1 simulated node(s) (KWOK: containers do not really run)');
  });
});

describe('cluster provision --provider kind', () => {
  it('without the kind binary: exit 1 and what to do', async () => {
    const path = process.env.PATH;
    process.env.PATH = dir.path; // nothing executable there
    try {
      const run = await runCli(ClusterProvision, ['--provider', 'kind', '--nodes', '3']);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('the `kind` binary is not on PATH');
      expect(run.stderr).toContain('--provider local');
    } finally {
      process.env.PATH = path;
    }
  });

  /** Every file below `root`, relative, sorted. */
  async function filesBelow(root: string): Promise<string[]> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name))).sort();
  }

  /**
   * A stand-in `kind` first on PATH: records its arguments (one per line), a copy of the config
   * file it was given (the CLI removes its temp copy afterwards) and of the certs.d folder the
   * nodes would mount (`certsDir`, as it was while kind ran); like kind, writes a kubeconfig with
   * context kind-<name> to --kubeconfig (here: the test cluster's, whose Nodes the CLI then
   * reads); prints what kind would, and exits with `exit`.
   */
  async function fakeKind(
    name: string,
    exit: number,
    message: string,
    certsDir = '/nonexistent',
  ): Promise<{ bin: string; argv: string; config: string; certs: string; xdg: string }> {
    const bin = join(dir.path, name);
    await mkdir(bin);
    const argv = join(bin, 'argv');
    const config = join(bin, 'config.yaml');
    const certs = join(bin, 'certs-seen');
    const script = [
      '#!/bin/sh',
      `printf '%s\\n' "$@" > '${argv}'`,
      `if [ -d '${certsDir}' ]; then cp -r '${certsDir}' '${certs}'; fi`,
      'while [ $# -gt 0 ]; do',
      `  if [ "$1" = --config ]; then cp "$2" '${config}'; fi`,
      `  if [ "$1" = --kubeconfig ] && [ -f '${join(bin, 'kubeconfig')}' ]; then cp '${join(bin, 'kubeconfig')}' "$2"; fi`,
      '  shift',
      'done',
      exit === 0 ? `echo '${message}'` : `echo '${message}' >&2`,
      `exit ${exit}`,
      '',
    ].join('\n');
    await writeFile(join(bin, 'kind'), script, { mode: 0o755 });
    return { bin, argv, config, certs, xdg: join(dir.path, `${name}-xdg`) };
  }

  /** The test cluster's admin kubeconfig with its context named as kind names it (kind-<cluster>). */
  async function kindKubeconfig(cluster: string): Promise<string> {
    const config = parse(await readFile(adminKubeconfig(), 'utf8')) as { contexts: { name: string }[]; 'current-context': string };
    const current = config.contexts.find((c) => c.name === config['current-context']) ?? config.contexts[0]!;
    return stringify({ ...config, contexts: [{ ...current, name: `kind-${cluster}` }], 'current-context': `kind-${cluster}` });
  }

  /** Nodes with the addresses kind nodes have; unschedulable and tainted, so nothing lands on them. */
  const kindNodes = [
    ['provision-test-mcp-control-plane', '172.18.0.2'],
    ['provision-test-mcp-worker', '172.18.0.3'],
  ] as const;
  async function createKindNodes(): Promise<void> {
    const rest = await admin();
    for (const [name, ip] of kindNodes) {
      await rest.request('POST', '/api/v1/nodes', {
        body: {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name },
          spec: { unschedulable: true, taints: [{ key: 'mcp-runtime.test/not-a-node', effect: 'NoExecute' }] },
          status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] },
        },
      });
    }
  }
  async function deleteKindNodes(): Promise<void> {
    const rest = await admin();
    for (const [name] of kindNodes) await rest.request('DELETE', `/api/v1/nodes/${name}`).catch(() => undefined);
  }

  it('runs `kind create cluster` with a config whose nodes pull the platform registry over plain HTTP for its host only, then prints setup with the nodes\' /32s; exit 0 (subprocess)', async () => {
    const certsDir = join(dir.path, 'kind-ok-xdg', 'mcp-runtime', 'kind', 'mcp', 'certs.d');
    const kind = await fakeKind('kind-ok', 0, 'Creating cluster "mcp" ...', certsDir);
    await writeFile(join(kind.bin, 'kubeconfig'), await kindKubeconfig('mcp'));
    const kubeconfig = join(dir.path, 'kind.kubeconfig');
    await createKindNodes();
    let run: Awaited<ReturnType<typeof spawnCli>>;
    try {
      run = await spawnCli('cluster/provision', ['--provider', 'kind', '--nodes', '3', '--name', 'mcp', '--kubeconfig', kubeconfig], {
        env: { PATH: `${kind.bin}${delimiter}${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: kind.xdg },
      });
    } finally {
      await deleteKindNodes();
    }
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const argv = (await readFile(kind.argv, 'utf8')).trimEnd().split('\n');
    expect(argv).toEqual(['create', 'cluster', '--name', 'mcp', '--config', expect.stringMatching(/kind-config\.yaml$/), '--kubeconfig', kubeconfig]);
    // Every node mounts the certs.d folder where containerd is told to read hosts files; the
    // Service subnet holds the registry's pinned ClusterIP.
    const mount = { hostPath: certsDir, containerPath: '/etc/containerd/certs.d', readOnly: true };
    expect(parse(await readFile(kind.config, 'utf8'))).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      networking: { serviceSubnet: '10.96.0.0/16' },
      containerdConfigPatches: ['[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n'],
      nodes: [
        { role: 'control-plane', extraMounts: [mount] },
        { role: 'worker', extraMounts: [mount] },
        { role: 'worker', extraMounts: [mount] },
      ],
    });
    // While kind ran, and afterwards (the nodes keep mounting it): exactly one hosts file, for
    // the in-cluster registry's host, plain HTTP to the pinned ClusterIP.
    const hostsFile = 'registry.registry.svc.cluster.local:5000/hosts.toml';
    expect(await filesBelow(kind.certs)).toEqual([hostsFile]);
    expect(await filesBelow(certsDir)).toEqual([hostsFile]);
    const hosts = await readFile(join(certsDir, hostsFile), 'utf8');
    expect(hosts).toContain('server = "http://registry.registry.svc.cluster.local:5000"');
    expect(hosts).toContain('[host."http://10.96.0.50:5000"]');
    expect(hosts).toContain('capabilities = ["pull", "resolve"]');
    // kind's own output reaches the terminal, then what to do next: setup with the pinned
    // ClusterIP and the nodes' InternalIPs (read from the cluster through the kubeconfig kind wrote).
    expect(run.stdout).toContain('Creating cluster "mcp" ...');
    expect(run.stdout).toContain(`kind cluster "mcp" is ready (context kind-mcp); its nodes pull the platform registry's images through ${certsDir}.`);
    const next = /^next: `(.*)`$/m.exec(run.stdout)?.[1];
    expect(next).toMatch(/^mcp-runtime setup --context kind-mcp --registry-cluster-ip 10\.96\.0\.50 /);
    expect(next).toContain('--registry-allow-cidr 172.18.0.2/32 --registry-allow-cidr 172.18.0.3/32');
    expect(run.stdout).toContain(`after \`kind delete cluster --name mcp\`, remove ${join(kind.xdg, 'mcp-runtime', 'kind', 'mcp')}`);
    // The temporary config is removed.
    expect(existsSync(argv[5]!)).toBe(false);
  });

  it('defaults: cluster mcp-runtime with one control-plane node and kind\'s own kubeconfig', async () => {
    const kind = await fakeKind('kind-defaults', 0, 'ok');
    // No kubeconfig with context kind-mcp-runtime: the nodes cannot be read, and it says so.
    const run = await spawnCli('cluster/provision', ['--provider', 'kind'], {
      env: { PATH: `${kind.bin}${delimiter}${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: kind.xdg, KUBECONFIG: join(kind.bin, 'no-such.kubeconfig') },
    });
    expect(run.exitCode).toBe(0);
    const argv = (await readFile(kind.argv, 'utf8')).trimEnd().split('\n');
    expect(argv).toEqual(['create', 'cluster', '--name', 'mcp-runtime', '--config', expect.stringMatching(/kind-config\.yaml$/)]);
    expect(parse(await readFile(kind.config, 'utf8'))).toMatchObject({
      nodes: [{ role: 'control-plane', extraMounts: [{ hostPath: join(kind.xdg, 'mcp-runtime', 'kind', 'mcp-runtime', 'certs.d') }] }],
    });
    expect(run.stdout).toContain('next: `mcp-runtime setup --context kind-mcp-runtime --registry-cluster-ip 10.96.0.50 --registry-allow-cidr <node network>`');
    expect(run.stderr).toContain('could not read the nodes of context kind-mcp-runtime; give the node network (`docker network inspect kind`) as --registry-allow-cidr');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('when kind fails: its message, then ours with its exit code; exit 1, no stack trace (subprocess)', async () => {
    const kind = await fakeKind('kind-fails', 3, 'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "mcp"');
    const run = await spawnCli('cluster/provision', ['--provider', 'kind', '--name', 'mcp'], {
      env: { PATH: `${kind.bin}${delimiter}${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: kind.xdg },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('ERROR: failed to create cluster: node(s) already exist for a cluster with the name "mcp"');
    expect(run.stderr).toContain('kind create cluster failed (exit code 3); see its output above');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toContain('is ready');
    const argv = (await readFile(kind.argv, 'utf8')).trimEnd().split('\n');
    expect(existsSync(argv[5]!)).toBe(false);
    // Its certs.d folder was new: removed with the rest.
    expect(existsSync(join(kind.xdg, 'mcp-runtime', 'kind', 'mcp'))).toBe(false);
    expect(existsSync(kind.xdg)).toBe(true); // the parent (the CLI's config folder) stays
  });

  it('when kind fails because the cluster exists, the certs.d folder that cluster\'s nodes mount stays: the same folder, updated in place, nothing else in it', async () => {
    const kind = await fakeKind('kind-exists', 1, 'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "mcp"');
    const certsDir = join(kind.xdg, 'mcp-runtime', 'kind', 'mcp', 'certs.d');
    const earlier = join(certsDir, 'registry.registry.svc.cluster.local:5000', 'hosts.toml');
    await mkdir(join(certsDir, 'registry.registry.svc.cluster.local:5000'), { recursive: true });
    await writeFile(earlier, 'written by an earlier provision\n');
    await mkdir(join(certsDir, 'docker.io'));
    await writeFile(join(certsDir, 'docker.io', 'hosts.toml'), 'server = "http://docker.io"\n');
    const inode = (await stat(certsDir)).ino;
    const run = await spawnCli('cluster/provision', ['--provider', 'kind', '--name', 'mcp'], {
      env: { PATH: `${kind.bin}${delimiter}${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: kind.xdg },
    });
    expect(run.exitCode).toBe(1);
    expect(await filesBelow(certsDir)).toEqual(['registry.registry.svc.cluster.local:5000/hosts.toml']);
    expect(await readFile(earlier, 'utf8')).toContain('[host."http://10.96.0.50:5000"]');
    expect((await stat(certsDir)).ino).toBe(inode);
  });

  it('--dry-run prints the kind command and a config with N nodes', async () => {
    const run = await runCli(ClusterProvision, ['--provider', 'kind', '--nodes', '3', '--name', 'mcp', '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('would run: kind create cluster --name mcp --config <tmp>/kind-config.yaml');
    expect(run.stdout.match(/- role: worker/g)).toHaveLength(2);
    expect(run.stdout).toContain('- role: control-plane');
    expect(run.stdout).toMatch(/^would write \S+\/mcp-runtime\/kind\/mcp\/certs\.d \(containerd hosts files: plain HTTP for the in-cluster registry only\)$/m);
    expect(run.stdout).toContain('config_path = "/etc/containerd/certs.d"');
    expect(run.stdout).toContain('containerPath: /etc/containerd/certs.d');
  });
});

describe('cluster provision for cloud providers', () => {
  it.each([
    ['gke', 'gcloud container clusters create mcp-runtime --num-nodes 3'],
    ['eks', 'eksctl create cluster --name mcp-runtime --nodes 3'],
    ['aks', 'az aks create --resource-group <resource-group> --name mcp-runtime --node-count 3'],
  ])('%s prints the equivalent command and exits 0', async (provider, command) => {
    const run = await runCli(ClusterProvision, ['--provider', provider, '--nodes', '3']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(command);
  });

  it('an unknown provider is a usage error', async () => {
    expect((await runCli(ClusterProvision, ['--provider', 'openstack'])).exitCode).toBe(2);
  });
});
