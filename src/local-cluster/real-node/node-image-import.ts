/**
 * Puts an image podman holds into a real node's containerd, which can pull nothing: podman saves
 * it as an OCI archive and containerd imports that under the reference the pods name.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface NodeImageImport {
  /** The image in podman's store, by tag (`repository:tag`). */
  readonly podmanImage: string;
  /** The reference the node's containerd gets, as the Deployments name it (e.g. localhost/…:<tag>). */
  readonly reference: string;
  /** ctr against the node's containerd (RealNode.ctr). */
  readonly ctr: (args: string[]) => Promise<string>;
}

/** True when the node's containerd already has `reference`. */
export async function nodeHasImage(ctr: NodeImageImport['ctr'], reference: string): Promise<boolean> {
  return ctr(['images', 'ls', '-q', `name==${reference}`]).then((out) => out.trim() !== '', () => false);
}

/** Saves, imports and tags the image; the archive is removed whatever happens. */
export async function importIntoNode(o: NodeImageImport): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'mcp-runtime-node-image-'));
  try {
    const archive = join(work, 'image.tar');
    await run('podman', ['save', '--format', 'oci-archive', '-o', archive, o.podmanImage]);
    await o.ctr(['images', 'import', '--all-platforms', archive]);
    if (await nodeHasImage(o.ctr, o.reference)) return;
    // podman's OCI archive names the image by its tag only: give containerd the full reference the pods ask for.
    const tag = o.podmanImage.slice(o.podmanImage.lastIndexOf(':'));
    const imported = (await o.ctr(['images', 'ls', '-q'])).split('\n').find((name) => name.endsWith(tag));
    if (imported === undefined) throw new Error(`${o.podmanImage} was not found in the node's containerd after import`);
    await o.ctr(['images', 'tag', '--force', imported, o.reference]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
