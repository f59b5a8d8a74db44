/**
 * The session keys as the gateway reads them: a Secret mounted as a directory with a `current`
 * key and an optional `previous` one (base64 of 32 random bytes each). Rotation issues with a new
 * current key while still opening ids sealed with the previous one, so clients keep their
 * sessions across a rotation.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionKeyError, SessionKeyRing } from './session-seal.js';

export { SessionKeyError } from './session-seal.js';

export const SESSION_KEY_FILES = { current: 'current', previous: 'previous' } as const;

const KEY_BYTES = 32;
// Standard or URL-safe alphabet, optional padding: whatever `openssl rand -base64 32` or a
// Secret's stringData holds.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Decodes one key; `where` names the file (and the position in `previous`) for the error. */
function decodeKey(text: string, where: string): Buffer {
  if (!BASE64.test(text)) throw new SessionKeyError(`${where}: not base64 (expected base64 of ${KEY_BYTES} random bytes)`);
  const bytes = Buffer.from(text.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')), 'base64');
  if (bytes.length !== KEY_BYTES) {
    throw new SessionKeyError(`${where}: decodes to ${bytes.length} bytes, expected ${KEY_BYTES} (generate one with: openssl rand -base64 32)`);
  }
  return bytes;
}

/**
 * Builds the ring from the files' text. `source` (the directory or Secret) prefixes every error;
 * messages say what is wrong and never quote key material.
 */
export function parseSessionKeys(files: { current?: string; previous?: string }, source: string): SessionKeyRing {
  const currentPath = `${source}/${SESSION_KEY_FILES.current}`;
  const previousPath = `${source}/${SESSION_KEY_FILES.previous}`;
  const current = files.current?.trim();
  if (current === undefined) throw new SessionKeyError(`${currentPath}: missing (the session key Secret needs a "${SESSION_KEY_FILES.current}" key)`);
  if (current === '') throw new SessionKeyError(`${currentPath}: empty (expected base64 of ${KEY_BYTES} random bytes)`);
  const currentKey = decodeKey(current, currentPath);
  // Several previous keys are accepted (newline or comma separated), though rotation keeps one.
  const previous = (files.previous ?? '').split(/[\s,]+/).filter((k) => k !== '');
  const previousKeys = previous.map((k, i) => decodeKey(k, previous.length === 1 ? previousPath : `${previousPath} (key ${i + 1})`));
  return new SessionKeyRing(currentKey, previousKeys);
}

async function readOptional(path: string, label: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const why = code === 'EACCES' || code === 'EPERM' ? 'not readable (permission denied)' : code === 'EISDIR' ? 'is a directory, expected a file' : 'cannot be read';
    throw new SessionKeyError(`${label}: ${why}`);
  }
}

/** Reads `dir/current` and the optional `dir/previous` (a mounted Secret). */
export async function readSessionKeyDir(dir: string): Promise<SessionKeyRing> {
  const currentPath = join(dir, SESSION_KEY_FILES.current);
  const current = await readOptional(currentPath, currentPath);
  if (current === undefined) {
    throw new SessionKeyError(`${currentPath}: missing (mount the session key Secret at ${dir}; it needs a "${SESSION_KEY_FILES.current}" key)`);
  }
  const previousPath = join(dir, SESSION_KEY_FILES.previous);
  const previous = await readOptional(previousPath, previousPath);
  return parseSessionKeys(previous === undefined ? { current } : { current, previous }, dir);
}

/** A new key: base64 of 32 random bytes. */
export function generateSessionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * The Secret's data after one rotation: a new current key; the old current becomes the only
 * previous key (ids sealed before the last-but-one rotation stop opening; clients re-initialize).
 */
export function rotatedSessionKeys(existing: { current: string; previous?: string } | undefined): { current: string; previous?: string } {
  const current = generateSessionKey();
  const old = existing?.current.trim();
  return old === undefined || old === '' ? { current } : { current, previous: old };
}
