// cluster provision: the local sandbox for real (a second control plane, in a subprocess, until
// SIGINT); kind through a stand-in `kind` executable (there is no Docker here) that records what
// it was asked to do, its failure, the missing binary and dry run; the cloud providers' commands.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ClusterProvision from '../../../src/commands/cluster/provision.js';
import ServerList from '../../../src/commands/server/list.js';
import ClusterInit from '../../../src/commands/cluster/init.js';
import { DATA_DIR_PREFIX } from '../../../src/local-cluster/index.js';
import { processesReferencing } from '../harness/index.js';
import { runCli, spawnCli, tempDir } from './cli.js';

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

  /**
   * A stand-in `kind` first on PATH: records its arguments (one per line) and a copy of the
   * config file it was given (the CLI removes its temp copy afterwards), prints what kind would,
   * and exits with `exit`.
   */
  async function fakeKind(name: string, exit: number, message: string): Promise<{ bin: string; argv: string; config: string }> {
    const bin = join(dir.path, name);
    await mkdir(bin);
    const argv = join(bin, 'argv');
    const config = join(bin, 'config.yaml');
    const script = [
      '#!/bin/sh',
      `printf '%s\\n' "$@" > '${argv}'`,
      'while [ $# -gt 0 ]; do',
      `  if [ "$1" = --config ]; then cp "$2" '${config}'; fi`,
      '  shift',
      'done',
      exit === 0 ? `echo '${message}'` : `echo '${message}' >&2`,
      `exit ${exit}`,
      '',
    ].join('\n');
    await writeFile(join(bin, 'kind'), script, { mode: 0o755 });
    return { bin, argv, config };
  }

  it('runs `kind create cluster` with the name, a config with 1 control plane + N-1 workers and the kubeconfig; exit 0 (subprocess)', async () => {
    const kind = await fakeKind('kind-ok', 0, 'Creating cluster "mcp" ...');
    const kubeconfig = join(dir.path, 'kind.kubeconfig');
    const run = await spawnCli('cluster/provision', ['--provider', 'kind', '--nodes', '3', '--name', 'mcp', '--kubeconfig', kubeconfig], {
      env: { PATH: `${kind.bin}${delimiter}${process.env.PATH ?? ''}` },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const argv = (await readFile(kind.argv, 'utf8')).trimEnd().split('\n');
    expect(argv).toEqual(['create', 'cluster', '--name', 'mcp', '--config', expect.stringMatching(/kind-config\.yaml$/), '--kubeconfig', kubeconfig]);
    expect(parse(await readFile(kind.config, 'utf8'))).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [{ role: 'control-plane' }, { role: 'worker' }, { role: 'worker' }],
    });
    // kind's own output reaches the terminal, then what to do next.
    expect(run.stdout).toContain('Creating cluster "mcp" ...');
    expect(run.stdout).toContain('kind cluster "mcp" is ready (context kind-mcp); next: `mcp-runtime setup --context kind-mcp`');
    // The temporary config is removed.
    expect(existsSync(argv[5]!)).toBe(false);
  });

  it('defaults: cluster mcp-runtime with one control-plane node and kind\'s own kubeconfig', async () => {
    const kind = await fakeKind('kind-defaults', 0, 'ok');
    const run = await spawnCli('cluster/provision', ['--provider', 'kind'], { env: { PATH: `${kind.bin}${delimiter}${process.env.PATH ?? ''}` } });
    expect(run.exitCode).toBe(0);
    const argv = (await readFile(kind.argv, 'utf8')).trimEnd().split('\n');
    expect(argv).toEqual(['create', 'cluster', '--name', 'mcp-runtime', '--config', expect.stringMatching(/kind-config\.yaml$/)]);
    expect(parse(await readFile(kind.config, 'utf8'))).toMatchObject({ nodes: [{ role: 'control-plane' }] });
  });

  it('when kind fails: its message, then ours with its exit code; exit 1, no stack trace (subprocess)', async () => {
    const kind = await fakeKind('kind-fails', 3, 'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "mcp"');
    const run = await spawnCli('cluster/provision', ['--provider', 'kind', '--name', 'mcp'], {
      env: { PATH: `${kind.bin}${delimiter}${process.env.PATH ?? ''}` },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('ERROR: failed to create cluster: node(s) already exist for a cluster with the name "mcp"');
    expect(run.stderr).toContain('kind create cluster failed (exit code 3); see its output above');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toContain('is ready');
    const argv = (await readFile(kind.argv, 'utf8')).trimEnd().split('\n');
    expect(existsSync(argv[5]!)).toBe(false);
  });

  it('--dry-run prints the kind command and a config with N nodes', async () => {
    const run = await runCli(ClusterProvision, ['--provider', 'kind', '--nodes', '3', '--name', 'mcp', '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('would run: kind create cluster --name mcp --config <tmp>/kind-config.yaml');
    expect(run.stdout.match(/- role: worker/g)).toHaveLength(2);
    expect(run.stdout).toContain('- role: control-plane');
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
