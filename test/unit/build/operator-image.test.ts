import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { detectLocalCluster, findProjectRoot, loadCommands, resolveOperatorImage } from '../../../src/build/operator-image.js';
import type { Runner } from '../../../src/build/exec.js';
import type { ToolProbes } from '../../../src/registry/tools.js';

const probes = (installed: string[], daemon = false): ToolProbes => ({
  installed: async (t) => installed.includes(t),
  dockerDaemon: async () => daemon,
});

/** Records commands; git says "not a repository" so the tag comes from package.json. */
function recorder(): { runner: Runner; commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    runner: async (command, args) => {
      if (command === 'git') return { code: 128, signal: null, stdout: '', stderr: 'not a git repository' };
      commands.push([command, ...args].join(' '));
      return { code: 0, signal: null, stdout: '', stderr: '' };
    },
  };
}

describe('detectLocalCluster', () => {
  it('recognises the contexts kind, k3d and minikube write', () => {
    expect(detectLocalCluster({ name: 'kind-dev' })).toEqual({ kind: 'kind', name: 'dev' });
    expect(detectLocalCluster({ name: 'k3d-mcp' })).toEqual({ kind: 'k3d', name: 'mcp' });
    expect(detectLocalCluster({ name: 'minikube' })).toEqual({ kind: 'minikube', name: 'minikube' });
    expect(detectLocalCluster({ name: 'gke_acme_europe-west1_prod' })).toBeUndefined();
    expect(detectLocalCluster({ name: 'kind-' })).toBeUndefined();
    expect(detectLocalCluster(undefined)).toBeUndefined();
  });
});

describe('resolveOperatorImage', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mcp-operator-root-'));
    await writeFile(join(root, 'Dockerfile'), 'FROM scratch\n');
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'mcp-runtime', version: '1.2.3' }));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('takes --operator-image first, then OPERATOR_IMG, then the provisioned one, without building', async () => {
    const { runner, commands } = recorder();
    const deps = { runner, probes: probes(['podman']) };
    const context = { name: 'kind-dev' };
    expect(await resolveOperatorImage({ flag: 'ghcr.io/a/op:1', env: { OPERATOR_IMG: 'x/y:2' }, provisioned: 'p/q:3', context }, deps)).toEqual({ image: 'ghcr.io/a/op:1', source: 'flag' });
    expect(await resolveOperatorImage({ env: { OPERATOR_IMG: 'x/y:2' }, provisioned: 'p/q:3', context }, deps)).toEqual({ image: 'x/y:2', source: 'env' });
    expect(await resolveOperatorImage({ env: {}, provisioned: 'p/q:3', context }, deps)).toEqual({ image: 'p/q:3', source: 'provisioned' });
    expect(commands).toEqual([]);
    await expect(resolveOperatorImage({ flag: 'Bad Image' }, deps)).rejects.toThrow(/--operator-image: invalid image reference/);
  });

  it('on a kind cluster with podman: builds from the Dockerfile and loads a docker-archive', async () => {
    const { runner, commands } = recorder();
    const result = await resolveOperatorImage({ env: {}, context: { name: 'kind-dev' }, projectRoot: root }, { runner, probes: probes(['podman']) });
    expect(result).toEqual({ image: 'localhost/mcp-runtime-operator:dev-1.2.3', source: 'built', loadedInto: { kind: 'kind', name: 'dev' }, builder: 'podman' });
    expect(commands[0]).toBe(`podman build -t localhost/mcp-runtime-operator:dev-1.2.3 -f ${join(root, 'Dockerfile')} ${root}`);
    expect(commands[1]).toMatch(/^podman save --format docker-archive -o \S+\/operator\.tar localhost\/mcp-runtime-operator:dev-1\.2\.3$/);
    expect(commands[2]).toMatch(/^kind load image-archive \S+\/operator\.tar --name dev$/);
  });

  it('on minikube with docker: loads straight from the daemon', async () => {
    const { runner, commands } = recorder();
    await resolveOperatorImage({ env: {}, context: { name: 'minikube' }, projectRoot: root, tag: 't' }, { runner, probes: probes(['docker'], true) });
    expect(commands).toEqual([
      `docker build -t localhost/mcp-runtime-operator:t -f ${join(root, 'Dockerfile')} ${root}`,
      'minikube image load localhost/mcp-runtime-operator:t -p minikube',
    ]);
  });

  it('elsewhere: an error that says what to pass', async () => {
    const { runner, commands } = recorder();
    await expect(resolveOperatorImage({ env: {}, context: { name: 'prod-eks' } }, { runner, probes: probes(['podman']) })).rejects.toThrow(
      /context "prod-eks" is not a kind, minikube or k3d cluster.*--operator-image <image the cluster can pull>.*OPERATOR_IMG/s,
    );
    expect(commands).toEqual([]);
  });

  it('reports a failing load with the tool output', async () => {
    const runner: Runner = async (command) =>
      command === 'k3d' ? { code: 1, signal: null, stdout: '', stderr: 'cluster mcp not found' } : { code: command === 'git' ? 128 : 0, signal: null, stdout: '', stderr: '' };
    await expect(resolveOperatorImage({ env: {}, context: { name: 'k3d-mcp' }, projectRoot: root }, { runner, probes: probes(['buildah']) })).rejects.toThrow(
      /Loading the operator image into k3d cluster "mcp" failed: k3d exited with 1: cluster mcp not found/,
    );
  });
});

describe('loadCommands and findProjectRoot', () => {
  it('k3d with buildah goes through buildah push to a docker-archive', () => {
    expect(loadCommands({ kind: 'k3d', name: 'c' }, 'buildah', 'localhost/op:1', '/t/op.tar')).toEqual([
      { command: 'buildah', args: ['push', 'localhost/op:1', 'docker-archive:/t/op.tar:localhost/op:1'] },
      { command: 'k3d', args: ['image', 'import', '/t/op.tar', '-c', 'c'] },
    ]);
    expect(loadCommands({ kind: 'kind', name: 'k' }, 'docker', 'localhost/op:1', '/t/op.tar')).toEqual([
      { command: 'kind', args: ['load', 'docker-image', 'localhost/op:1', '--name', 'k'] },
    ]);
  });

  it('finds this repository (Dockerfile + package.json named mcp-runtime)', () => {
    const found = findProjectRoot();
    expect(found).toBeDefined();
    expect(found!.endsWith('/src/build')).toBe(false);
  });
});
