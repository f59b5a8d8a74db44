import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMetadata, ProblemsError } from '../../../src/metadata/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-metadata-ok-'));
  await writeFile(
    join(dir, 'b.yml'),
    'servers:\n  - name: notes\n    route: notes/api/mcp\n    namespace: team-a\n    replicas: 0\n',
  );
  await writeFile(
    join(dir, 'a.yaml'),
    '# yaml-language-server: $schema=../schemas/metadata.schema.json\nversion: v1\nservers:\n  - name: weather\n    image: ghcr.io/acme/weather\n',
  );
  await writeFile(join(dir, 'README.md'), 'not metadata');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('loadMetadata', () => {
  it('reads every YAML file in name order and normalizes routes and defaults', async () => {
    const servers = await loadMetadata(dir);
    expect(servers.map((s) => [s.server.name, s.file, s.index])).toEqual([
      ['weather', join(dir, 'a.yaml'), 0],
      ['notes', join(dir, 'b.yml'), 0],
    ]);
    const [weather, notes] = servers.map((s) => s.server);
    expect(weather).toMatchObject({
      route: '/weather/mcp',
      namespace: 'mcp-servers',
      port: 8088,
      servicePort: 80,
      replicas: 1,
      containerPath: '/mcp',
      image: 'ghcr.io/acme/weather',
    });
    expect(notes).toMatchObject({ route: '/notes/api/mcp', namespace: 'team-a', replicas: 0 });
  });

  it('reports the line of each server name for later write-back', async () => {
    const [weather] = await loadMetadata(dir);
    expect(weather?.position).toEqual({ line: 4, col: 11 });
  });

  it('rejects a missing folder and a folder without YAML files', async () => {
    await expect(loadMetadata(join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    const empty = await mkdtemp(join(tmpdir(), 'mcp-metadata-empty-'));
    try {
      await expect(loadMetadata(empty)).rejects.toBeInstanceOf(ProblemsError);
      await expect(loadMetadata(empty)).rejects.toThrow(/No \*\.yaml or \*\.yml files/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('formats the error as one line per problem', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'mcp-metadata-bad-'));
    try {
      await writeFile(join(bad, 'm.yaml'), 'servers:\n  - name: a\n    port: 65536\n');
      await expect(loadMetadata(bad)).rejects.toThrow(`${join(bad, 'm.yaml')}:3:11 servers[0].port: must be at most 65535`);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
