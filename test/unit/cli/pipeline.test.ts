import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { manifestFileName, planGenerate, writeGenerated, GENERATED_MARKER } from '../../../src/pipeline/generate.js';
import { loadManifests, parseManifestText } from '../../../src/pipeline/manifests.js';
import { formatProblem, ProblemsError } from '../../../src/metadata/problem.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-cli-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const METADATA = `version: v1
servers:
  - name: weather
    image: ghcr.io/acme/weather
  - name: notes
    namespace: team-a
    image: ghcr.io/acme/notes:1.0
`;

describe('pipeline generate', () => {
  it('names files <namespace>.<name>.yaml (unambiguous: DNS labels have no dots)', () => {
    expect(manifestFileName('mcp-servers', 'weather')).toBe('mcp-servers.weather.yaml');
    expect(manifestFileName('a-b', 'c')).not.toBe(manifestFileName('a', 'b-c'));
  });

  it('renders one deterministic file per server, sorted, with a header naming the source', async () => {
    await mkdir(join(dir, '.mcp'));
    await writeFile(join(dir, '.mcp', 'metadata.yaml'), METADATA);
    const first = await planGenerate(join(dir, '.mcp'), dir);
    const second = await planGenerate(join(dir, '.mcp'), dir);
    expect(first.map((f) => f.fileName)).toEqual(['mcp-servers.weather.yaml', 'team-a.notes.yaml']);
    expect(second.map((f) => f.content)).toEqual(first.map((f) => f.content));
    expect(first[0]!.content.startsWith(`${GENERATED_MARKER} from .mcp/metadata.yaml.`)).toBe(true);
    expect(first[0]!.content).toContain('kind: MCPServer');
  });

  it('reports every server without an image at its position and plans nothing', async () => {
    await writeFile(join(dir, 'm.yaml'), 'version: v1\nservers:\n  - name: a\n  - name: b\n    image: x\n  - name: c\n');
    const error = (await planGenerate(join(dir, 'm.yaml'), dir).catch((e: unknown) => e)) as ProblemsError;
    expect(error).toBeInstanceOf(ProblemsError);
    expect(error.problems.map((p) => `${p.line}:${p.col}`)).toEqual(['3:11', '6:11']);
    expect(error.message).toContain('mcp-runtime server build a');
  });

  it('writes only changed files and reports (or prunes) stale generated ones, never foreign files', async () => {
    await mkdir(join(dir, '.mcp'));
    await writeFile(join(dir, '.mcp', 'metadata.yaml'), METADATA);
    const out = join(dir, 'manifests');
    const files = await planGenerate(join(dir, '.mcp'), dir);
    expect(writeGenerated(files, out).written.map((p) => p.slice(out.length + 1))).toEqual([
      'mcp-servers.weather.yaml',
      'team-a.notes.yaml',
      'kustomization.yaml',
    ]);
    await writeFile(join(out, 'old.gone.yaml'), `${GENERATED_MARKER} from x.\nkind: MCPServer\n`);
    await writeFile(join(out, 'hand-written.yaml'), 'kind: MCPServer\n');
    const again = writeGenerated(files, out);
    expect(again.written).toEqual([]);
    expect(again.unchanged).toHaveLength(3);
    expect(again.stale).toEqual([join(out, 'old.gone.yaml')]);
    writeGenerated(files, out, { prune: true });
    expect((await readdir(out)).sort()).toEqual(['hand-written.yaml', 'kustomization.yaml', 'mcp-servers.weather.yaml', 'team-a.notes.yaml']);
  });

  it('writes a kustomization.yaml listing the manifests, and keeps one it did not write', async () => {
    await mkdir(join(dir, '.mcp'));
    await writeFile(join(dir, '.mcp', 'metadata.yaml'), METADATA);
    const out = join(dir, 'manifests');
    const files = await planGenerate(join(dir, '.mcp'), dir);
    writeGenerated(files, out);
    expect(parse(await readFile(join(out, 'kustomization.yaml'), 'utf8'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['mcp-servers.weather.yaml', 'team-a.notes.yaml'],
    });
    // Only the weather server left: the kustomization follows.
    writeGenerated(files.slice(0, 1), out, { prune: true });
    expect(parse(await readFile(join(out, 'kustomization.yaml'), 'utf8')).resources).toEqual(['mcp-servers.weather.yaml']);
    // A kustomization the user wrote is theirs.
    const mine = 'resources: [mcp-servers.weather.yaml, extra.yaml]\n';
    await writeFile(join(out, 'kustomization.yaml'), mine);
    const report = writeGenerated(files, out);
    expect(report.foreignKustomization).toBe(join(out, 'kustomization.yaml'));
    expect(await readFile(join(out, 'kustomization.yaml'), 'utf8')).toBe(mine);
  });

  it('deploy reads a folder with a kustomization.yaml (it is not an MCPServer)', async () => {
    await mkdir(join(dir, '.mcp'));
    await writeFile(join(dir, '.mcp', 'metadata.yaml'), METADATA);
    const out = join(dir, 'manifests');
    writeGenerated(await planGenerate(join(dir, '.mcp'), dir), out);
    const manifests = await loadManifests(out);
    expect(manifests.map((m) => m.object.metadata.name).sort()).toEqual(['notes', 'weather']);
  });

  it('leaves the output folder untouched when the metadata is invalid', async () => {
    await writeFile(join(dir, 'm.yaml'), 'version: v1\nservers:\n  - name: Bad_Name\n    image: x\n');
    const out = join(dir, 'manifests');
    await expect(planGenerate(join(dir, 'm.yaml'), dir).then((f) => writeGenerated(f, out))).rejects.toBeInstanceOf(ProblemsError);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('writes nothing when a target is in the way, and names it', async () => {
    await mkdir(join(dir, '.mcp'));
    await writeFile(join(dir, '.mcp', 'metadata.yaml'), METADATA);
    const out = join(dir, 'manifests');
    const files = await planGenerate(join(dir, '.mcp'), dir);
    // The second file's target is a folder: refused before the first file is touched.
    await mkdir(join(out, 'team-a.notes.yaml'), { recursive: true });
    expect(() => writeGenerated(files, out)).toThrow(`cannot write ${join(out, 'team-a.notes.yaml')}: it is a folder, not a file`);
    expect(await readdir(out)).toEqual(['team-a.notes.yaml']);
  });
});

describe('manifest validation', () => {
  it('names file, line, column and field for every problem in every document', () => {
    const text = [
      'apiVersion: mcp.agent-hellboy.io/v1alpha1',
      'kind: MCPServer',
      'metadata: {name: ok}',
      'spec: {image: x}',
      '---',
      'apiVersion: mcp.agent-hellboy.io/v1alpha1',
      'kind: MCPServer',
      'metadata:',
      '  name: broken',
      'spec:',
      '  image: x',
      '  replicas: -1',
      '  prot: 80',
      '---',
      '',
    ].join('\n');
    const { manifests, problems } = parseManifestText('dir/s.yaml', text);
    expect(manifests.map((m) => m.object.metadata)).toEqual([{ name: 'ok', namespace: 'mcp-servers' }]);
    expect(problems.map(formatProblem)).toEqual(['dir/s.yaml:12:13 spec.replicas: must be at least 0', 'dir/s.yaml:13:3 spec.prot: unknown field']);
  });

  it('rejects other kinds and YAML syntax errors', () => {
    expect(parseManifestText('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n').problems.map((p) => p.message)).toContain(
      'kind must be MCPServer',
    );
    expect(parseManifestText('b.yaml', 'spec: [unclosed\n').problems[0]?.message).toMatch(/^YAML syntax error/);
  });

  it('keeps the object as written (no defaults added, status dropped)', () => {
    const { manifests } = parseManifestText('a.yaml', 'apiVersion: mcp.agent-hellboy.io/v1alpha1\nkind: MCPServer\nmetadata: {name: w, namespace: t}\nspec: {image: x}\nstatus: {phase: Ready}\n');
    expect(manifests[0]?.object).toEqual({ apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name: 'w', namespace: 't' }, spec: { image: 'x' } });
  });

  it('reports a server defined twice across files, and an empty folder', async () => {
    const doc = 'apiVersion: mcp.agent-hellboy.io/v1alpha1\nkind: MCPServer\nmetadata: {name: w}\nspec: {image: x}\n';
    await writeFile(join(dir, 'a.yaml'), doc);
    await writeFile(join(dir, 'b.yml'), doc);
    const error = (await loadManifests(dir).catch((e: unknown) => e)) as ProblemsError;
    expect(error.message).toContain('nothing was applied');
    expect(error.problems[0]?.message).toContain(`also defined at ${join(dir, 'a.yaml')}:1`);
    const empty = await mkdtemp(join(dir, 'empty-'));
    await expect(loadManifests(empty)).rejects.toThrow(/No \*\.yaml or \*\.yml files/);
    expect(await readFile(join(dir, 'a.yaml'), 'utf8')).toBe(doc);
  });
});
