/**
 * Writing a set of files into an output folder as one transaction: either every change lands,
 * or the folder is left exactly as it was (same names, contents and modes). Used by `synth` and
 * `pipeline generate`.
 *
 * 1. every new content goes to a temp file in the folder (nothing visible changes);
 * 2. every file about to be replaced or deleted gets a backup (a hard link: same inode);
 * 3. temps are renamed over their targets and deletions done, in order; if one of these fails,
 *    the ones done are undone from the backups, in reverse;
 * 4. backups and temps are removed.
 * File system calls go through an FsOps object, so tests can make the n-th rename fail.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fsReason } from '../metadata/fs-errors.js';

/** File name (relative to the output folder) → content, in write order. */
export type FileSet = ReadonlyMap<string, string>;

/** One change: new content for `name`, or its deletion (`content` undefined). */
export interface FileChange {
  readonly name: string;
  readonly content?: string;
  /** Mode of a written file. Default 0644. */
  readonly mode?: number;
}

/** The synchronous file system calls the writer makes (node:fs by default). */
export interface FsOps {
  mkdirSync: typeof fs.mkdirSync;
  statSync: typeof fs.statSync;
  lstatSync: typeof fs.lstatSync;
  writeFileSync: typeof fs.writeFileSync;
  renameSync: typeof fs.renameSync;
  linkSync: typeof fs.linkSync;
  copyFileSync: typeof fs.copyFileSync;
  unlinkSync: typeof fs.unlinkSync;
}

export const nodeFs: FsOps = {
  mkdirSync: fs.mkdirSync,
  statSync: fs.statSync,
  lstatSync: fs.lstatSync,
  writeFileSync: fs.writeFileSync,
  renameSync: fs.renameSync,
  linkSync: fs.linkSync,
  copyFileSync: fs.copyFileSync,
  unlinkSync: fs.unlinkSync,
};

/** The output could not be written; the folder is as it was unless `incomplete` says otherwise. */
export class OutputWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly incomplete: boolean = false,
  ) {
    super(
      `cannot write ${path}: ${reason}` +
        (incomplete ? '; restoring the previous files failed too, so the folder may be incomplete' : '; nothing in the output folder was changed'),
    );
    this.name = 'OutputWriteError';
  }
}

const exists = (ops: FsOps, path: string) => {
  try {
    return ops.lstatSync(path);
  } catch {
    return undefined;
  }
};

/** Creates the folder (and parents); refuses a path that is a file. */
function prepareFolder(ops: FsOps, dir: string): void {
  try {
    ops.mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputWriteError(dir, code === 'EEXIST' ? 'it is a file, not a folder' : fsReason(error));
  }
  if (!ops.statSync(dir).isDirectory()) throw new OutputWriteError(dir, 'it is a file, not a folder');
}

export function commitFiles(dir: string, changes: readonly FileChange[], ops: FsOps = nodeFs): string[] {
  prepareFolder(ops, dir);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const steps = changes.map((c) => ({
    change: c,
    target: join(dir, c.name),
    temp: c.content === undefined ? undefined : join(dir, `.${c.name}.tmp-${tag}`),
    backup: undefined as string | undefined,
    done: false,
  }));
  const cleanup = () => {
    for (const s of steps) {
      for (const path of [s.temp, s.backup]) {
        if (path !== undefined && exists(ops, path) !== undefined) {
          try {
            ops.unlinkSync(path);
          } catch {
            // A leftover dot-file; the output itself is consistent.
          }
        }
      }
    }
  };

  try {
    for (const s of steps) {
      const current = exists(ops, s.target);
      if (current?.isDirectory() === true) throw new OutputWriteError(s.target, 'it is a folder, not a file');
      if (s.temp !== undefined) {
        try {
          ops.writeFileSync(s.temp, s.change.content!, { mode: s.change.mode ?? 0o644, flag: 'wx' });
        } catch (error) {
          throw new OutputWriteError(dir, `cannot create files in it: ${fsReason(error)}`);
        }
      }
      if (current !== undefined) {
        const backup = join(dir, `.${s.change.name}.bak-${tag}`);
        try {
          ops.linkSync(s.target, backup);
        } catch {
          try {
            ops.copyFileSync(s.target, backup);
          } catch (error) {
            throw new OutputWriteError(s.target, `cannot keep a copy before replacing it: ${fsReason(error)}`);
          }
        }
        s.backup = backup;
      }
    }
  } catch (error) {
    cleanup();
    throw error;
  }

  let failure: OutputWriteError | undefined;
  for (const s of steps) {
    try {
      if (s.temp !== undefined) ops.renameSync(s.temp, s.target);
      else if (s.backup !== undefined) ops.unlinkSync(s.target);
      s.done = true;
    } catch (error) {
      failure = new OutputWriteError(s.target, fsReason(error));
      break;
    }
  }
  if (failure !== undefined) {
    let incomplete = false;
    for (const s of [...steps].reverse().filter((x) => x.done)) {
      try {
        if (s.backup !== undefined) {
          ops.renameSync(s.backup, s.target);
          s.backup = undefined;
        } else {
          ops.unlinkSync(s.target);
        }
      } catch {
        incomplete = true;
      }
    }
    cleanup();
    throw incomplete ? new OutputWriteError(failure.path, failure.reason, true) : failure;
  }
  cleanup();
  return steps.filter((s) => s.temp !== undefined).map((s) => s.target);
}

/**
 * @param privateFiles names of files holding credentials (a pull Secret): written 0600
 */
export async function writeFileSet(dir: string, files: FileSet, privateFiles: ReadonlySet<string> = new Set(), ops: FsOps = nodeFs): Promise<string[]> {
  return commitFiles(
    dir,
    [...files].map(([name, content]) => ({ name, content, mode: privateFiles.has(name) ? 0o600 : 0o644 })),
    ops,
  );
}
