// A cluster where the platform is not set up: the MCPServer CRD is missing. Every other test
// file shares one control plane on which the CRD is installed, so this file starts its own,
// short-lived one (the same harness: a real API server, KWOK nodes) and stops it at the end.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startControlPlane, type ControlPlane } from '../../../src/local-cluster/index.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import ServerList from '../../../src/commands/server/list.js';
import ServerGet from '../../../src/commands/server/get.js';
import ServerStatus from '../../../src/commands/server/status.js';
import ServerLogs from '../../../src/commands/server/logs.js';
import ServerDelete from '../../../src/commands/server/delete.js';
import Status from '../../../src/commands/status.js';
import ClusterStatus from '../../../src/commands/cluster/status.js';
import ClusterInit from '../../../src/commands/cluster/init.js';
import { runCli, spawnCli } from './cli.js';

let cp: ControlPlane;
let kubeconfig: string;

beforeAll(async () => {
  cp = await startControlPlane();
  kubeconfig = cp.kubeconfigPath;
});

afterAll(async () => {
  await cp?.stop();
});

const NOT_INSTALLED = 'the MCPServer API (mcpservers.mcp.agent-hellboy.io) is not installed on';
const RUN_SETUP = 'run `mcp-runtime setup` (or `mcp-runtime cluster init` for just the CRD and namespaces)';

describe('MCPServer CRD missing', () => {
  it.each([
    ['server list', ServerList, []],
    ['server list -A', ServerList, ['-A']],
    ['server get', ServerGet, ['weather']],
    ['server status', ServerStatus, ['weather']],
    ['server logs', ServerLogs, ['weather']],
    ['server delete', ServerDelete, ['weather']],
  ] as const)('%s exits 4 and says to run `mcp-runtime setup` (not "server not found")', async (_name, command, extra) => {
    const run = await runCli(command, [...extra, '--kubeconfig', kubeconfig]);
    expect(run.exitCode).toBe(ExitCode.UNREACHABLE);
    expect(run.stderr).toContain(`${NOT_INSTALLED} ${cp.server}: ${RUN_SETUP}`);
    expect(run.stderr).not.toContain('not found');
  });

  it('status and cluster status report the missing CRD with what to do and exit 4', async () => {
    for (const command of [Status, ClusterStatus]) {
      const run = await runCli(command, ['--kubeconfig', kubeconfig]);
      expect(run.exitCode).toBe(ExitCode.UNREACHABLE);
      expect(run.stdout).toContain('OK  Cluster');
      expect(run.stdout).toContain('NO  MCPServer CRD missing: run `mcp-runtime setup` (or `mcp-runtime cluster init`)');
    }
  });

  it('reaches the terminal as one message, no stack trace (subprocess)', async () => {
    const run = await spawnCli('server/list', ['--kubeconfig', kubeconfig]);
    expect(run.exitCode).toBe(ExitCode.UNREACHABLE);
    expect(run.stderr).toContain(`Error: ${NOT_INSTALLED} ${cp.server}: run \`mcp-runtime setup\``);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
  });

  it('following the advice works: after `cluster init` the same commands succeed', async () => {
    const init = await runCli(ClusterInit, ['--kubeconfig', kubeconfig]);
    expect(init.exitCode).toBe(0);
    const list = await runCli(ServerList, ['-A', '--kubeconfig', kubeconfig]);
    expect(list.exitCode).toBe(0);
    expect(list.stderr).toContain('No MCP servers in any namespace.');
    // And a missing server is now "not found" (exit 6), not "not set up".
    const get = await runCli(ServerGet, ['weather', '--kubeconfig', kubeconfig]);
    expect(get.exitCode).toBe(ExitCode.NOT_FOUND);
    expect(get.stderr).toContain('MCPServer "weather" not found in namespace "mcp-servers"');
  });
});
