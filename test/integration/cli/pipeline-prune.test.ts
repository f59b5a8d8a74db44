// pipeline deploy --prune against the real API server: servers that left the folder are
// deleted (dry run first: nothing), servers of another folder and servers nobody deployed
// from a folder are left alone.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import PipelineDeploy from '../../../src/commands/pipeline/deploy.js';
import PipelineGenerate from '../../../src/commands/pipeline/generate.js';
import type { KubeObject, KubeRest } from '../../../src/kube/rest.js';
import { deploySource, SOURCE_ANNOTATION, SOURCE_LABEL } from '../../../src/pipeline/source.js';
import { freshNamespace, installCrds, type FreshNamespace } from '../harness/index.js';
import { runCli, tempDir } from './cli.js';
import { admin, adminKubeconfig, applyAsTests } from './fixtures/cluster.js';

let rest: KubeRest;
let dir: { path: string; cleanup: () => Promise<void> };
let ns: FreshNamespace;
let kubeconfig: string;

const collection = () => `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers`;
const serverNames = async () => (await rest.list(collection())).map((s) => s.metadata?.name).sort();

const metadata = (names: readonly string[]) =>
  `version: v1\nservers:\n${names.map((n) => `  - name: ${n}\n    image: registry.example.com/team/${n}:1\n    namespace: ${ns.name}\n`).join('')}`;

/** Writes the metadata, generates the folder (pruning stale files) and returns the folder. */
async function generate(folder: string, names: readonly string[]): Promise<string> {
  const mcp = join(dir.path, folder, '.mcp');
  const out = join(dir.path, folder, 'manifests');
  await mkdir(mcp, { recursive: true });
  await writeFile(join(mcp, 'metadata.yaml'), metadata(names));
  const run = await runCli(PipelineGenerate, ['--dir', mcp, '--output-dir', out, '--prune']);
  expect(run.exitCode).toBe(0);
  return out;
}

beforeAll(async () => {
  rest = await admin();
  kubeconfig = adminKubeconfig();
  await installCrds();
  dir = await tempDir('prune');
  ns = await freshNamespace('cli-prune');
});

afterAll(async () => {
  await ns?.cleanup();
  await dir?.cleanup();
});

describe('pipeline deploy --prune', () => {
  it('records the source on each server, and prunes only the servers that left this folder', async () => {
    const a = await generate('a', ['one', 'two']);
    const b = await generate('b', ['three']);
    expect((await runCli(PipelineDeploy, ['--dir', a, '--kubeconfig', kubeconfig])).exitCode).toBe(0);
    expect((await runCli(PipelineDeploy, ['--dir', b, '--kubeconfig', kubeconfig])).exitCode).toBe(0);
    // Created by hand: no source, so no prune may ever touch it.
    await applyAsTests(rest, { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name: 'by-hand', namespace: ns.name }, spec: { image: 'x/y:1' } });

    const one = await rest.get<KubeObject>(`${collection()}/one`);
    expect(one.metadata?.labels?.[SOURCE_LABEL]).toBe(deploySource(a).id);
    expect(one.metadata?.annotations?.[SOURCE_ANNOTATION]).toBe(deploySource(a).name);
    expect(await serverNames()).toEqual(['by-hand', 'one', 'three', 'two']);

    // "two" leaves folder a.
    await generate('a', ['one']);
    const dry = await runCli(PipelineDeploy, ['--dir', a, '--kubeconfig', kubeconfig, '--prune', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain(`pruned     MCPServer ${ns.name}/two (dry run)`);
    expect(dry.stdout).not.toContain('three');
    expect(await serverNames()).toEqual(['by-hand', 'one', 'three', 'two']);

    const real = await runCli(PipelineDeploy, ['--dir', a, '--kubeconfig', kubeconfig, '--prune']);
    expect(real.exitCode).toBe(0);
    expect(real.stdout).toContain(`pruned     MCPServer ${ns.name}/two`);
    expect(real.stdout).toContain('1 server(s): 0 created, 0 configured, 1 unchanged, 1 pruned.');
    expect(await serverNames()).toEqual(['by-hand', 'one', 'three']);

    // Nothing left to prune: a second run deletes nothing.
    const again = await runCli(PipelineDeploy, ['--dir', a, '--kubeconfig', kubeconfig, '--prune']);
    expect(again.stdout).toContain('0 pruned.');
    expect(await serverNames()).toEqual(['by-hand', 'one', 'three']);
  });

  it('prunes nothing when the deploy fails', async () => {
    const c = await generate('c', ['four', 'five']);
    expect((await runCli(PipelineDeploy, ['--dir', c, '--kubeconfig', kubeconfig])).exitCode).toBe(0);
    await generate('c', ['four']);
    // A manifest the API server refuses (replicas above int32 is caught offline, so break it by hand).
    await writeFile(join(c, 'broken.yaml'), `apiVersion: mcp.agent-hellboy.io/v1alpha1\nkind: MCPServer\nmetadata:\n  name: broken\n  namespace: ${ns.name}\nspec:\n  image: x\n  port: 70000\n`);
    const run = await runCli(PipelineDeploy, ['--dir', c, '--kubeconfig', kubeconfig, '--prune']);
    expect(run.exitCode).toBe(3);
    expect(await serverNames()).toContain('five');
    await rm(join(c, 'broken.yaml'));
  });
});
