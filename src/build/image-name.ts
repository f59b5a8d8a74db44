/**
 * The name `server build` gives an image (without tag; the tag is chosen by tag.ts). Pure.
 *
 *   1. the base: --image, else the metadata `image`, else the server name;
 *   2. its tag/digest is dropped (the tag is chosen separately, and written as `imageTag`);
 *   3. the registry: --registry replaces the base's registry; else a base with a registry
 *      keeps it — except the in-cluster default, which a provisioned registry replaces (it
 *      was only ever the default); else the provisioned registry; else the in-cluster one.
 */
import { formatImageReference, isInRegistry, parseImageReference, withRegistry, IN_CLUSTER_REGISTRY, type ImageReference } from '../images/reference.js';
import { RegistryUsageError } from '../registry/errors.js';
import { chooseRegistry, type RegistrySource } from '../registry/destination.js';

export interface ImageNameInput {
  readonly serverName: string;
  readonly metadataImage?: string;
  readonly imageFlag?: string;
  readonly registryFlag?: string;
  readonly provisioned?: string;
}

export interface ImageName {
  /** registry/repository, no tag: what goes into the metadata `image`. */
  readonly image: string;
  readonly reference: ImageReference;
  /** Where the registry came from (`image`: the base named one). */
  readonly registrySource: RegistrySource | 'image';
  /** The tag written in --image, if any (a tag hint). */
  readonly tagInImage?: string;
}

export function buildImageName(input: ImageNameInput): ImageName {
  const [text, what] =
    input.imageFlag !== undefined && input.imageFlag !== ''
      ? [input.imageFlag, '--image']
      : input.metadataImage !== undefined
        ? [input.metadataImage, `image of server "${input.serverName}" in the metadata`]
        : [input.serverName, 'server name'];
  let parsed: ImageReference;
  try {
    parsed = parseImageReference(text);
  } catch (error) {
    throw new RegistryUsageError(`${what}: ${(error as Error).message}`);
  }
  const base: ImageReference = { ...(parsed.registry === undefined ? {} : { registry: parsed.registry }), repository: parsed.repository };
  const tagInImage = what === '--image' ? parsed.tag : undefined;
  let reference: ImageReference;
  let registrySource: ImageName['registrySource'];
  if (input.registryFlag !== undefined && input.registryFlag !== '') {
    reference = withRegistry(base, input.registryFlag);
    registrySource = 'flag';
  } else if (base.registry !== undefined && !(input.provisioned !== undefined && isInRegistry(base, IN_CLUSTER_REGISTRY))) {
    reference = base;
    registrySource = 'image';
  } else {
    const choice = chooseRegistry(undefined, input.provisioned);
    // Moving off the in-cluster default keeps the repository path below it.
    reference = withRegistry(base, choice.registry);
    registrySource = choice.source;
  }
  return { image: formatImageReference(reference), reference, registrySource, ...(tagInImage === undefined ? {} : { tagInImage }) };
}
