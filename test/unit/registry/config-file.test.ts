import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRegistry, cachedRegistry, configFilePath } from '../../../src/registry/config-file.js';

describe('CLI config cache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-config-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('lives under XDG_CONFIG_HOME or ~/.config', () => {
    expect(configFilePath({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/mcp-runtime/config.yaml');
    expect(configFilePath({ HOME: '/h' })).toBe('/h/.config/mcp-runtime/config.yaml');
  });

  it('stores only the url and operator image per context, mode 0600', async () => {
    const file = join(dir, 'sub', 'config.yaml');
    const sneaky = { url: 'r.example.com', operatorImage: 'r.example.com/op:1', password: 'must-not-be-written' };
    await cacheRegistry('kind-dev', sneaky, file);
    await cacheRegistry('prod', { url: 'p.example.com' }, file);
    expect(await cachedRegistry('kind-dev', file)).toEqual({ url: 'r.example.com', operatorImage: 'r.example.com/op:1' });
    expect(await cachedRegistry('prod', file)).toEqual({ url: 'p.example.com' });
    expect(await cachedRegistry('other', file)).toBeUndefined();
    expect(await cachedRegistry(undefined, file)).toBeUndefined();
    expect(await readFile(file, 'utf8')).not.toContain('must-not-be-written');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await cachedRegistry('x', join(dir, 'missing.yaml'))).toBeUndefined();
  });
});
