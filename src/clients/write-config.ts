/**
 * `server connect --write`: merges a server into a client's config file on disk. The merge is
 * done in memory first (a file that does not parse is refused before anything is touched);
 * an existing file is copied to `<file>.bak`, then the new text is written to a temporary
 * file in the same folder and renamed over the original, so a crash leaves either the old
 * file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { vscodeTokenInput, configDocument } from './snippets.js';
import type { ConnectTarget, FileClientName } from './clients.js';
import { ClientConfigWriteError } from './errors.js';
import { mergeEntry } from './merge.js';

export interface WriteOutcome {
  readonly file: string;
  /** created: a new file; updated: an existing file changed (backup written); unchanged: the entry was already there. */
  readonly result: 'created' | 'updated' | 'unchanged';
  readonly replaced: boolean;
  /** The copy of the previous file, when there was one to change. */
  readonly backup?: string;
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a file is in the way of its folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return e.code ?? e.message;
  }
}

async function readExisting(file: string): Promise<{ text: string; mode: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, mode: info.mode & 0o777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClientConfigWriteError(file, `cannot read it: ${reason(error)}`);
  }
}

export async function writeClientConfig(client: FileClientName, file: string, target: ConnectTarget): Promise<WriteOutcome> {
  const existing = await readExisting(file);
  const document = configDocument(client, target);
  const key = client === 'vscode' ? 'servers' : 'mcpServers';
  const entry = (document[key] as Record<string, Record<string, unknown>>)[target.name]!;
  const inputs = client === 'vscode' && target.authRequired ? [vscodeTokenInput(target)] : undefined;
  // Throws ProblemsError (file:line:col) for a file that does not parse: nothing is written.
  const merged = mergeEntry(file, existing?.text ?? '', { key, name: target.name, entry, ...(inputs !== undefined ? { inputs } : {}) });
  if (existing !== undefined && !merged.changed) return { file, result: 'unchanged', replaced: merged.replaced };

  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const backup = existing !== undefined ? `${file}.bak` : undefined;
  try {
    await mkdir(dirname(file), { recursive: true });
    if (backup !== undefined) await copyFile(file, backup);
    await writeFile(temp, merged.text, { mode: existing?.mode ?? 0o644, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new ClientConfigWriteError(file, reason(error));
  }
  return { file, result: existing === undefined ? 'created' : 'updated', replaced: merged.replaced, ...(backup !== undefined ? { backup } : {}) };
}
