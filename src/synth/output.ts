/**
 * Writing a rendered file set. Everything is rendered in memory first, so an invalid input
 * never leaves a half-written folder; each file is written to a temporary name and renamed,
 * so a crash mid-write never leaves a truncated file under its real name either.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File name (relative to the output folder) → content, in write order. */
export type FileSet = ReadonlyMap<string, string>;

/**
 * @param privateFiles names of files holding credentials (a pull Secret): written 0600
 */
export async function writeFileSet(dir: string, files: FileSet, privateFiles: ReadonlySet<string> = new Set()): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of files) {
    const target = join(dir, name);
    const temporary = `${target}.tmp-${process.pid}`;
    try {
      await writeFile(temporary, content, { mode: privateFiles.has(name) ? 0o600 : 0o644 });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    written.push(target);
  }
  return written;
}
