// pipeline generate -> deploy -> server list against the real API server; deploy's
// all-or-nothing validation, dry run, diff, namespace creation and RBAC.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { asServiceAccount, freshNamespace, installCrds, type FreshNamespace } from '../harness/index.js';
import PipelineGenerate from '../../../src/commands/pipeline/generate.js';
import PipelineDeploy from '../../../src/commands/pipeline/deploy.js';
import PipelineDiff from '../../../src/commands/pipeline/diff.js';
import ServerList from '../../../src/commands/server/list.js';
import type { KubeRest } from '../../../src/kube/rest.js';
import { runCli, spawnCli, tempDir, writeKubeconfig } from './cli.js';
import { admin, adminKubeconfig } from './fixtures/cluster.js';

let rest: KubeRest;
let dir: { path: string; cleanup: () => Promise<void> };
let ns: FreshNamespace;
const extraNamespaces: string[] = [];
let kubeconfig: string;

const serversIn = async (namespace: string) =>
  (await rest.list(`/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${namespace}/mcpservers`)).map((s) => s.metadata?.name).sort();

const metadata = (namespace: string, extra = '') => `version: v1
servers:
  - name: weather
    image: registry.example.com/team/weather
    imageTag: v1
    namespace: ${namespace}
    port: 8080${extra}
  - name: notes
    image: registry.example.com/team/notes:1.2
    namespace: ${namespace}
    envVars:
      - name: LOG_LEVEL
        value: debug
`;

beforeAll(async () => {
  rest = await admin();
  kubeconfig = adminKubeconfig();
  await installCrds();
  dir = await tempDir('pipeline');
  ns = await freshNamespace('cli-pipeline');
});

afterAll(async () => {
  await ns?.cleanup();
  for (const name of extraNamespaces) await rest.request('DELETE', `/api/v1/namespaces/${name}`).catch(() => undefined);
  await dir?.cleanup();
});

describe('pipeline generate -> deploy -> server list', () => {
  it('deploys generated manifests and lists the servers', async () => {
    const mcp = join(dir.path, 'app', '.mcp');
    const out = join(dir.path, 'app', 'manifests');
    await mkdir(mcp, { recursive: true });
    await writeFile(join(mcp, 'metadata.yaml'), metadata(ns.name));

    const generated = await runCli(PipelineGenerate, ['--dir', mcp, '--output-dir', out]);
    expect(generated.exitCode).toBe(0);
    // A kustomization, as synth writes: the folder is a GitOps source, and deploy accepts it.
    expect((await readdir(out)).sort()).toEqual([`${ns.name}.notes.yaml`, `${ns.name}.weather.yaml`, 'kustomization.yaml']);
    expect(parse(await readFile(join(out, 'kustomization.yaml'), 'utf8'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [`${ns.name}.notes.yaml`, `${ns.name}.weather.yaml`],
    });

    const deployed = await runCli(PipelineDeploy, ['--dir', out, '--kubeconfig', kubeconfig]);
    expect(deployed.exitCode).toBe(0);
    expect(deployed.stdout).toContain(`created    MCPServer ${ns.name}/weather`);
    expect(deployed.stdout).toContain(`created    MCPServer ${ns.name}/notes`);
    expect(await serversIn(ns.name)).toEqual(['notes', 'weather']);

    const listed = await runCli(ServerList, ['-n', ns.name, '--kubeconfig', kubeconfig]);
    expect(listed.exitCode).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+NAMESPACE\s+PHASE\s+READY\s+VERIFIED\s+TOOLS\s+URL\s+IMAGE\s+AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['notes', ns.name],
      ['weather', ns.name],
    ]);
    expect(listed.stdout).toContain('registry.example.com/team/weather');

    const json = await runCli(ServerList, ['-A', '--json', '--kubeconfig', kubeconfig]);
    const names = (JSON.parse(json.stdout) as { items: { metadata: { name: string; namespace: string } }[] }).items
      .filter((i) => i.metadata.namespace === ns.name)
      .map((i) => i.metadata.name);
    expect(names).toEqual(['notes', 'weather']);

    // A second deploy changes nothing and says so.
    const again = await runCli(PipelineDeploy, ['--dir', out, '--kubeconfig', kubeconfig]);
    expect(again.stdout).toContain(`unchanged  MCPServer ${ns.name}/weather`);
    expect(again.stdout).toContain('0 created, 0 configured, 2 unchanged');
  });

  it('diff shows the field that would change, deploy --dry-run writes nothing, deploy reports configured', async () => {
    const mcp = join(dir.path, 'app', '.mcp');
    const out = join(dir.path, 'app', 'manifests');
    await writeFile(join(mcp, 'metadata.yaml'), metadata(ns.name, '\n    replicas: 3'));
    expect((await runCli(PipelineGenerate, ['--dir', mcp, '--output-dir', out])).stdout).toContain(`wrote     ${join(out, `${ns.name}.weather.yaml`)}`);

    const diff = await runCli(PipelineDiff, ['--dir', out, '--kubeconfig', kubeconfig, '--exit-code']);
    expect(diff.exitCode).toBe(8);
    expect(diff.stdout).toContain(`~ MCPServer ${ns.name}/weather`);
    expect(diff.stdout).toContain('  ~ spec.replicas: 1 -> 3');
    expect(diff.stdout).toContain(`= MCPServer ${ns.name}/notes`);

    const before = await rest.get(`/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers/weather`);
    const dry = await runCli(PipelineDeploy, ['--dir', out, '--kubeconfig', kubeconfig, '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain(`configured MCPServer ${ns.name}/weather (dry run)`);
    const after = await rest.get(`/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers/weather`);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);

    const real = await runCli(PipelineDeploy, ['--dir', out, '--kubeconfig', kubeconfig]);
    expect(real.stdout).toContain(`configured MCPServer ${ns.name}/weather`);
    expect(real.stdout).toContain(`unchanged  MCPServer ${ns.name}/notes`);
    const live = await rest.get<{ spec: { replicas: number } }>(`/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers/weather`);
    expect(live.spec.replicas).toBe(3);
    expect((await runCli(PipelineDiff, ['--dir', out, '--kubeconfig', kubeconfig, '--exit-code'])).exitCode).toBe(0);
  });

  it('generate with an invalid metadata file writes nothing and exits 3 with file:line:col', async () => {
    const bad = join(dir.path, 'bad-meta');
    await mkdir(bad);
    await writeFile(join(bad, 'metadata.yaml'), 'version: v1\nservers:\n  - name: ok\n    image: x\n  - name: Not_Valid\n    image: y\n    port: 70000\n');
    const out = join(dir.path, 'bad-out');
    const run = await runCli(PipelineGenerate, ['--dir', bad, '--output-dir', out]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`${join(bad, 'metadata.yaml')}:5:11 servers[1].name:`);
    expect(run.stderr).toContain(`${join(bad, 'metadata.yaml')}:7:11 servers[1].port: must be at most 65535`);
    await expect(readdir(out)).rejects.toThrow();
  });
});

describe('pipeline deploy validation', () => {
  it('one invalid manifest in the folder: applies nothing, names the file and the field (exit 3)', async () => {
    const folder = join(dir.path, 'mixed');
    await mkdir(folder);
    const good = (name: string) => `apiVersion: mcp.agent-hellboy.io/v1alpha1\nkind: MCPServer\nmetadata:\n  name: ${name}\n  namespace: ${ns.name}\nspec:\n  image: registry.example.com/${name}\n`;
    await writeFile(join(folder, 'a-good.yaml'), good('good-one'));
    await writeFile(join(folder, 'b-multi.yaml'), `${good('good-two')}---\n${good('bad-one').replace('  image:', '  replicas: many\n  image:')}`);
    await writeFile(join(folder, 'c-good.yml'), good('good-three'));
    const before = await serversIn(ns.name);

    const run = await runCli(PipelineDeploy, ['--dir', folder, '--kubeconfig', kubeconfig]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('nothing was applied');
    expect(run.stderr).toContain(`${join(folder, 'b-multi.yaml')}:15:13 spec.replicas: must be a number, not the string "many"`);
    expect(await serversIn(ns.name)).toEqual(before);
  });

  it('an apply the API server refuses (RBAC) is caught by the server-side dry run: nothing applied (exit 5)', async () => {
    // The user may write MCPServers in ns but not in other: a.yaml alone would succeed, b.yaml is
    // refused; the preflight dry run covers both, so a.yaml must not be applied either.
    const other = await freshNamespace('cli-pipeline-other');
    try {
      const folder = join(dir.path, 'server-side');
      await mkdir(folder);
      const doc = (name: string, namespace: string) =>
        `apiVersion: mcp.agent-hellboy.io/v1alpha1\nkind: MCPServer\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {image: x}\n`;
      await writeFile(join(folder, 'a.yaml'), doc('allowed', ns.name));
      await writeFile(join(folder, 'b.yaml'), doc('refused', other.name));
      const sa = await asServiceAccount(ns.name, 'deployer', {
        create: true,
        rules: [{ apiGroups: ['mcp.agent-hellboy.io'], resources: ['mcpservers'], verbs: ['get', 'list', 'create', 'patch'] }],
      });
      const deployer = await writeKubeconfig(sa, dir.path, 'deployer.kubeconfig');
      const run = await runCli(PipelineDeploy, ['--dir', folder, '--kubeconfig', deployer]);
      expect(run.exitCode).toBe(5);
      expect(run.stderr).toContain(`${join(folder, 'b.yaml')}:1: MCPServer ${other.name}/refused:`);
      expect(run.stderr).toMatch(new RegExp(`system:serviceaccount:${ns.name}:deployer may not (get|patch) mcpservers\\.mcp\\.agent-hellboy\\.io in namespace "${other.name}"`));
      expect(run.stderr).toContain('Nothing was applied.');
      expect(await serversIn(ns.name)).not.toContain('allowed');
      expect(await serversIn(other.name)).toEqual([]);
      // Alone, the allowed manifest goes through for the same user.
      const alone = await runCli(PipelineDeploy, ['--dir', join(folder, 'a.yaml'), '--kubeconfig', deployer]);
      expect(alone.exitCode).toBe(0);
      expect(await serversIn(ns.name)).toContain('allowed');
    } finally {
      await other.cleanup();
    }
  });

  it('creates a missing namespace with the restricted Pod Security labels (dry run first: nothing)', async () => {
    const target = `${ns.name}-new`;
    extraNamespaces.push(target);
    const folder = join(dir.path, 'new-ns');
    await mkdir(folder);
    await writeFile(join(folder, 's.yaml'), `apiVersion: mcp.agent-hellboy.io/v1alpha1\nkind: MCPServer\nmetadata: {name: fresh, namespace: ${target}}\nspec: {image: x}\n`);

    const dry = await runCli(PipelineDeploy, ['--dir', folder, '--kubeconfig', kubeconfig, '--dry-run']);
    expect(dry.stdout).toContain(`created    Namespace ${target} (dry run)`);
    expect(await rest.find(`/api/v1/namespaces/${target}`)).toBeUndefined();

    const real = await runCli(PipelineDeploy, ['--dir', folder, '--kubeconfig', kubeconfig]);
    expect(real.exitCode).toBe(0);
    expect(real.stdout).toContain(`created    Namespace ${target}`);
    const created = await rest.get(`/api/v1/namespaces/${target}`);
    expect(created.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(await serversIn(target)).toEqual(['fresh']);
  });

  it('invalid manifests fail the same way through the real error handler (subprocess, no stack trace)', async () => {
    const folder = join(dir.path, 'sub');
    await mkdir(folder);
    await writeFile(join(folder, 'x.yaml'), 'apiVersion: mcp.agent-hellboy.io/v1alpha1\nkind: MCPServer\nmetadata: {name: x}\nspec: {image: x, prot: 1}\n');
    const run = await spawnCli('pipeline/deploy', ['--dir', folder, '--kubeconfig', kubeconfig]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`${join(folder, 'x.yaml')}:4:18 spec.prot: unknown field`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
