/**
 * Container image references: parse, format and rewrite. `server build`, `registry push`,
 * `pipeline generate` and the operator all resolve images through this one module, so an image
 * that builds and pushes to some name is deployed under exactly that name.
 *
 * Grammar (the OCI distribution reference grammar, reduced to what we need):
 *   reference  := [registry '/'] repository [':' tag] ['@' digest]
 *   registry   := the first path part, when it contains '.' or ':' or is 'localhost'
 *
 * Pure: no I/O, no defaults read from the environment.
 */

/** The default in-cluster registry (Service `registry` in namespace `registry`, port 5000). */
export const IN_CLUSTER_REGISTRY = 'registry.registry.svc.cluster.local:5000';
/** The tag appended when an image names neither a tag nor a digest. */
export const DEFAULT_IMAGE_TAG = 'latest';

export interface ImageReference {
  /** Registry host with optional port, e.g. `ghcr.io` or `localhost:5000`; undefined for `nginx`. */
  readonly registry?: string;
  /** Path below the registry, e.g. `team/server` or `nginx`. Never empty. */
  readonly repository: string;
  /** Tag without the ':'; undefined when the reference names none. */
  readonly tag?: string;
  /** Digest such as `sha256:…`; undefined when the reference names none. */
  readonly digest?: string;
}

export class InvalidImageReferenceError extends Error {
  constructor(
    readonly reference: string,
    reason: string,
  ) {
    super(`invalid image reference "${reference}": ${reason}`);
    this.name = 'InvalidImageReferenceError';
  }
}

// Regular expressions from the distribution reference grammar (github.com/distribution/reference).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** The rule from the spec: a first path part is a registry host if it has '.' or ':' or is localhost. */
export function looksLikeRegistryHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost';
}

/** Parses a reference; throws InvalidImageReferenceError with the reason when it is malformed. */
export function parseImageReference(reference: string): ImageReference {
  const fail = (reason: string): never => {
    throw new InvalidImageReferenceError(reference, reason);
  };
  if (reference.length === 0) fail('it is empty');
  if (/\s/.test(reference)) fail('it contains whitespace');

  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`"${digest}" is not a digest such as sha256:<64 hex digits>`);
  }

  // The tag is a ':' after the last '/', so a registry port ("host:5000/img") is not mistaken for one.
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`"${tag}" is not a valid tag (letters, digits, '_', '.', '-'; at most 128)`);
  }

  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && looksLikeRegistryHost(parts[0]!)) {
    registry = parts.shift();
    if (!HOST.test(registry!)) fail(`"${registry}" is not a valid registry host`);
  }
  if (parts.length === 0 || parts.some((p) => p.length === 0)) fail('it has an empty path component');
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      fail(`path component "${part}" must be lower-case letters and digits separated by '.', '_', '__' or '-'`);
    }
  }
  return { registry, repository: parts.join('/'), tag, digest };
}

/** The inverse of parseImageReference. */
export function formatImageReference(ref: ImageReference): string {
  const name = ref.registry === undefined ? ref.repository : `${ref.registry}/${ref.repository}`;
  return `${name}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

/** Appends `tag` only when the reference names neither a tag nor a digest. */
export function withDefaultTag(ref: ImageReference, tag: string = DEFAULT_IMAGE_TAG): ImageReference {
  if (ref.tag !== undefined || ref.digest !== undefined) return ref;
  if (!TAG.test(tag)) throw new InvalidImageReferenceError(formatImageReference(ref), `"${tag}" is not a valid tag`);
  return { ...ref, tag };
}

/**
 * Strips a URL scheme and trailing slashes from a registry setting, so `https://reg.example.com/`
 * and `reg.example.com` name the same registry. The result may keep a path (`host/team`).
 */
export function normalizeRegistry(registry: string): string {
  return registry
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/+$/, '');
}

/**
 * Moves the image to another registry. `registry` is a host with optional port and path
 * (`reg.example.com/team`): it replaces the image's own registry host, or is prefixed when the
 * image names none (`team/server` → `reg.example.com/team/server`).
 */
export function withRegistry(ref: ImageReference, registry: string): ImageReference {
  const target = normalizeRegistry(registry);
  if (target.length === 0) throw new InvalidImageReferenceError(formatImageReference(ref), 'the target registry is empty');
  const [host, ...path] = target.split('/');
  if (!HOST.test(host!)) throw new InvalidImageReferenceError(target, `"${host}" is not a valid registry host`);
  const bad = path.find((part) => !PATH_COMPONENT.test(part));
  if (bad !== undefined) throw new InvalidImageReferenceError(target, `path component "${bad}" is not valid`);
  return { ...ref, registry: host, repository: [...path, ref.repository].join('/') };
}

/** Docker Hub's implicit names made explicit: `nginx` → `docker.io/library/nginx:latest`. For comparing references. */
export function fullyQualified(ref: ImageReference): ImageReference {
  const registry = ref.registry ?? 'docker.io';
  const repository = registry === 'docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return withDefaultTag({ ...ref, registry, repository });
}

/** The registry host (with port) of a normalized registry setting, e.g. `reg.example.com/team` → `reg.example.com`. */
export function registryHost(registry: string): string {
  return normalizeRegistry(registry).split('/')[0]!;
}

/** True when `image` lives in `registry` (host compared case-insensitively, path as a prefix). */
export function isInRegistry(image: string | ImageReference, registry: string): boolean {
  const ref = typeof image === 'string' ? parseImageReference(image) : image;
  if (ref.registry === undefined) return false;
  const [host, ...path] = normalizeRegistry(registry).split('/');
  if (ref.registry.toLowerCase() !== host!.toLowerCase()) return false;
  const prefix = path.join('/');
  return prefix === '' || ref.repository === prefix || ref.repository.startsWith(`${prefix}/`);
}

/** The image fields of an MCPServer spec (and of the metadata file). */
export interface ImageSource {
  /** Image name, with or without registry, tag or digest. */
  readonly image: string;
  /** Tag appended when `image` has neither tag nor digest. Default `latest`. */
  readonly imageTag?: string;
  /** Registry that replaces (or is prefixed to) the image's registry. Default: none. */
  readonly registryOverride?: string;
  /** Move the image to the provisioned registry (or the in-cluster one). Default false. */
  readonly useProvisionedRegistry?: boolean;
}

/**
 * The reference the cluster pulls. Order: registry rewrite (override, else provisioned registry
 * when asked for, else `IN_CLUSTER_REGISTRY`), then the default tag.
 *
 * @param provisionedRegistry the operator's PROVISIONED_REGISTRY_URL, if any
 */
export function resolveImageReference(source: ImageSource, provisionedRegistry?: string): ImageReference {
  let ref = parseImageReference(source.image);
  if (source.registryOverride !== undefined && source.registryOverride !== '') {
    ref = withRegistry(ref, source.registryOverride);
  } else if (source.useProvisionedRegistry === true) {
    const target = provisionedRegistry !== undefined && provisionedRegistry !== '' ? provisionedRegistry : IN_CLUSTER_REGISTRY;
    ref = withRegistry(ref, target);
  }
  return withDefaultTag(ref, source.imageTag ?? DEFAULT_IMAGE_TAG);
}

/** resolveImageReference, formatted. */
export function resolveImage(source: ImageSource, provisionedRegistry?: string): string {
  return formatImageReference(resolveImageReference(source, provisionedRegistry));
}

/**
 * Default pull policy: `Always` for the moving tag `latest` (otherwise updates are never
 * pulled), `IfNotPresent` for any other tag and for digests (immutable).
 */
export function defaultPullPolicy(ref: ImageReference): 'Always' | 'IfNotPresent' {
  return ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest') ? 'Always' : 'IfNotPresent';
}
