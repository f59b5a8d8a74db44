/**
 * Proves the drift check can fail: a copy of the generated files passes, and the same copy
 * with one file edited by hand fails, naming that file.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GENERATED = ['crds/mcp.agent-hellboy.io_mcpservers.yaml', 'schemas/metadata.schema.json', 'imports/mcp.agent-hellboy.io.ts', 'imports/k8s-server.impl.ts'];

let copy: string;
beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'mcp-gencheck-'));
  for (const file of GENERATED) await cp(file, join(copy, file));
});
afterAll(async () => rm(copy, { recursive: true, force: true }));

async function check(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/gen/check.ts', '--root', root]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('npm run gen:check', () => {
  it('passes on an unmodified copy of the generated files', async () => {
    const result = await check(copy);
    expect(result.output).toContain('generated files are up to date');
    expect(result.code).toBe(0);
  }, 60_000);

  it('fails, naming the file, when a generated file is edited by hand', async () => {
    await appendFile(join(copy, 'crds/mcp.agent-hellboy.io_mcpservers.yaml'), '# hand edit\n');
    const result = await check(copy);
    expect(result.code).toBe(1);
    expect(result.output).toContain('crds/mcp.agent-hellboy.io_mcpservers.yaml: differs');
    expect(result.output).not.toContain('imports/mcp.agent-hellboy.io.ts');
  }, 60_000);
});
