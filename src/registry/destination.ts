/**
 * Where images go: the registry choice shared by `registry push` and `server build`, and the
 * destination name of a push. Pure; all parsing and rewriting goes through
 * src/images/reference.ts.
 */
import {
  IN_CLUSTER_REGISTRY,
  formatImageReference,
  isInRegistry,
  normalizeRegistry,
  parseImageReference,
  withDefaultTag,
  withRegistry,
  type ImageReference,
} from '../images/reference.js';
import { RegistryUsageError } from './errors.js';
import { hasTransport } from './tools.js';

export type RegistrySource = 'flag' | 'provisioned' | 'in-cluster';

export interface RegistryChoice {
  /** Normalized registry (host[:port][/path]). */
  readonly registry: string;
  readonly source: RegistrySource;
}

/** `--registry` wins, then the provisioned registry, then the in-cluster one. */
export function chooseRegistry(flag: string | undefined, provisioned: string | undefined): RegistryChoice {
  if (flag !== undefined && normalizeRegistry(flag) !== '') return { registry: normalizeRegistry(flag), source: 'flag' };
  if (provisioned !== undefined && normalizeRegistry(provisioned) !== '') return { registry: normalizeRegistry(provisioned), source: 'provisioned' };
  return { registry: IN_CLUSTER_REGISTRY, source: 'in-cluster' };
}

/** The in-cluster registry's Service, under each DNS name the cluster resolves for it. */
const IN_CLUSTER_HOSTS = [IN_CLUSTER_REGISTRY, 'registry.registry.svc:5000', 'registry.registry:5000'];

/** True for the in-cluster registry, which a laptop cannot reach directly (ClusterIP, plain HTTP). */
export function isInClusterRegistry(registry: string): boolean {
  const normalized = normalizeRegistry(registry);
  if (normalized === '') return false;
  return IN_CLUSTER_HOSTS.some((host) => isInRegistry(`${normalized}/x`, host));
}

/** The image name inside a source (`containers-storage:x` → `x`); undefined for archives (no name). */
export function sourceImageName(source: string): string | undefined {
  if (source.startsWith('docker://')) return source.slice('docker://'.length);
  if (source.startsWith('containers-storage:')) return source.slice('containers-storage:'.length).replace(/^\[[^\]]*\]/, '');
  if (source.startsWith('docker-daemon:')) return source.slice('docker-daemon:'.length);
  if (hasTransport(source)) return undefined;
  return source;
}

export interface PushDestinationInput {
  /** `--image`: the source. */
  readonly source: string;
  /** `--name`: repository with optional tag (`team/server:1.2`). Default: the source's repository and tag. */
  readonly name?: string;
  /** `--registry`. */
  readonly registry?: string;
  /** The provisioned registry, if any. */
  readonly provisioned?: string;
}

export interface PushDestination {
  readonly reference: ImageReference;
  /** registry/repository:tag */
  readonly image: string;
  readonly registry: RegistryChoice;
}

/**
 * The destination of `registry push`: the source retagged for the platform registry. Its
 * repository and tag are kept (`localhost/my-server:abc` → `<registry>/my-server:abc`) unless
 * `--name` gives others; no tag means `latest`.
 */
export function pushDestination(input: PushDestinationInput): PushDestination {
  const registry = chooseRegistry(input.registry, input.provisioned);
  let base: ImageReference;
  if (input.name !== undefined && input.name !== '') {
    base = parseName(input.name, '--name');
    if (base.registry !== undefined) {
      throw new RegistryUsageError(`--name "${input.name}" names a registry (${base.registry}); give the repository only and the registry with --registry.`);
    }
  } else {
    const name = sourceImageName(input.source);
    if (name === undefined) throw new RegistryUsageError(`--image ${input.source} carries no image name: pass --name <repository[:tag]>.`);
    const source = parseName(name, '--image');
    base = { repository: source.repository, ...(source.tag === undefined ? {} : { tag: source.tag }) };
  }
  const reference = withDefaultTag(withRegistry({ repository: base.repository, ...(base.tag === undefined ? {} : { tag: base.tag }) }, registry.registry));
  return { reference, image: formatImageReference(reference), registry };
}

function parseName(text: string, flag: string): ImageReference {
  try {
    const ref = parseImageReference(text);
    if (ref.digest !== undefined) throw new RegistryUsageError(`${flag} "${text}": a push destination cannot be a digest; use a tag.`);
    return ref;
  } catch (error) {
    if (error instanceof RegistryUsageError) throw error;
    throw new RegistryUsageError(`${flag}: ${(error as Error).message}`);
  }
}
