/**
 * The platform image (the project's Dockerfile, built by buildPlatformImage) in a real node's
 * containerd, so that `setup --operator-image` runs the operator and the catalog as the pods a
 * real cluster gets. The node's reference carries the image's ID: a changed build is a new
 * reference, and `localhost/…` references are IfNotPresent, so the node never tries to pull.
 */
import { buildPlatformImage } from '../platform-image.js';
import type { LogFn } from '../types.js';
import { importIntoNode, nodeHasImage } from './node-image-import.js';

/** Podman's tag of the build for real nodes (each rebuild moves it; the previous image is removed). */
export const PLATFORM_BUILD_TAG = 'localhost/mcp-runtime/platform:local';
/** The repository of the reference the node's containerd gets (its tag: the image ID's first 12 hex digits). */
export const PLATFORM_IMAGE_REPOSITORY = 'localhost/mcp-runtime/platform';

export interface PlatformNodeImageOptions {
  /** The project root (the Dockerfile and its build context). */
  readonly repoRoot: string;
  /** ctr against the node's containerd (RealNode.ctr). */
  readonly ctr: (args: string[]) => Promise<string>;
  readonly log?: LogFn;
}

/** Builds the platform image (quick from podman's layer cache) and imports it into the node; returns the node's reference. */
export async function providePlatformImage(o: PlatformNodeImageOptions): Promise<string> {
  const log = o.log ?? (() => {});
  const { id } = await buildPlatformImage({ repoRoot: o.repoRoot, tag: PLATFORM_BUILD_TAG, log });
  const reference = `${PLATFORM_IMAGE_REPOSITORY}:${id.slice(0, 12)}`;
  if (await nodeHasImage(o.ctr, reference)) return reference;
  const started = performance.now();
  await importIntoNode({ podmanImage: PLATFORM_BUILD_TAG, reference, ctr: o.ctr });
  log(`platform image ${reference} imported into the node in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return reference;
}
