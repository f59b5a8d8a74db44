/**
 * The README walk-through on the shared control plane, through the real CLI (subprocesses):
 * metadata → pipeline generate → pipeline deploy → operator → Ready → `server list` shows URLs.
 * The sandbox has no ingress controller to publish an address, so the operator runs in the
 * permissive readiness mode made for such clusters.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument, type YAMLSeq } from 'yaml';
import { freshNamespace, waitFor, type FreshNamespace } from '../harness/index.js';
import { installAllCrds, operatorIdentity, removeIdentity } from '../operator/fixture.js';
import { kill, spawnOperator, writeKubeconfig, type OperatorProcess } from '../operator/subprocess.js';

const run = promisify(execFile);
const HOST = 'mcp.e2e.example.com';

let ns: FreshNamespace;
let work: string;
let operator: OperatorProcess | undefined;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bin/dev.js', ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await installAllCrds();
  ns = await freshNamespace('e2e');
  work = await mkdtemp(join(tmpdir(), 'mcp-e2e-'));
  // The examples' metadata, moved into this test's namespace.
  const metadata = parseDocument(await readFile('examples/.mcp/metadata.yaml', 'utf8'));
  const servers = metadata.get('servers') as YAMLSeq;
  servers.items.forEach((_, i) => metadata.setIn(['servers', i, 'namespace'], ns.name));
  await mkdir(join(work, '.mcp'));
  await writeFile(join(work, '.mcp', 'metadata.yaml'), metadata.toString());
  const kubeconfig = await writeKubeconfig(await operatorIdentity(ns.name));
  operator = spawnOperator(kubeconfig, ns.name, ['--no-leader-elect', '--default-ingress-host', HOST]);
});

afterAll(async () => {
  if (operator !== undefined) await kill(operator, 'SIGTERM');
  await removeIdentity(ns.name);
  await ns?.cleanup();
  await rm(work, { recursive: true, force: true });
});

describe('README walk-through', () => {
  it('goes from metadata to Ready servers listed with their URLs', async () => {
    const kubeconfig = process.env.MCP_TEST_KUBECONFIG as string;
    const generated = await cli('pipeline', 'generate', '--dir', join(work, '.mcp'), '--output-dir', join(work, 'manifests'));
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect((await readdir(join(work, 'manifests'))).sort()).toEqual([`${ns.name}.notes.yaml`, `${ns.name}.weather.yaml`, 'kustomization.yaml']);

    const deployed = await cli('pipeline', 'deploy', '--dir', join(work, 'manifests'), '--kubeconfig', kubeconfig);
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toContain('2 created');

    const listed = await waitFor(
      'both servers Ready in `server list`',
      async () => (await cli('server', 'list', '-n', ns.name, '--kubeconfig', kubeconfig)).stdout,
      { until: (out) => (out.match(/\bReady\b/g) ?? []).length >= 2, timeoutMs: 90_000, intervalMs: 2_000 },
    );
    expect(listed).toMatch(new RegExp(`weather\\s+${ns.name}\\s+Ready\\s+2/2\\s+-\\s+-\\s+http://${HOST.replace(/\./g, '\\.')}/weather/mcp`));
    expect(listed).toMatch(new RegExp(`notes\\s+${ns.name}\\s+Ready\\s+3/3\\s+-\\s+-\\s+http://${HOST.replace(/\./g, '\\.')}/notes/mcp`));

    // A second deploy of the same manifests changes nothing.
    const again = await cli('pipeline', 'deploy', '--dir', join(work, 'manifests'), '--kubeconfig', kubeconfig);
    expect(again.stdout).toContain('2 unchanged');
  }, 180_000);
});
