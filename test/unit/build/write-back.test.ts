import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat, writeFile, chmod, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMetadata } from '../../../src/metadata/index.js';
import { WriteBackError, writeBackImage, writeBackText } from '../../../src/metadata/write-back.js';

const TWO_DOCS = `# Team metadata. Do not reorder.
version: v1     # format
servers:
  # alpha: the first one
  - name: alpha          # alpha comment
    image: old.example.com/alpha   # set by CI
    imageTag: "0.9"
    port: 8088
    envVars: [{name: A, value: "x"}]

  - name: beta
    route: beta/mcp      # no leading slash on purpose
---
# Second document: different indentation style.
version: v1
servers:
- name: gamma
  port: 9000 # gamma port
  resources:
    limits: {cpu: 100m, memory: 64Mi}
- {name: delta, port: 9001}
- name: epsilon
  description: >-
    folded text
    over two lines
  # trailing comment inside epsilon
`;

const IMAGE = 'registry.registry.svc.cluster.local:5000/team/gamma';

describe('writeBackText', () => {
  it('sets image and imageTag of a server in the second document; comments, other servers and layout stay byte-identical', () => {
    const out = writeBackText('m.yaml', TWO_DOCS, { name: 'gamma' }, { image: IMAGE, imageTag: 'abc1234' });
    expect(out).toBe(
      TWO_DOCS.replace(
        '    limits: {cpu: 100m, memory: 64Mi}\n',
        `    limits: {cpu: 100m, memory: 64Mi}\n  image: ${IMAGE}\n  imageTag: abc1234\n`,
      ),
    );
  });

  it('replaces existing values in place, keeping their trailing comments and quoting style', () => {
    const out = writeBackText('m.yaml', TWO_DOCS, { name: 'alpha' }, { image: 'reg.example.com/alpha', imageTag: '1.0' });
    expect(out).toBe(
      TWO_DOCS.replace('image: old.example.com/alpha   # set by CI', 'image: reg.example.com/alpha   # set by CI').replace('imageTag: "0.9"', 'imageTag: "1.0"'),
    );
  });

  it('adds fields to a map whose last entry is followed by a blank line, and before a comment that ends the map', () => {
    const beta = writeBackText('m.yaml', TWO_DOCS, { name: 'beta' }, { image: 'r.example.com/beta', imageTag: 't' });
    expect(beta).toBe(TWO_DOCS.replace('    route: beta/mcp      # no leading slash on purpose\n', '    route: beta/mcp      # no leading slash on purpose\n    image: r.example.com/beta\n    imageTag: t\n'));
    const eps = writeBackText('m.yaml', TWO_DOCS, { name: 'epsilon' }, { image: 'r.example.com/e', imageTag: 't' });
    expect(eps).toBe(TWO_DOCS.replace('    over two lines\n', '    over two lines\n  image: r.example.com/e\n  imageTag: t\n'));
  });

  it('adds fields inside a flow map', () => {
    const out = writeBackText('m.yaml', TWO_DOCS, { name: 'delta' }, { image: 'r.example.com/d', imageTag: 't' });
    expect(out).toBe(TWO_DOCS.replace('- {name: delta, port: 9001}', '- {name: delta, port: 9001, image: r.example.com/d, imageTag: t}'));
  });

  it('quotes tags YAML would read as numbers (an all-digit git SHA)', () => {
    const out = writeBackText('m.yaml', TWO_DOCS, { name: 'gamma' }, { image: IMAGE, imageTag: '1234567' });
    expect(out).toContain('imageTag: "1234567"');
  });

  it('fails clearly for a server that is not there, and for broken YAML', () => {
    expect(() => writeBackText('m.yaml', TWO_DOCS, { name: 'zeta' }, { image: IMAGE })).toThrow(WriteBackError);
    expect(() => writeBackText('m.yaml', TWO_DOCS, { name: 'zeta' }, { image: IMAGE })).toThrow(/m\.yaml: no server named "zeta"/);
    expect(() => writeBackText('m.yaml', 'servers: [', { name: 'a' }, { image: IMAGE })).toThrow(/YAML error/);
  });

  it('refuses rather than guess when a value is not a plain scalar', () => {
    const text = 'version: v1\nservers:\n  - name: a\n    image:\n      nested: true\n';
    expect(() => writeBackText('m.yaml', text, { name: 'a' }, { image: IMAGE })).toThrow(/cannot update servers\[0\]\.image in place/);
  });
});

describe('writeBackImage (file)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-write-back-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('replaces the file atomically, keeps its mode, leaves no temp file, and the loader reads the result', async () => {
    const file = join(dir, 'metadata.yaml');
    await writeFile(file, TWO_DOCS);
    await chmod(file, 0o640);
    const [loaded] = (await loadMetadata(dir)).filter((s) => s.server.name === 'gamma');
    expect(await writeBackImage(file, { name: 'gamma', document: loaded!.document, index: loaded!.index }, { image: IMAGE, imageTag: 'abc1234' })).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['metadata.yaml']);
    const gamma = (await loadMetadata(dir)).find((s) => s.server.name === 'gamma')!.server;
    expect(gamma).toMatchObject({ image: IMAGE, imageTag: 'abc1234', port: 9000 });
    // Same values again: nothing to write.
    expect(await writeBackImage(file, { name: 'gamma' }, { image: IMAGE, imageTag: 'abc1234' })).toBe(false);
    expect(await readFile(file, 'utf8')).toContain('  port: 9000 # gamma port\n');
  });
});
