// The platform image's environment and the operator's command, as node will take them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { imageEnv, operatorNodeFlags } from '../../support/platform-container.js';

describe('the platform image', () => {
  it('sets NODE_ENV=production and no NODE_OPTIONS flag that node refuses to start with', () => {
    const env = imageEnv();
    expect(env.NODE_ENV).toBe('production');
    // node exits 9 ("… is not allowed in NODE_OPTIONS") on any flag outside this set, in every
    // process of the image: operator, gateway and catalog.
    const refused = (env.NODE_OPTIONS ?? '').split(/\s+/).filter((f) => f !== '' && !process.allowedNodeEnvironmentFlags.has(f.split('=')[0]!));
    expect(refused).toEqual([]);
    expect(process.allowedNodeEnvironmentFlags.has('--optimize-for-size')).toBe(false); // why the operator's flag is on its command line
  });

  it("runs the operator with V8's memory-over-speed mode on its command line", () => {
    expect(operatorNodeFlags()).toEqual(['--optimize-for-size']);
  });
});

describe('imageEnv', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const dockerfile = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-dockerfile-'));
    dirs.push(dir);
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, text);
    return file;
  };

  it("reads the last stage's ENV pairs, quoted or not", () => {
    const file = dockerfile('FROM a AS build\nENV BUILD_ONLY=1\nFROM b\nENV NODE_ENV=production A="x y"\nENV B=2\n');
    expect(imageEnv(file)).toEqual({ NODE_ENV: 'production', A: 'x y', B: '2' });
  });

  it('refuses the legacy `ENV KEY VALUE` form, naming file and line', () => {
    const file = dockerfile('FROM b\n\nENV NODE_OPTIONS --jitless\n');
    expect(() => imageEnv(file)).toThrow(`${file}:3: only ENV KEY=VALUE pairs are understood here`);
  });
});
