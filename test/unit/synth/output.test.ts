// The output writer is one transaction: fail any rename (or the prune's unlink) and the folder
// is exactly as before. Real files in a temp folder; only the n-th call of one fs operation is
// made to fail, everything else is node:fs.
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { commitFiles, nodeFs, OutputWriteError, writeFileSet, type FileChange, type FsOps } from '../../../src/synth/output.js';
import { planGenerate, writeGenerated, GENERATED_MARKER } from '../../../src/pipeline/generate.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-output-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every entry of a folder (dot-files too) with content and mode. */
async function snapshot(folder: string): Promise<Record<string, { content: string; mode: number }>> {
  const out: Record<string, { content: string; mode: number }> = {};
  for (const name of (await readdir(folder)).sort()) {
    const path = join(folder, name);
    out[name] = { content: await readFile(path, 'utf8'), mode: (await stat(path)).mode & 0o777 };
  }
  return out;
}

/** node:fs with the n-th call of `op` failing like a full disk. */
function failingNth(op: 'renameSync' | 'unlinkSync', n: number): FsOps & { calls: () => number } {
  let calls = 0;
  const real = nodeFs[op] as (...args: unknown[]) => void;
  return {
    ...nodeFs,
    [op]: (...args: unknown[]) => {
      calls += 1;
      if (calls === n) throw Object.assign(new Error(`ENOSPC: no space left on device, ${op}`), { code: 'ENOSPC', syscall: op.replace('Sync', '') });
      return real(...args);
    },
    calls: () => calls,
  } as FsOps & { calls: () => number };
}

async function seed(): Promise<void> {
  await writeFile(join(dir, 'a.yaml'), 'old a\n');
  await writeFile(join(dir, 'b.yaml'), 'old b\n');
  await chmod(join(dir, 'b.yaml'), 0o600);
  await writeFile(join(dir, 'stale.yaml'), 'stale\n');
  await writeFile(join(dir, 'notes.txt'), 'keep\n');
}

const CHANGES: FileChange[] = [
  { name: 'a.yaml', content: 'new a\n' },
  { name: 'c.yaml', content: 'new c\n' },
  { name: 'b.yaml', content: 'new b\n', mode: 0o644 },
  { name: 'stale.yaml' },
];

describe('commitFiles', () => {
  it('applies every change when nothing fails', async () => {
    await seed();
    expect(commitFiles(dir, CHANGES)).toEqual(['a.yaml', 'c.yaml', 'b.yaml'].map((n) => join(dir, n)));
    expect(Object.keys(await snapshot(dir))).toEqual(['a.yaml', 'b.yaml', 'c.yaml', 'notes.txt']);
    expect((await snapshot(dir))['b.yaml']).toEqual({ content: 'new b\n', mode: 0o644 });
  });

  it.each([1, 2, 3])('leaves the folder exactly as it was when rename %i of 3 fails', async (n) => {
    await seed();
    const before = await snapshot(dir);
    const ops = failingNth('renameSync', n);
    const error = (() => {
      try {
        commitFiles(dir, CHANGES, ops);
      } catch (e) {
        return e;
      }
      throw new Error('expected the write to fail');
    })() as OutputWriteError;
    expect(error).toBeInstanceOf(OutputWriteError);
    expect(error.message).toBe(`cannot write ${join(dir, ['a.yaml', 'c.yaml', 'b.yaml'][n - 1]!)}: no space left on the device; nothing in the output folder was changed`);
    expect(error.incomplete).toBe(false);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('leaves the folder as it was when the prune (a delete) fails after every rename', async () => {
    await seed();
    const before = await snapshot(dir);
    // Backups are unlinked only after success, so the first unlink is the prune.
    expect(() => commitFiles(dir, CHANGES, failingNth('unlinkSync', 1))).toThrow(OutputWriteError);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('says so when even the restore fails', async () => {
    await seed();
    // Rename 3 fails (b.yaml), then the first undo (rename 4: c.yaml has no backup, so it is an unlink; a.yaml's backup rename is call 4).
    const ops = failingNth('renameSync', 3);
    const twice: FsOps = { ...ops, renameSync: ((from: string, to: string) => (ops.calls() >= 3 && from.includes('.a.yaml.bak') ? (() => { throw Object.assign(new Error('EIO'), { code: 'EIO', syscall: 'rename' }); })() : ops.renameSync(from, to))) as FsOps['renameSync'] };
    expect(() => commitFiles(dir, CHANGES, twice)).toThrow(/restoring the previous files failed too/);
  });

  it('refuses an output path that is a file, and a target that is a folder, before writing anything', async () => {
    await writeFile(join(dir, 'out'), 'a file');
    expect(() => commitFiles(join(dir, 'out'), CHANGES)).toThrow(`cannot write ${join(dir, 'out')}: it is a file, not a folder`);
    expect(() => commitFiles(join(dir, 'out', 'deeper'), CHANGES)).toThrow(`cannot write ${join(dir, 'out', 'deeper')}: a part of the path is a file, not a folder`);
    await seed();
    await rm(join(dir, 'out'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'c.yaml'));
    const before = await readdir(dir);
    expect(() => commitFiles(dir, CHANGES)).toThrow(`cannot write ${join(dir, 'c.yaml')}: it is a folder, not a file`);
    expect((await readdir(dir)).sort()).toEqual(before.sort());
  });
});

describe('pipeline generate and synth write through it', () => {
  const METADATA = 'version: v1\nservers:\n  - name: weather\n    image: ghcr.io/acme/weather\n  - name: notes\n    image: ghcr.io/acme/notes:1\n';

  // The second run renames two files (the new server's manifest, the kustomization) and prunes one.
  it.each([
    ['renameSync', 1],
    ['renameSync', 2],
    ['unlinkSync', 1],
  ] as const)('pipeline generate: %s call %i failing leaves the manifests folder as it was', async (op, n) => {
    await writeFile(join(dir, 'metadata.yaml'), METADATA);
    const out = join(dir, 'manifests');
    const files = await planGenerate(join(dir, 'metadata.yaml'), dir);
    writeGenerated(files.slice(0, 1), out); // an earlier run: one server + kustomization
    await writeFile(join(out, 'gone.yaml'), `${GENERATED_MARKER} from x.\nkind: MCPServer\n`);
    const before = await snapshot(out);
    expect(() => writeGenerated(files, out, { prune: true, fs: failingNth(op, n) })).toThrow(OutputWriteError);
    expect(await snapshot(out)).toEqual(before);
    // And without the failure, the same run completes.
    writeGenerated(files, out, { prune: true });
    expect(Object.keys(await snapshot(out))).toEqual(['kustomization.yaml', 'mcp-servers.notes.yaml', 'mcp-servers.weather.yaml']);
  });

  it.each([1, 2, 3])('synth: rename %i failing leaves the output folder as it was', async (n) => {
    const files = new Map([
      ['one.yaml', 'one\n'],
      ['two.yaml', 'two\n'],
      ['kustomization.yaml', 'k\n'],
    ]);
    await writeFile(join(dir, 'one.yaml'), 'previous one\n');
    const before = await snapshot(dir);
    await expect(writeFileSet(dir, files, new Set(), failingNth('renameSync', n))).rejects.toBeInstanceOf(OutputWriteError);
    expect(await snapshot(dir)).toEqual(before);
  });
});
