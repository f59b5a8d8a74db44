import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { renderPlatform } from '../../../charts-ts/platform/index.js';
import { defaultOperatorSettings, renderServer } from '../../../charts-ts/server/index.js';
import { defaultSpec } from '../../../src/api/v1alpha1/index.js';
import { renderPlatformFiles, renderServerFiles, synthPlatform } from '../../../src/synth/index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-synth-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function readAll(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

const WEATHER = `apiVersion: mcp.agent-hellboy.io/v1alpha1
kind: MCPServer
metadata:
  name: weather
spec:
  image: reg.example.com/team/weather:1.0.0
`;
const TIME = `apiVersion: mcp.agent-hellboy.io/v1alpha1
kind: MCPServer
metadata:
  name: time
  namespace: tools
spec:
  image: time
  ingressPath: /tools/time
---
`;

async function serversDir(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

describe('synth of the platform', () => {
  it('writes one file per chart and a kustomization listing them in apply order', async () => {
    const out = await tempDir();
    const result = await renderPlatformFiles({ output: join(out, 'platform'), options: {} });
    expect('written' in result).toBe(true);
    const files = await readAll(join(out, 'platform'));
    expect(Object.keys(files).sort()).toEqual(['crds.yaml', 'gateway.yaml', 'kustomization.yaml', 'namespaces.yaml', 'operator.yaml', 'registry.yaml', 'traefik.yaml']);
    expect(parse(files['kustomization.yaml']!)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['namespaces.yaml', 'crds.yaml', 'operator.yaml', 'registry.yaml', 'traefik.yaml', 'gateway.yaml'],
    });
  });

  it('writes exactly the objects renderPlatform returns', async () => {
    const out = await tempDir();
    await renderPlatformFiles({ output: out, options: { ingressVariant: 'dev' } });
    for (const chart of renderPlatform({ ingressVariant: 'dev' })) {
      expect(docs(await readFile(join(out, `${chart.name}.yaml`), 'utf8'))).toEqual(chart.objects);
    }
  });

  it('is byte-identical across two runs', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const options = { ingressVariant: 'dev' as const, registry: { url: 'reg.example.com', username: 'bot' }, defaultIngressHost: 'mcp.example.com' };
    await renderPlatformFiles({ output: a, options });
    await renderPlatformFiles({ output: b, options });
    expect(await readAll(a)).toEqual(await readAll(b));
    expect(Object.values(await readAll(a)).join()).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
  });

  it('lists only the charts it wrote', () => {
    const files = synthPlatform({ ingress: 'none', registry: { url: 'r.example' } });
    expect([...files.keys()]).toEqual(['namespaces.yaml', 'crds.yaml', 'operator.yaml', 'kustomization.yaml']);
    expect(parse(files.get('kustomization.yaml')!).resources).toEqual(['namespaces.yaml', 'crds.yaml', 'operator.yaml']);
  });
});

describe('synth --servers', () => {
  it('renders every server through renderServer, one file each, plus a kustomization', async () => {
    const input = await serversDir({ 'a.yaml': WEATHER, 'b.yml': TIME, 'kustomization.yaml': 'resources: [a.yaml]\n', 'notes.txt': 'ignored' });
    const out = await tempDir();
    const result = await renderServerFiles({ serversDir: input, output: out, defaultIngressHost: 'mcp.example.com' });
    expect('written' in result).toBe(true);
    const files = await readAll(out);
    expect(Object.keys(files).sort()).toEqual(['kustomization.yaml', 'mcp-servers.weather.yaml', 'tools.time.yaml']);
    expect(parse(files['kustomization.yaml']!).resources).toEqual(['mcp-servers.weather.yaml', 'tools.time.yaml']);

    const settings = defaultOperatorSettings({ MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com' });
    const weather = { apiVersion: 'mcp.agent-hellboy.io/v1alpha1' as const, kind: 'MCPServer' as const, metadata: { name: 'weather' }, spec: defaultSpec({ image: 'reg.example.com/team/weather:1.0.0' }) };
    expect(docs(files['mcp-servers.weather.yaml']!)).toEqual(renderServer(weather, settings));
  });

  it('is byte-identical across two runs', async () => {
    const input = await serversDir({ 'a.yaml': WEATHER, 'b.yaml': TIME });
    const [a, b] = [await tempDir(), await tempDir()];
    await renderServerFiles({ serversDir: input, output: a });
    await renderServerFiles({ serversDir: input, output: b });
    expect(await readAll(a)).toEqual(await readAll(b));
  });

  it('emits the shared pull Secret once per namespace and writes its file 0600', async () => {
    const second = WEATHER.replace('name: weather', 'name: forecast');
    const input = await serversDir({ 'a.yaml': `${WEATHER}---\n${second}` });
    const out = await tempDir();
    const result = await renderServerFiles({
      serversDir: input,
      output: out,
      provisionedRegistry: 'https://reg.example.com',
      registryUsername: 'bot',
      registryPassword: 'pw',
    });
    expect('written' in result).toBe(true);
    const files = await readAll(out);
    const secrets = Object.values(files).flatMap((t) => docs(t)).filter((o) => o?.kind === 'Secret');
    expect(secrets).toHaveLength(1);
    expect((await stat(join(out, 'mcp-servers.weather.yaml'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, 'mcp-servers.forecast.yaml'))).mode & 0o777).toBe(0o644);
    expect(docs(files['mcp-servers.forecast.yaml']!).find((o) => o.kind === 'Deployment').spec.template.spec.imagePullSecrets).toEqual([
      { name: 'mcp-runtime-registry-creds' },
    ]);
  });

  it('returns resolveServer warnings', async () => {
    const input = await serversDir({ 'a.yaml': WEATHER.replace('spec:\n', 'spec:\n  ingressClass: nginx\n') });
    const result = await renderServerFiles({ serversDir: input, output: await tempDir() });
    expect('warnings' in result && result.warnings.join()).toMatch(/mcp-servers\/weather: NoPathRewrite: ingress class "nginx" gets no path rewrite/);
  });

  it('fails on an invalid manifest, naming file, line and field, and writes nothing', async () => {
    const bad = `apiVersion: mcp.agent-hellboy.io/v1alpha1
kind: MCPServer
metadata:
  name: broken
spec:
  image: nginx
  port: 70000
`;
    const input = await serversDir({ 'a-good.yaml': WEATHER, 'b-bad.yaml': bad });
    const out = join(await tempDir(), 'out');
    const result = await renderServerFiles({ serversDir: input, output: out });
    expect('error' in result).toBe(true);
    const message = 'error' in result ? result.error : '';
    expect(message).toContain(`${join(input, 'b-bad.yaml')}:7: spec.port: must be at most 65535`);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('reports every problem, including render errors of otherwise valid manifests', async () => {
    const input = await serversDir({
      'a.yaml': WEATHER.replace('reg.example.com/team/weather:1.0.0', 'Bad/Image'),
      'b.yaml': WEATHER.replace('kind: MCPServer', 'kind: Deployment').replace('weather', 'other'),
      'c.yaml': 'key: [unclosed\n',
      'd.yaml': TIME.replace('image: time', 'image: time\n  envVars:\n    - name: X=Y'),
      'e.yaml': WEATHER,
    });
    const out = await tempDir();
    const result = await renderServerFiles({ serversDir: input, output: out });
    const message = 'error' in result ? result.error : '';
    expect(message).toContain(`${join(input, 'a.yaml')}:6: spec.image: invalid image reference "Bad/Image"`);
    expect(message).toContain(`${join(input, 'b.yaml')}:2: kind: kind must be MCPServer`);
    expect(message).toMatch(new RegExp(`${join(input, 'c.yaml')}:\\d+: invalid YAML`));
    expect(message).toContain(`${join(input, 'd.yaml')}:9: spec.envVars[0].name:`);
    expect(message).toContain(`${join(input, 'e.yaml')}:4: metadata.name: MCPServer mcp-servers/weather is also defined in ${join(input, 'a.yaml')}`);
    expect(await readdir(out)).toEqual([]);
  });

  it('fails on a folder without manifests', async () => {
    const result = await renderServerFiles({ serversDir: await serversDir({ 'x.txt': '' }), output: await tempDir() });
    expect('error' in result && result.error).toMatch(/no \*\.yaml or \*\.yml files/);
  });
});

describe('synth with an external registry', () => {
  it('names the Secret and key `registry provision` writes (one constant for writer and readers)', async () => {
    const { PROVISIONED_REGISTRY_KEYS, PROVISIONED_REGISTRY_NAMESPACE, PROVISIONED_REGISTRY_SECRET } = await import('../../../src/registry/provision.js');
    const files = synthPlatform({ registry: { url: 'reg.example.com/team', username: 'robot' } });
    const objects = [...files.values()].flatMap(docs) as { kind?: string; metadata?: { namespace?: string }; spec?: unknown }[];
    const operator = objects.find((o) => o.kind === 'Deployment' && o.metadata?.namespace === PROVISIONED_REGISTRY_NAMESPACE)!;
    const env = (operator.spec as { template: { spec: { containers: { env?: { name: string; valueFrom?: unknown }[] }[] } } }).template.spec.containers.flatMap((c) => c.env ?? []);
    expect(env.find((e) => e.name === 'PROVISIONED_REGISTRY_PASSWORD')?.valueFrom).toEqual({
      secretKeyRef: { name: PROVISIONED_REGISTRY_SECRET, key: PROVISIONED_REGISTRY_KEYS.password, optional: true },
    });
  });
});
