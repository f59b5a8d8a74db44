// Filesystem trouble with real files: every case names the path, exits with the documented
// code (3 for input, 11 for output), never prints an errno or runs out of memory, and leaves the
// output folder as it was. The read-only case uses a read-only bind mount (root ignores modes).
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import PipelineGenerate from '../../../src/commands/pipeline/generate.js';
import Synth from '../../../src/commands/synth.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { runCli, tempDir } from './cli.js';

let dir: { path: string; cleanup: () => Promise<void> };
const mounts: string[] = [];

const METADATA = 'version: v1\nservers:\n  - name: weather\n    image: ghcr.io/acme/weather:1\n';
const ERRNO = /\b(E[A-Z]{3,}|errno)\b/;

async function metadataDir(name: string, files: Record<string, string> = { 'metadata.yaml': METADATA }): Promise<string> {
  const mcp = join(dir.path, name);
  await mkdir(mcp, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(mcp, file), text);
  return mcp;
}

async function contents(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(folder)).sort()) out[name] = await readFile(join(folder, name), 'utf8').catch(() => '<folder>');
  return out;
}

beforeAll(async () => {
  dir = await tempDir('files');
});
afterAll(async () => {
  for (const m of mounts) execFileSync('umount', [m]);
  await dir?.cleanup();
});

describe('output problems: exit 11, the path named, the folder untouched', () => {
  it('the output path is a file', async () => {
    const mcp = await metadataDir('out-is-file');
    const out = join(dir.path, 'out-is-file.txt');
    await writeFile(out, 'not a folder');
    for (const run of [await runCli(PipelineGenerate, ['--dir', mcp, '--output-dir', out]), await runCli(Synth, ['--output-dir', out])]) {
      expect(run.exitCode).toBe(ExitCode.CANNOT_WRITE);
      expect(run.stderr).toContain(`cannot write ${out}: it is a file, not a folder`);
      expect(run.stderr).not.toMatch(ERRNO);
    }
    expect(await readFile(out, 'utf8')).toBe('not a folder');
  });

  it('a target in the output folder is a folder', async () => {
    const mcp = await metadataDir('target-is-dir');
    const out = join(dir.path, 'target-is-dir-out');
    await mkdir(join(out, 'mcp-servers.weather.yaml'), { recursive: true });
    const before = await contents(out);
    const run = await runCli(PipelineGenerate, ['--dir', mcp, '--output-dir', out]);
    expect(run.exitCode).toBe(ExitCode.CANNOT_WRITE);
    expect(run.stderr).toContain(`cannot write ${join(out, 'mcp-servers.weather.yaml')}: it is a folder, not a file`);
    expect(await contents(out)).toEqual(before);
  });

  it('the output folder is read-only', async () => {
    const mcp = await metadataDir('read-only');
    const out = join(dir.path, 'read-only-out');
    await mkdir(out);
    await writeFile(join(out, 'mcp-servers.weather.yaml'), 'an older manifest\n');
    execFileSync('mount', ['--bind', '-o', 'ro', out, out]);
    mounts.push(out);
    for (const run of [await runCli(PipelineGenerate, ['--dir', mcp, '--output-dir', out]), await runCli(Synth, ['--output-dir', out])]) {
      expect(run.exitCode).toBe(ExitCode.CANNOT_WRITE);
      expect(run.stderr).toContain(`cannot write ${out}: cannot create files in it: is on a read-only file system`);
      expect(run.stderr).not.toMatch(ERRNO);
    }
    expect(await contents(out)).toEqual({ 'mcp-servers.weather.yaml': 'an older manifest\n' });
  });
});

describe('input problems: exit 3, the file named, nothing written', () => {
  const generate = async (mcp: string) => {
    const out = join(dir.path, `${mcp.split('/').pop()}-out`);
    const run = await runCli(PipelineGenerate, ['--dir', mcp, '--output-dir', out]);
    await expect(readdir(out)).rejects.toThrow(); // nothing written
    expect(run.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(run.stderr).not.toMatch(ERRNO);
    return run.stderr;
  };

  it('a symbolic link loop', async () => {
    const mcp = await metadataDir('loop');
    await symlink('other.yaml', join(mcp, 'loop.yaml'));
    await symlink('loop.yaml', join(mcp, 'other.yaml'));
    const stderr = await generate(mcp);
    expect(stderr).toContain(`${join(mcp, 'loop.yaml')}:1:1 cannot read: is a symbolic link loop`);
  });

  it('an unreadable file (a write-only kernel file: even root gets permission denied)', async () => {
    // Root reads any ordinary file whatever its mode, so the file is a link to a /proc/sys entry
    // that is write-only for everyone (opening it for reading is refused and has no effect).
    const mcp = await metadataDir('unreadable');
    await rm(join(mcp, 'metadata.yaml'));
    await symlink('/proc/sys/vm/compact_memory', join(mcp, 'metadata.yaml'));
    const out = join(dir.path, 'unreadable-out');
    const run = await runCli(PipelineGenerate, ['--dir', mcp, '--output-dir', out]);
    const result = { code: run.exitCode, stderr: run.stderr };
    expect(result.code).toBe(ExitCode.INVALID_INPUT);
    expect(result.stderr).toContain(`${join(mcp, 'metadata.yaml')}:1:1 cannot read: permission denied`);
    expect(result.stderr).not.toMatch(ERRNO);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('a dangling symbolic link', async () => {
    const mcp = await metadataDir('dangling');
    await symlink('missing.yaml', join(mcp, 'link.yaml'));
    expect(await generate(mcp)).toContain(`${join(mcp, 'link.yaml')}:1:1 cannot read: does not exist`);
  });

  it('a huge file is refused by its size, not read', async () => {
    const mcp = await metadataDir('huge');
    await writeFile(join(mcp, 'huge.yaml'), '');
    await truncate(join(mcp, 'huge.yaml'), 6 * 1024 * 1024 * 1024); // sparse: 6 GiB
    expect(await generate(mcp)).toContain(`${join(mcp, 'huge.yaml')}:1:1 is 6144.0 MiB, above the 4.0 MiB limit for an input file; split it`);
  });

  it('a YAML alias bomb', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const mcp = await metadataDir('bomb', { 'metadata.yaml': `${levels.join('\n')}\nservers: []\n` });
    expect(await generate(mcp)).toContain(`${join(mcp, 'metadata.yaml')}:1:1 uses YAML aliases too heavily`);
  });

  it('synth --servers reports the same for its manifests', async () => {
    const manifests = join(dir.path, 'synth-loop');
    await mkdir(manifests);
    await symlink('x.yaml', join(manifests, 'x.yaml'));
    const out = join(dir.path, 'synth-loop-out');
    const run = await runCli(Synth, ['--servers', manifests, '--output-dir', out]);
    expect(run.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(run.stderr).toContain(`${join(manifests, 'x.yaml')}: cannot read: is a symbolic link loop`);
    await expect(readdir(out)).rejects.toThrow();
  });
});
