/**
 * `server build <name>` (and `build push <name>`): build the server's image from its
 * Dockerfile, optionally push it, and write `image` / `imageTag` back into the metadata file.
 *
 * Paths: `--context` / `--dockerfile` are relative to the current directory, like any CLI
 * path. The metadata's `build.context` is relative to the metadata folder's parent (the
 * repository root for `.mcp/`), its `build.dockerfile` relative to the context.
 *
 * The image is tagged with the reference the operator will pull (resolveImageReference of the
 * metadata's image fields, so `registryOverride` / `useProvisionedRegistry` are honoured) and
 * pushed under exactly that name. The metadata is written only after every requested step
 * succeeded, so it never names an image that is not where it says.
 */
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { formatImageReference, resolveImageReference } from '../images/reference.js';
import { loadMetadata, type LoadedServer } from '../metadata/index.js';
import { writeBackImage } from '../metadata/write-back.js';
import { BuildFailedError, RegistryUsageError } from '../registry/errors.js';
import { pushImage, type PushDeps, type PushMode, type PushOutcome } from '../registry/push.js';
import { processProbes, type PushTool, type ToolProbes } from '../registry/tools.js';
import { buildCommand, detectBuilder, pushToolsFor, type Builder } from './builder.js';
import { CommandNotFoundError, runProcess, type Runner } from './exec.js';
import { buildImageName } from './image-name.js';
import { chooseTag, gitState, type TagSource } from './tag.js';

export interface ServerBuildOptions {
  readonly name: string;
  /** Metadata folder or file. Default `.mcp`. */
  readonly dir?: string;
  readonly tag?: string;
  readonly dockerfile?: string;
  readonly context?: string;
  readonly platform?: string;
  readonly builder?: Builder;
  /** Image name (registry/repository) instead of the metadata's or the default. */
  readonly image?: string;
  readonly registry?: string;
  /** The provisioned registry (from the CLI config cache). */
  readonly provisionedRegistry?: string;
  readonly push?: boolean;
  readonly pushMode?: PushMode;
  readonly pushTool?: PushTool;
  readonly insecureRegistry?: boolean;
  readonly certDir?: string;
  readonly authfile?: string;
  readonly helperImage?: string;
  /** Write image/imageTag back to the metadata file. Default true. */
  readonly writeBack?: boolean;
  /** Print what would happen; build, push and write nothing. */
  readonly dryRun?: boolean;
  /** Working directory for relative paths. Default process.cwd(). */
  readonly cwd?: string;
}

export interface ServerBuildDeps extends Omit<PushDeps, 'probes' | 'runner'> {
  readonly runner?: Runner;
  readonly probes?: ToolProbes;
}

export interface ServerBuildResult {
  readonly server: string;
  readonly builder?: Builder;
  /** registry/repository written to the metadata `image`. */
  readonly image: string;
  readonly tag: string;
  readonly tagSource: TagSource;
  /** The full reference built (and pushed): what the operator pulls. */
  readonly reference: string;
  readonly context: string;
  readonly dockerfile: string;
  readonly push?: PushOutcome;
  readonly metadataFile: string;
  readonly metadataUpdated: boolean;
  readonly dryRun: boolean;
}

async function findServer(dir: string, name: string): Promise<LoadedServer> {
  const servers = await loadMetadata(dir);
  const found = servers.find((s) => s.server.name === name);
  if (found === undefined) {
    throw new RegistryUsageError(`No server "${name}" in ${dir}. Servers there: ${servers.map((s) => s.server.name).join(', ') || 'none'}.`);
  }
  return found;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

export async function serverBuild(options: ServerBuildOptions, deps: ServerBuildDeps = {}): Promise<ServerBuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const runner = deps.runner ?? runProcess;
  const probes = deps.probes ?? processProbes(runner);
  const log = deps.log ?? (() => {});
  const dir = resolve(cwd, options.dir ?? '.mcp');
  const loaded = await findServer(dir, options.name);
  const { server } = loaded;

  // Paths.
  const metadataFolder = (await isDirectory(dir)) ? dir : dirname(dir);
  const root = dirname(metadataFolder);
  const context =
    options.context !== undefined ? resolve(cwd, options.context) : resolve(root, server.build?.context ?? '.');
  const dockerfileSetting = options.dockerfile ?? server.build?.dockerfile ?? 'Dockerfile';
  const dockerfile =
    options.dockerfile !== undefined ? resolve(cwd, options.dockerfile) : isAbsolute(dockerfileSetting) ? dockerfileSetting : join(context, dockerfileSetting);
  if (!(await isDirectory(context))) throw new RegistryUsageError(`Build context ${context} is not a directory.`);
  if (!(await stat(dockerfile).catch(() => undefined))?.isFile()) {
    throw new RegistryUsageError(`Dockerfile ${dockerfile} does not exist (set build.dockerfile in the metadata or pass --dockerfile).`);
  }
  const platform = options.platform ?? server.build?.platform;

  // Name and tag.
  const name = buildImageName({
    serverName: server.name,
    ...(server.image === undefined ? {} : { metadataImage: server.image }),
    ...(options.image === undefined ? {} : { imageFlag: options.image }),
    ...(options.registry === undefined ? {} : { registryFlag: options.registry }),
    ...(options.provisionedRegistry === undefined ? {} : { provisioned: options.provisionedRegistry }),
  });
  const metadataInContext = relative(context, metadataFolder);
  const exclude = metadataInContext === '' || metadataInContext.startsWith('..') || isAbsolute(metadataInContext) ? [] : [metadataInContext];
  const git = options.tag === undefined && name.tagInImage === undefined ? await gitState(context, runner, { exclude }) : undefined;
  const tag = chooseTag({
    ...(options.tag === undefined ? {} : { flag: options.tag }),
    ...(name.tagInImage === undefined ? {} : { imageTag: name.tagInImage }),
    ...(git === undefined ? {} : { git }),
  });
  const reference = formatImageReference(
    resolveImageReference(
      {
        image: name.image,
        imageTag: tag.tag,
        ...(server.registryOverride === undefined ? {} : { registryOverride: server.registryOverride }),
        ...(server.useProvisionedRegistry === undefined ? {} : { useProvisionedRegistry: server.useProvisionedRegistry }),
      },
      options.provisionedRegistry,
    ),
  );
  log(`Server ${server.name}: image ${reference} (tag from ${tag.source})`);

  const builder = options.dryRun === true && options.builder === undefined ? undefined : await detectBuilder(probes, options.builder);
  const build = buildCommand(builder ?? 'podman', { image: reference, context, dockerfile, ...(platform === undefined ? {} : { platform }) });
  const writeBack = options.writeBack !== false;
  const base = {
    server: server.name,
    image: name.image,
    tag: tag.tag,
    tagSource: tag.source,
    reference,
    context,
    dockerfile,
    metadataFile: loaded.file,
  };

  if (options.dryRun === true) {
    log(`would run: ${builder ?? '<podman|buildah|docker>'} ${build.args.join(' ')}`);
    if (options.push === true) log(`would push ${reference}${options.pushMode === undefined ? '' : ` (${options.pushMode})`}`);
    if (writeBack) log(`would set image: ${name.image} and imageTag: ${tag.tag} for ${server.name} in ${loaded.file}`);
    return { ...base, ...(builder === undefined ? {} : { builder }), metadataUpdated: false, dryRun: true };
  }

  log(`$ ${build.command} ${build.args.join(' ')}`);
  let result;
  try {
    result = await runner(build.command, build.args, { cwd, onStdoutLine: log, onStderrLine: log, signal: deps.signal });
  } catch (error) {
    if (error instanceof CommandNotFoundError) throw new RegistryUsageError(error.message);
    throw error;
  }
  if (result.code !== 0) {
    const tail = `${result.stderr}`.trim().split('\n').slice(-5).join('\n');
    throw new BuildFailedError(`${builder} build of ${server.name} failed (exit ${result.code ?? result.signal}):\n${tail}`);
  }
  log(`Built ${reference} with ${builder}.`);

  let push: PushOutcome | undefined;
  if (options.push === true) {
    const tool = options.pushTool ?? (builder === 'docker' ? 'docker' : undefined);
    if (tool !== undefined && !pushToolsFor(builder!).includes(tool)) {
      throw new RegistryUsageError(`--tool ${tool} cannot read images built with ${builder}; use one of ${pushToolsFor(builder!).join(', ')}.`);
    }
    push = await pushImage(
      {
        source: reference,
        destination: reference,
        insecure: options.insecureRegistry === true,
        ...(options.pushMode === undefined ? {} : { mode: options.pushMode }),
        ...(tool === undefined ? {} : { tool }),
        ...(options.certDir === undefined ? {} : { certDir: options.certDir }),
        ...(options.authfile === undefined ? {} : { authfile: options.authfile }),
        ...(options.helperImage === undefined ? {} : { helperImage: options.helperImage }),
      },
      { ...deps, runner, probes },
    );
    log(`Pushed ${push.destination}${push.digest === undefined ? '' : `@${push.digest}`} (${push.mode}).`);
  }

  let metadataUpdated = false;
  if (writeBack) {
    metadataUpdated = await writeBackImage(
      loaded.file,
      { name: server.name, document: loaded.document, index: loaded.index },
      { image: name.image, imageTag: tag.tag },
    );
    log(metadataUpdated ? `Updated ${loaded.file}: image ${name.image}, imageTag ${tag.tag}.` : `${loaded.file} already names this image.`);
  }
  return { ...base, builder: builder!, ...(push === undefined ? {} : { push }), metadataUpdated, dryRun: false };
}
