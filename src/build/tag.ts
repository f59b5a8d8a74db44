/**
 * The tag `server build` gives an image when --tag is not passed.
 *
 *  - In a git work tree with a clean build context: the short commit SHA (`3f2a9c1`).
 *  - With uncommitted changes in the build context (tracked or untracked, not ignored):
 *    `<sha>-dirty-<8 hex>`, where the hex is a hash of the changes. Decision: a dirty build
 *    must not carry the bare SHA (it is not that commit's image), and must not reuse one
 *    fixed `-dirty` tag either: non-`latest` tags are pulled IfNotPresent, so two different
 *    dirty builds under the same tag would leave nodes running the stale one. Hashing the
 *    changes makes the same dirty state give the same tag (rebuilds are idempotent) and
 *    different states give different tags.
 *  - Outside git (or in a repository without commits): `latest` (pulled Always).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { withDefaultTag, DEFAULT_IMAGE_TAG } from '../images/reference.js';
import { RegistryUsageError } from '../registry/errors.js';
import { runProcess, type Runner } from './exec.js';

export interface GitState {
  /** Short SHA of HEAD. */
  readonly sha: string;
  readonly dirty: boolean;
  /** Hash of the uncommitted changes (hex), when dirty. */
  readonly dirtyHash?: string;
}

export type TagSource = 'flag' | 'image' | 'git' | 'git-dirty' | 'default';

export interface TagChoice {
  readonly tag: string;
  readonly source: TagSource;
}

/** Throws RegistryUsageError when `tag` is not a valid image tag. */
export function validateTag(tag: string, what = '--tag'): string {
  try {
    withDefaultTag({ repository: 'x' }, tag);
  } catch {
    throw new RegistryUsageError(`${what} "${tag}" is not a valid image tag (letters, digits, '_', '.', '-'; must not start with '.' or '-'; at most 128).`);
  }
  return tag;
}

/** Pure: --tag, then a tag inside --image, then git, then `latest`. */
export function chooseTag(input: { flag?: string; imageTag?: string; git?: GitState }): TagChoice {
  if (input.flag !== undefined && input.flag !== '') return { tag: validateTag(input.flag), source: 'flag' };
  if (input.imageTag !== undefined) return { tag: validateTag(input.imageTag, '--image tag'), source: 'image' };
  if (input.git !== undefined) {
    if (!input.git.dirty) return { tag: input.git.sha, source: 'git' };
    return { tag: `${input.git.sha}-dirty${input.git.dirtyHash === undefined ? '' : `-${input.git.dirtyHash.slice(0, 8)}`}`, source: 'git-dirty' };
  }
  return { tag: DEFAULT_IMAGE_TAG, source: 'default' };
}

/** Streams a git command's stdout into a hash (diffs can be large; nothing is buffered). */
function hashGitOutput(hash: ReturnType<typeof createHash>, dir: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'ignore'] });
    child.stdout?.on('data', (chunk: Buffer) => hash.update(chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args.join(' ')} exited with ${code}`))));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * The git state of `dir` (the build context), or undefined outside a work tree, without
 * commits, or without git. Dirtiness is scoped to `dir`: changes elsewhere in the repository
 * do not change what is built.
 */
export async function gitState(
  dir: string,
  runner: Runner = runProcess,
  options: { exclude?: readonly string[] } = {},
): Promise<GitState | undefined> {
  const git = (args: string[]) => runner('git', ['-C', dir, ...args]).catch(() => undefined);
  const inside = await git(['rev-parse', '--is-inside-work-tree']);
  if (inside?.code !== 0 || inside.stdout.trim() !== 'true') return undefined;
  const head = await git(['rev-parse', '--short', 'HEAD']);
  if (head?.code !== 0) return undefined;
  const sha = head.stdout.trim();
  // Paths (relative to dir) whose changes do not count, e.g. the metadata folder that
  // `server build` itself writes to.
  const pathspec = ['--', '.', ...(options.exclude ?? []).map((p) => `:(exclude)${p}`)];
  const status = await git(['status', '--porcelain', '--untracked-files=all', ...pathspec]);
  const dirty = status?.code === 0 && status.stdout.trim() !== '';
  if (!dirty) return { sha, dirty: false };
  const hash = createHash('sha256');
  try {
    await hashGitOutput(hash, dir, ['diff', 'HEAD', '--binary', '--no-ext-diff', ...pathspec]);
    const untracked = await git(['ls-files', '--others', '--exclude-standard', ...pathspec]);
    const files = (untracked?.stdout ?? '').split('\n').filter((f) => f !== '');
    if (files.length > 0) {
      hash.update(files.join('\n'));
      await hashGitOutput(hash, dir, ['hash-object', '--stdin-paths'], files.join('\n') + '\n');
    }
  } catch {
    return { sha, dirty: true };
  }
  return { sha, dirty: true, dirtyHash: hash.digest('hex') };
}
