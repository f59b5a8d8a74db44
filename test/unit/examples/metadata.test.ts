/** examples/.mcp/metadata.yaml must stay valid and point at build contexts that exist. */
import { describe, it, expect } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { MetadataFileSchema, loadMetadata } from '../../../src/metadata/index.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const metadataDir = join(examples, '.mcp');

describe('examples/.mcp/metadata.yaml', () => {
  it('parses with the metadata schema', () => {
    const file = MetadataFileSchema.parse(parse(readFileSync(join(metadataDir, 'metadata.yaml'), 'utf8')));
    expect(file.servers.map((server) => server.name)).toEqual(['weather', 'notes']);
  });

  it('loads through the metadata loader with routes, ports and existing build contexts', async () => {
    const loaded = await loadMetadata(metadataDir);
    for (const { server } of loaded) {
      expect(server.route).toBe(`/${server.name}/mcp`);
      expect(server.port).toBe(8088);
      expect(server.probe).toEqual({ type: 'http', path: '/healthz' });
      // build.context is relative to the metadata folder's parent (examples/).
      const context = join(examples, server.build?.context ?? '.');
      expect(existsSync(join(context, server.build?.dockerfile ?? 'Dockerfile'))).toBe(true);
      expect(existsSync(join(context, 'package-lock.json'))).toBe(true); // the Dockerfile runs npm ci
    }
  });

  it('keeps the stateful server on one replica', async () => {
    const byName = Object.fromEntries((await loadMetadata(metadataDir)).map(({ server }) => [server.name, server]));
    expect(byName.notes?.replicas).toBe(3);
  });
});

describe('examples layout', () => {
  it('keeps the duplicated HTTP scaffolding identical in every example', () => {
    // Each example is its own Docker build context, so http.ts is copied rather than shared.
    const read = (name: string) => readFileSync(join(examples, name, 'src', 'http.ts'), 'utf8');
    expect(read('notes')).toBe(read('weather'));
  });
});
