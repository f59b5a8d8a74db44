/**
 * Which operator image `setup` deploys (library function; `setup` itself is wired elsewhere).
 *
 * Order: `--operator-image` → $OPERATOR_IMG (the original's variable) → the image given to
 * `registry provision --operator-image` → on a local cluster (kind, minikube, k3d: told apart
 * by the kube context name) build the image from the project's Dockerfile with the available
 * builder and load it into the cluster's nodes → otherwise an error saying what to pass.
 *
 * The built image is named `localhost/mcp-runtime-operator:dev-<git sha|version>`: a fixed
 * `localhost/` registry so the name is identical however it was built (podman stores short
 * names under localhost/, docker under docker.io/library/), and a non-`latest` tag so the
 * Deployment's default pull policy is IfNotPresent (a loaded image cannot be pulled).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseImageReference } from '../images/reference.js';
import { BuildFailedError, RegistryUsageError } from '../registry/errors.js';
import { processProbes, type CommandLine, type ToolProbes } from '../registry/tools.js';
import { buildCommand, detectBuilder, type Builder } from './builder.js';
import { CommandNotFoundError, runProcess, type Runner } from './exec.js';
import { gitState } from './tag.js';

export const OPERATOR_IMAGE_ENV = 'OPERATOR_IMG';
export const LOCAL_OPERATOR_REPOSITORY = 'localhost/mcp-runtime-operator';

export type LocalClusterKind = 'kind' | 'minikube' | 'k3d';

export interface LocalCluster {
  readonly kind: LocalClusterKind;
  /** kind cluster name, minikube profile, k3d cluster name. */
  readonly name: string;
}

export interface KubeContextInfo {
  /** The context name (kind-<cluster>, k3d-<cluster>, minikube or the minikube profile). */
  readonly name: string;
  /** Name of the context's cluster entry (minikube names it after the profile). */
  readonly cluster?: string;
  /** The context's user (minikube names it after the profile too). */
  readonly user?: string;
}

/** Recognises the contexts kind, k3d and minikube write into kubeconfigs. Pure. */
export function detectLocalCluster(context: KubeContextInfo | undefined): LocalCluster | undefined {
  if (context === undefined) return undefined;
  const { name } = context;
  if (name.startsWith('kind-') && name.length > 5) return { kind: 'kind', name: name.slice(5) };
  if (name.startsWith('k3d-') && name.length > 4) return { kind: 'k3d', name: name.slice(4) };
  if (name === 'minikube') return { kind: 'minikube', name: 'minikube' };
  return undefined;
}

export interface ResolveOperatorImageInput {
  readonly flag?: string;
  /** The current kube context (KubeConfig.getContextObject(getCurrentContext())). */
  readonly context?: KubeContextInfo;
  /** Operator image from `registry provision --operator-image` (readProvisionedRegistry().operatorImage). */
  readonly provisioned?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Folder with the operator Dockerfile; default: the mcp-runtime package root. */
  readonly projectRoot?: string;
  readonly builder?: Builder;
  /** Tag of a locally built image; default dev-<git sha> or dev-<package version>. */
  readonly tag?: string;
}

export type OperatorImageSource = 'flag' | 'env' | 'provisioned' | 'built';

export interface OperatorImage {
  readonly image: string;
  readonly source: OperatorImageSource;
  /** Set when the image was built here and loaded into a local cluster. */
  readonly loadedInto?: LocalCluster;
  readonly builder?: Builder;
}

export interface OperatorImageDeps {
  readonly runner?: Runner;
  readonly probes?: ToolProbes;
  readonly log?: (line: string) => void;
}

/** Walks up from this module to the folder with the operator Dockerfile and mcp-runtime's package.json. */
export function findProjectRoot(start: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(join(dir, 'Dockerfile')) && existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'mcp-runtime') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function validated(image: string, what: string): string {
  try {
    parseImageReference(image);
  } catch (error) {
    throw new RegistryUsageError(`${what}: ${(error as Error).message}`);
  }
  return image;
}

/**
 * How a locally built image gets into a local cluster. With docker the loaders read the
 * daemon; podman/buildah images go through a docker-archive file (all three loaders accept one).
 */
export function loadCommands(cluster: LocalCluster, builder: Builder, image: string, archive: string): CommandLine[] {
  const save: CommandLine[] =
    builder === 'docker'
      ? []
      : builder === 'podman'
        ? [{ command: 'podman', args: ['save', '--format', 'docker-archive', '-o', archive, image] }]
        : [{ command: 'buildah', args: ['push', image, `docker-archive:${archive}:${image}`] }];
  const from = builder === 'docker' ? image : archive;
  switch (cluster.kind) {
    case 'kind':
      return [...save, { command: 'kind', args: builder === 'docker' ? ['load', 'docker-image', image, '--name', cluster.name] : ['load', 'image-archive', archive, '--name', cluster.name] }];
    case 'minikube':
      return [...save, { command: 'minikube', args: ['image', 'load', from, '-p', cluster.name] }];
    case 'k3d':
      return [...save, { command: 'k3d', args: ['image', 'import', from, '-c', cluster.name] }];
  }
}

export async function resolveOperatorImage(input: ResolveOperatorImageInput, deps: OperatorImageDeps = {}): Promise<OperatorImage> {
  if (input.flag !== undefined && input.flag !== '') return { image: validated(input.flag, '--operator-image'), source: 'flag' };
  const fromEnv = (input.env ?? process.env)[OPERATOR_IMAGE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { image: validated(fromEnv, OPERATOR_IMAGE_ENV), source: 'env' };
  if (input.provisioned !== undefined && input.provisioned !== '') {
    return { image: validated(input.provisioned, 'provisioned operator image'), source: 'provisioned' };
  }
  const cluster = detectLocalCluster(input.context);
  if (cluster === undefined) {
    throw new RegistryUsageError(
      `No operator image: the current kube context${input.context === undefined ? '' : ` "${input.context.name}"`} is not a kind, minikube or k3d ` +
        `cluster, so mcp-runtime cannot build the operator image and load it into the nodes. Pass --operator-image <image the cluster can pull> ` +
        `(e.g. a release image, or one you pushed with \`mcp-runtime registry push\`), set ${OPERATOR_IMAGE_ENV}, or store one with ` +
        `\`mcp-runtime registry provision --url <registry> --operator-image <image>\`.`,
    );
  }
  const runner = deps.runner ?? runProcess;
  const log = deps.log ?? (() => {});
  const root = input.projectRoot ?? findProjectRoot();
  if (root === undefined || !existsSync(join(root, 'Dockerfile'))) {
    throw new RegistryUsageError(
      `Cannot build the operator image for ${cluster.kind} cluster "${cluster.name}": the mcp-runtime Dockerfile was not found ` +
        `(installed without sources?). Pass --operator-image <image>.`,
    );
  }
  const builder = await detectBuilder(deps.probes ?? processProbes(runner), input.builder);
  let tag = input.tag;
  if (tag === undefined) {
    const git = await gitState(root, runner);
    if (git !== undefined) tag = `dev-${git.sha}${git.dirty ? `-dirty${git.dirtyHash === undefined ? '' : `-${git.dirtyHash.slice(0, 8)}`}` : ''}`;
    else {
      const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
      tag = `dev-${version}`;
    }
  }
  const image = validated(`${LOCAL_OPERATOR_REPOSITORY}:${tag}`, 'operator image');
  const run = async (line: CommandLine, what: string): Promise<void> => {
    log(`$ ${line.command} ${line.args.join(' ')}`);
    let result;
    try {
      result = await runner(line.command, line.args, { cwd: root, onStderrLine: log, onStdoutLine: log });
    } catch (error) {
      if (error instanceof CommandNotFoundError) {
        throw new RegistryUsageError(`${what} needs ${line.command}, which is not installed. Install it, or pass --operator-image <image>.`);
      }
      throw error;
    }
    if (result.code !== 0) {
      throw new BuildFailedError(`${what} failed: ${line.command} exited with ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
  };
  log(`Building the operator image ${image} with ${builder} (context ${cluster.kind} "${cluster.name}")...`);
  await run(buildCommand(builder, { image, context: root, dockerfile: join(root, 'Dockerfile') }), 'Building the operator image');
  const dir = await mkdtemp(join(tmpdir(), 'mcp-runtime-operator-'));
  try {
    for (const line of loadCommands(cluster, builder, image, join(dir, 'operator.tar'))) {
      await run(line, `Loading the operator image into ${cluster.kind} cluster "${cluster.name}"`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  log(`Loaded ${image} into ${cluster.kind} cluster "${cluster.name}".`);
  return { image, source: 'built', loadedInto: cluster, builder };
}
