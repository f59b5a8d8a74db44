// Endpoints that are not a plain HTTPS API server: a kubeconfig pointing at `kubectl proxy`
// (plain http://, no credentials: the proxy adds them) must work, and an endpoint that is not a
// Kubernetes API server at all (a web server answering HTML) must be named as such, not shown
// as an HTML page or as "run setup".
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { installCrds, kubeConfig } from '../harness/index.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import ClusterStatus from '../../../src/commands/cluster/status.js';
import ServerList from '../../../src/commands/server/list.js';
import Status from '../../../src/commands/status.js';
import Setup from '../../../src/commands/setup.js';
import { runCli, spawnCli, tempDir } from './cli.js';

const servers: Server[] = [];
let dir: { path: string; cleanup: () => Promise<void> };

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What `kubectl proxy` does: plain HTTP in, the admin's TLS credentials added on the way to the API server. */
async function startKubectlProxyLike(): Promise<string> {
  const admin = kubeConfig();
  const upstream = new URL(admin.getCurrentCluster()!.server);
  const tls: RequestOptions = {};
  await admin.applyToHTTPSOptions(tls);
  return listen((req, res) => {
    const out = httpsRequest(
      { ...tls, protocol: 'https:', hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, ...(tls.headers ?? {}), host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
}

async function kubeconfigFor(server: string, name: string): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: c, cluster: { server: "${server}" } }]`,
      'users: [{ name: u, user: {} }]',
      'contexts: [{ name: ctx, context: { cluster: c, user: u } }]',
      'current-context: ctx',
    ].join('\n'),
    { mode: 0o600 },
  );
  return path;
}

let proxied: string;
let proxyUrl: string;
let webPage: string;
let webUrl: string;

beforeAll(async () => {
  await installCrds();
  dir = await tempDir('odd-endpoints');
  proxyUrl = await startKubectlProxyLike();
  proxied = await kubeconfigFor(proxyUrl, 'proxy.kubeconfig');
  webUrl = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>');
  });
  webPage = await kubeconfigFor(webUrl, 'web.kubeconfig');
});

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await dir?.cleanup();
});

describe('a kubeconfig pointing at kubectl proxy (plain http://)', () => {
  it('cluster status and server list work through it', async () => {
    const cluster = await runCli(ClusterStatus, ['--kubeconfig', proxied]);
    expect(cluster.stderr).not.toContain('Error');
    expect(cluster.stdout).toContain(proxyUrl);
    expect(cluster.stdout).toMatch(/OK\s+Cluster/);
    const list = await runCli(ServerList, ['-A', '--kubeconfig', proxied, '-o', 'json']);
    expect({ exit: list.exitCode, stderr: list.stderr }).toEqual({ exit: 0, stderr: '' });
    expect(JSON.parse(list.stdout)).toMatchObject({ kind: 'List', items: expect.any(Array) });
  });

  it('setup --dry-run reads and dry-runs the platform through it', async () => {
    const run = await runCli(Setup, ['--kubeconfig', proxied, '--dry-run', '--ingress', 'none']);
    expect(run.stderr).not.toContain('Error');
    expect(run.exitCode).toBe(0);
    // It read the platform's live state through the proxy: either it lists what it would apply,
    // or (when an earlier test file installed the platform on this shared cluster) says nothing changes.
    // (An earlier file may have installed it with other options: then the summary says what would change.)
    expect(run.stdout).toMatch(/Namespace mcp-runtime|No changes: all \d+ platform objects are up to date|\d+ created, \d+ configured, \d+ unchanged \(dry run: nothing was written\)/);
  });
});

describe('an endpoint that is not a Kubernetes API server', () => {
  it.each([
    ['server list', ServerList, []],
    ['status', Status, []],
    ['cluster status', ClusterStatus, []],
  ] as const)('%s says "not a Kubernetes API server at <url>" (exit 4), not the page or "run setup"', async (_name, command, extra) => {
    const run = await runCli(command, [...extra, '--kubeconfig', webPage]);
    expect(run.exitCode).toBe(ExitCode.UNREACHABLE);
    expect(run.stderr).toContain(`not a Kubernetes API server at ${webUrl}`);
    expect(run.stderr).not.toContain('<html');
    expect(run.stderr).not.toContain('mcp-runtime setup');
  });

  it('reaches the terminal as one line, no stack trace (subprocess)', async () => {
    const run = await spawnCli('server/list', ['--kubeconfig', webPage]);
    expect(run.exitCode).toBe(ExitCode.UNREACHABLE);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^Error: not a Kubernetes API server at ${webUrl}: `))]);
  });
});
