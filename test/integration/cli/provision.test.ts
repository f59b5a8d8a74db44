// cluster provision: the local sandbox for real (a second control plane, in a subprocess, until
// SIGINT), kind's missing-binary error and dry run, and the cloud providers' printed commands.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
