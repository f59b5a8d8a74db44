/**
 * Reading user input files safely: a size cap (a metadata or manifest file is small; a
 * multi-gigabyte file, or /dev/zero, must not exhaust memory), clear problems for folders,
 * unreadable files and link loops, and YAML values built with an alias cap (a "billion laughs"
 * file must not expand exponentially). Every failure becomes a Problem naming the file.
 */
import { open } from 'node:fs/promises';
import type { Document } from 'yaml';
import { fsReason } from './fs-errors.js';
import type { Problem } from './problem.js';

/** Largest input file read (metadata or manifest). 1,000 servers in one file is about 300 KiB. */
export const MAX_INPUT_FILE_BYTES = 4 * 1024 * 1024;
/** Aliases a document may dereference: ordinary YAML uses a handful; a bomb uses thousands. */
export const MAX_YAML_ALIASES = 100;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const fileProblem = (file: string, message: string): Problem => ({ file, line: 1, col: 1, path: [], message });

/** The text of `file`, or the problem that stops it being read. Reads at most the cap (+1 byte). */
export async function readInputFile(file: string, limit = MAX_INPUT_FILE_BYTES): Promise<{ text: string } | { problem: Problem }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    return { problem: fileProblem(file, `cannot read: ${fsReason(error)}`) };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { problem: fileProblem(file, `cannot read: ${fsReason({ code: 'EISDIR' })}`) };
    if (info.size > limit) return { problem: fileProblem(file, `is ${mib(info.size)}, above the ${mib(limit)} limit for an input file; split it`) };
    // Devices and pipes report size 0: read in chunks and stop past the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) return { problem: fileProblem(file, `is above the ${mib(limit)} limit for an input file; split it`) };
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return { text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    return { problem: fileProblem(file, `cannot read: ${fsReason(error)}`) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** doc.toJS() with the alias cap; an alias bomb becomes a problem instead of an OOM. */
export function documentValue(file: string, doc: Document, line = 1): { value: unknown } | { problem: Problem } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return {
        problem: { file, line, col: 1, path: [], message: `uses YAML aliases too heavily (more than ${MAX_YAML_ALIASES} expansions): refused as a resource exhaustion attack` },
      };
    }
    throw error;
  }
}
