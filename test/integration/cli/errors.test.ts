// What a user sees when the cluster is unreachable, not configured, or refuses them: one
// actionable message, the documented exit code, never a stack trace.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asServiceAccount, freshNamespace, installCrds, kubeConfig, type FreshNamespace } from '../harness/index.js';
import ServerList from '../../../src/commands/server/list.js';
import ServerGet from '../../../src/commands/server/get.js';
import Status from '../../../src/commands/status.js';
import ClusterInit from '../../../src/commands/cluster/init.js';
import ClusterStatus from '../../../src/commands/cluster/status.js';
import ServerStatus from '../../../src/commands/server/status.js';
import ServerLogs from '../../../src/commands/server/logs.js';
import ServerDelete from '../../../src/commands/server/delete.js';
import Setup from '../../../src/commands/setup.js';
import RegistryInfo from '../../../src/commands/registry/info.js';
import RegistryStatus from '../../../src/commands/registry/status.js';
import RegistryProvision from '../../../src/commands/registry/provision.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { runCli, spawnCli, tempDir, writeKubeconfig } from './cli.js';
import { adminKubeconfig, bogusTokenKubeconfig, unreachableKubeconfig } from './fixtures/cluster.js';

let dir: { path: string; cleanup: () => Promise<void> };
let unreachable: string;
let ns: FreshNamespace;
let nobody: string;
let bogus: string;

beforeAll(async () => {
  dir = await tempDir('errors');
  unreachable = join(dir.path, 'unreachable.kubeconfig');
  await writeFile(unreachable, unreachableKubeconfig());
  await installCrds();
  ns = await freshNamespace('cli-errors');
  nobody = await writeKubeconfig(await asServiceAccount(ns.name, 'nobody', { create: true }), dir.path, 'nobody.kubeconfig');
  bogus = join(dir.path, 'bogus.kubeconfig');
  await writeFile(bogus, await bogusTokenKubeconfig());
});

afterAll(async () => {
  await ns?.cleanup();
  await dir?.cleanup();
});

describe('cluster unreachable', () => {
  it.each([
    ['server list', ServerList, []],
    ['status', Status, []],
    ['cluster status', ClusterStatus, []],
    ['cluster init', ClusterInit, []],
    ['registry info', RegistryInfo, []],
    ['registry status', RegistryStatus, []],
  ] as const)('%s exits 4 naming the server URL and suggesting a sandbox', async (_name, command, extra) => {
    const run = await runCli(command, ['--kubeconfig', unreachable, ...extra]);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('https://127.0.0.1:1');
    expect(run.stderr).toContain('connection refused');
    expect(run.stderr).toContain('mcp-runtime cluster provision --provider local');
  });

  it('prints the message without a stack trace through the real error handler (subprocess)', async () => {
    const run = await spawnCli('server/list', ['--kubeconfig', unreachable]);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('Error: cannot reach the Kubernetes API server https://127.0.0.1:1');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
  });
});

describe('credentials the API server rejects (401)', () => {
  const unauthorized = (stderr: string) =>
    expect(stderr).toContain(`unauthorized: the API server ${kubeConfig().getCurrentCluster()!.server} rejected the credentials (401)`);

  it.each([
    ['server list', ServerList, []],
    ['server get', ServerGet, ['weather']],
    ['server status', ServerStatus, ['weather']],
    ['server logs', ServerLogs, ['weather']],
    ['server delete', ServerDelete, ['weather']],
    ['status', Status, []],
    ['cluster status', ClusterStatus, []],
    ['cluster init', ClusterInit, []],
    ['setup', Setup, []],
    ['registry info', RegistryInfo, []],
    ['registry status', RegistryStatus, []],
    ['registry provision', RegistryProvision, ['--url', 'reg.example.com']],
  ] as const)('%s exits 5 and says to log in again or use another context', async (_name, command, extra) => {
    const run = await runCli(command, [...extra, '--kubeconfig', bogus]);
    expect(run.exitCode).toBe(ExitCode.FORBIDDEN);
    unauthorized(run.stderr);
    expect(run.stderr).toContain('log in again or use another --context/--kubeconfig');
  });

  it('reaches the terminal as one message, no stack trace (subprocess)', async () => {
    const run = await spawnCli('server/list', ['--kubeconfig', bogus]);
    expect(run.exitCode).toBe(ExitCode.FORBIDDEN);
    expect(run.stderr).toContain('Error: unauthorized: the API server https://127.0.0.1:');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
  });

  it('the operator exits 5 at start-up instead of retrying forever (subprocess)', async () => {
    const run = await spawnCli('operator', ['--kubeconfig', bogus, '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0']);
    expect(run.signal).toBeNull();
    expect(run.exitCode).toBe(ExitCode.FORBIDDEN);
    expect(run.stderr).toContain('Error: unauthorized: the API server https://127.0.0.1:');
    expect(run.stderr).toContain('rejected the credentials (401)');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('kubeconfig problems', () => {
  it('a missing --kubeconfig file exits 4 and says how to get a cluster', async () => {
    const run = await runCli(ServerList, ['--kubeconfig', join(dir.path, 'nope')]);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain(`kubeconfig file ${join(dir.path, 'nope')} does not exist`);
  });

  it('an unknown --context is a usage error listing the contexts', async () => {
    const run = await runCli(ServerList, ['--kubeconfig', adminKubeconfig(), '--context', 'nope']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/context "nope" is not in the kubeconfig; available: \S+/);
  });

  it('bad flags are usage errors (exit 2)', async () => {
    const run = await runCli(ServerList, ['--kubeconfig', adminKubeconfig(), '-o', 'xml']);
    expect(run.exitCode).toBe(2);
  });
});

describe('RBAC', () => {
  it('a ServiceAccount without rights gets which verb on which resource in which namespace (exit 5)', async () => {
    const run = await runCli(ServerList, ['--kubeconfig', nobody, '-n', ns.name]);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain(`system:serviceaccount:${ns.name}:nobody may not list mcpservers.mcp.agent-hellboy.io in namespace "${ns.name}"`);
    expect(run.stderr).toContain(`kubectl auth can-i list mcpservers.mcp.agent-hellboy.io -n ${ns.name}`);
  });

  it('names the cluster scope when a cluster-scoped write is refused', async () => {
    const run = await runCli(ClusterInit, ['--kubeconfig', nobody]);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toMatch(/may not (get|patch) namespaces at cluster scope/);
  });

  it('registry info, on the common command base, says what it may not read like every command (exit 5)', async () => {
    const run = await runCli(RegistryInfo, ['--kubeconfig', nobody]);
    expect(run.exitCode).toBe(ExitCode.FORBIDDEN);
    expect(run.stderr).toContain(`Error: forbidden: system:serviceaccount:${ns.name}:nobody may not get secrets in namespace "mcp-runtime"`);
    expect(run.stderr).toContain('kubectl auth can-i get secrets -n mcp-runtime');
  });

  it('status degrades to "cannot tell" instead of failing for a user who may read little', async () => {
    const run = await runCli(Status, ['--kubeconfig', nobody]);
    expect(run.stdout).toContain('OK  Cluster');
    expect(run.stdout).toMatch(/Operator: you may not list deployments in mcp-runtime/);
    expect(run.exitCode).toBe(1); // not healthy as far as it can tell
  });
});

describe('not found', () => {
  it('server get of a missing server exits 6 and points at server list -A', async () => {
    const run = await runCli(ServerGet, ['missing', '--kubeconfig', adminKubeconfig(), '-n', ns.name]);
    expect(run.exitCode).toBe(6);
    expect(run.stderr).toContain(`MCPServer "missing" not found in namespace "${ns.name}"`);
    expect(run.stderr).toContain('server list -A');
  });
});

// keep the admin kubeconfig helper honest
it('the harness kubeconfig is the one the CLI uses', () => {
  expect(kubeConfig().getCurrentCluster()?.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
});
