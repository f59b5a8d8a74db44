// `synth` writes YAML without a cluster. These tests take what the command wrote and hand it to
// the real API server (server-side apply, dry run): what synth prints for review must be what
// a cluster accepts. Invalid manifests fail with file:line and exit 3, writing nothing.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import Synth from '../../../src/commands/synth.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { applyWithOutcome } from '../../../src/kube/apply.js';
import type { KubeObject, KubeRest } from '../../../src/kube/rest.js';
import { provisionRegistry } from '../../../src/registry/provision.js';
import { freshNamespace, type FreshNamespace } from '../harness/index.js';
import { runCli, spawnCli, tempDir } from './cli.js';
import { admin, TEST_MANAGER } from './fixtures/cluster.js';

let rest: KubeRest;
let ns: FreshNamespace;
let dir: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  rest = await admin();
  ns = await freshNamespace('cli-synth');
  dir = await tempDir('synth');
});

afterAll(async () => {
  await ns?.cleanup();
  await dir?.cleanup();
});

/** Every object in the YAML files of `folder` (kustomization.yaml is kustomize's, not the API server's). */
async function objectsIn(folder: string): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  for (const file of (await readdir(folder)).sort()) {
    if (!/\.ya?ml$/.test(file) || file === 'kustomization.yaml') continue;
    for (const doc of parseAllDocuments(await readFile(join(folder, file), 'utf8'))) {
      const obj = doc.toJS() as KubeObject | null;
      if (obj !== null) objects.push(obj);
    }
  }
  return objects;
}

describe('synth --servers', () => {
  it("writes the objects the operator would apply, and the API server accepts each built-in one (server-side dry run)", async () => {
    const manifests = join(dir.path, 'manifests');
    const out = join(dir.path, 'rendered');
    await mkdir(manifests);
    await writeFile(
      join(manifests, 'weather.yaml'),
      [
        'apiVersion: mcp.agent-hellboy.io/v1alpha1',
        'kind: MCPServer',
        'metadata:',
        '  name: weather',
        `  namespace: ${ns.name}`,
        'spec:',
        '  image: registry.example.com/team/weather',
        '  imageTag: "1.0.0"',
        '  replicas: 2',
        '',
      ].join('\n'),
    );
    const run = await runCli(Synth, ['--servers', manifests, '--output-dir', out, '--default-ingress-host', 'mcp.example.com']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('wrote ');

    const objects = await objectsIn(out);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Ingress', 'Middleware', 'NetworkPolicy', 'Service']);
    // Middleware is Traefik's kind; whether this shared cluster serves it depends on other suites.
    for (const obj of objects.filter((o) => o.kind !== 'Middleware')) {
      const result = await applyWithOutcome(rest, obj, { dryRun: true, fieldManager: TEST_MANAGER, force: true });
      expect(result.outcome).toBe('created');
      expect(result.after.metadata?.namespace).toBe(ns.name);
    }
    const deployment = objects.find((o) => o.kind === 'Deployment') as KubeObject & { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('registry.example.com/team/weather:1.0.0');
    // A dry run: nothing was created.
    expect(await rest.find(`/apis/apps/v1/namespaces/${ns.name}/deployments/weather`)).toBeUndefined();
  });

  it('an invalid manifest: exit 3 naming file, line and field; nothing written', async () => {
    const manifests = join(dir.path, 'bad');
    const out = join(dir.path, 'bad-out');
    await mkdir(manifests);
    await writeFile(
      join(manifests, 'bad.yaml'),
      ['apiVersion: mcp.agent-hellboy.io/v1alpha1', 'kind: MCPServer', 'metadata:', '  name: bad', 'spec:', '  image: example/bad', '  port: 70000', ''].join('\n'),
    );
    const run = await runCli(Synth, ['--servers', manifests, '--output-dir', out]);
    expect(run.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(run.stderr).toContain(`${join(manifests, 'bad.yaml')}:7: spec.port: must be at most 65535`);
    expect(existsSync(out)).toBe(false);

    // In a process with no terminal and a narrow width, each problem is still one line of its
    // own, unprefixed, on stderr (oclif would wrap at 80 columns and prefix ` ›`).
    const problem = `${join(manifests, 'bad.yaml')}:7: spec.port: must be at most 65535`;
    const narrow = await spawnCli('synth', ['--servers', manifests, '--output-dir', out], { env: { COLUMNS: '40', OCLIF_COLUMNS: undefined } });
    expect(narrow.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(narrow.stderr.split('\n')).toContain(problem);
    expect(narrow.stderr).not.toContain('›');
    expect(narrow.stdout).toBe('');

    // --json: the same problems as one JSON object on stdout.
    const json = await spawnCli('synth', ['--servers', manifests, '--output-dir', out, '--json'], { env: { COLUMNS: '40', OCLIF_COLUMNS: undefined } });
    expect(json.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        message: '1 problem in the server manifests',
        exit: ExitCode.INVALID_INPUT,
        problems: [{ file: join(manifests, 'bad.yaml'), line: 7, field: 'spec.port', message: 'must be at most 65535' }],
      },
    });
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('synth refuses malformed flags before writing anything', () => {
  it('platform: exit 3 naming each flag and value; nothing written', async () => {
    const out = join(dir.path, 'bad-flags');
    const run = await runCli(Synth, ['--output-dir', out, '--registry-allow-cidr', '10.0.0.0/16', '--registry-allow-cidr', '10.0.0.0/33', '--default-ingress-host', '10.1.2.3']);
    expect(run.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(run.stderr).toContain('--default-ingress-host "10.1.2.3": must be a DNS name');
    expect(run.stderr).toContain('--registry-allow-cidr "10.0.0.0/33": must be a CIDR');
    expect(run.stderr).not.toContain('"10.0.0.0/16"');
    expect(existsSync(out)).toBe(false);
  });

  it('--servers: exit 3 naming the flag; nothing written', async () => {
    const manifests = join(dir.path, 'flags-manifests');
    const out = join(dir.path, 'flags-out');
    await mkdir(manifests);
    await writeFile(join(manifests, 'a.yaml'), ['apiVersion: mcp.agent-hellboy.io/v1alpha1', 'kind: MCPServer', 'metadata:', '  name: a', 'spec:', '  image: example/a', ''].join('\n'));
    const run = await runCli(Synth, ['--servers', manifests, '--output-dir', out, '--default-ingress-host', 'https://mcp.example.com']);
    expect(run.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(run.stderr).toContain('--default-ingress-host "https://mcp.example.com": must be a DNS name');
    expect(existsSync(out)).toBe(false);
  });
});

describe('synth with an external registry', () => {
  it('points the operator at the very Secret `registry provision` writes (GitOps users get the pull password)', async () => {
    const provisioned = await provisionRegistry(rest, { url: 'https://reg.example.com/team', username: 'robot', password: 'not-a-real-password' });
    try {
      const out = join(dir.path, 'external-registry');
      const run = await runCli(Synth, ['--output-dir', out, '--registry', 'reg.example.com/team', '--registry-username', 'robot']);
      expect(run.exitCode).toBe(0);
      const operator = (await objectsIn(out)).find((o) => o.kind === 'Deployment' && o.metadata?.namespace === 'mcp-runtime')!;
      const containers = (operator.spec as { template: { spec: { containers: { env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] }[] } } })
        .template.spec.containers;
      const ref = containers.flatMap((c) => c.env ?? []).find((e) => e.name === 'PROVISIONED_REGISTRY_PASSWORD')?.valueFrom?.secretKeyRef;
      expect(ref).toBeDefined();
      // The reference resolves on the cluster: same namespace, same name, the key holds the password.
      expect(provisioned.namespace).toBe('mcp-runtime');
      const secret = await rest.get<{ data: Record<string, string> }>(`/api/v1/namespaces/mcp-runtime/secrets/${ref!.name}`);
      expect(Buffer.from(secret.data[ref!.key] ?? '', 'base64').toString('utf8')).toBe('not-a-real-password');
    } finally {
      await rest.request('DELETE', `/api/v1/namespaces/${provisioned.namespace}/secrets/${provisioned.secretName}`);
    }
  });
});
