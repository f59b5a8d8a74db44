/**
 * File system failures in words a person can act on, always naming the path: never a raw errno.
 */

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  ELOOP: 'is a symbolic link loop (or too many nested links)',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error of the device',
  EBUSY: 'is busy (in use by another process or a mount point)',
  EXDEV: 'is on another file system',
  ENOTEMPTY: 'is a folder that is not empty',
};

/** The reason of a Node.js file system error, e.g. "permission denied". */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code];
  return code === undefined ? String((error as Error)?.message ?? error) : `unexpected file system error (${code})`;
}

export const isFsError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).syscall !== undefined;
