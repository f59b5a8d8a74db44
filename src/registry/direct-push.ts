/**
 * `registry push --mode direct`: pushes from this machine with skopeo, podman or docker
 * (docker only with a daemon). TLS is verified unless the user passed --insecure-registry.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseImageReference } from '../images/reference.js';
import { CommandNotFoundError, runProcess, type Runner } from '../build/exec.js';
import { classifyPushFailure, PushFailedError, RegistryUsageError } from './errors.js';
import {
  PUSH_TOOLS,
  detectTool,
  digestFromDockerOutput,
  directPushCommands,
  hasTransport,
  processProbes,
  type DirectPushOptions,
  type PushTool,
  type ToolProbes,
} from './tools.js';

export interface DirectPushRequest extends Omit<DirectPushOptions, 'digestFile'> {
  /** Force a tool; default: the first usable of skopeo, podman, docker. */
  readonly tool?: PushTool;
}

export interface DirectPushResult {
  readonly tool: PushTool;
  readonly destination: string;
  /** Digest of the pushed manifest, as the tool reported it (what the registry answers as Docker-Content-Digest). */
  readonly digest?: string;
}

export interface DirectPushDeps {
  readonly runner?: Runner;
  readonly probes?: ToolProbes;
  /** Progress lines (the tool's own output). */
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * skopeo reads podman/buildah's storage but does not apply podman's short-name rule (a local
 * build `my-server:1` is stored as `localhost/my-server:1`). Try the name as written, then
 * under localhost/.
 */
export async function resolveContainersStorageSource(source: string, runner: Runner): Promise<string> {
  if (hasTransport(source)) return source;
  const candidates = [source, `localhost/${source}`];
  for (const candidate of candidates) {
    const result = await runner('skopeo', ['inspect', '--raw', `containers-storage:${candidate}`]).catch(() => undefined);
    if (result?.code === 0) return `containers-storage:${candidate}`;
  }
  throw new RegistryUsageError(
    `Image ${source} is not in the local container storage (podman/buildah). Build it first (\`mcp-runtime server build\`), ` +
      `or name an archive (--image oci-archive:<file>) or a registry image (--image docker://<ref>).`,
  );
}

export async function pushDirect(request: DirectPushRequest, deps: DirectPushDeps = {}): Promise<DirectPushResult> {
  const runner = deps.runner ?? runProcess;
  const log = deps.log ?? (() => {});
  // containers/storage's start-up chatter is noise in progress output.
  const progress = (line: string): void => {
    if (!/level=info msg="\[graphdriver\]/.test(line)) log(line);
  };
  const tool = await detectTool(PUSH_TOOLS, deps.probes ?? processProbes(runner), request.tool);
  const registry = parseImageReference(request.destination).registry ?? 'docker.io';
  const source = tool === 'skopeo' ? await resolveContainersStorageSource(request.source, runner) : request.source;
  const dir = await mkdtemp(join(tmpdir(), 'mcp-runtime-push-'));
  try {
    const digestFile = join(dir, 'digest');
    const commands = directPushCommands(tool, { ...request, source, digestFile });
    let lastStdout = '';
    for (const { command, args } of commands) {
      log(`$ ${command} ${args.join(' ')}`);
      let result;
      try {
        result = await runner(command, args, { onStderrLine: progress, onStdoutLine: progress, signal: deps.signal });
      } catch (error) {
        if (error instanceof CommandNotFoundError) throw new RegistryUsageError(error.message);
        throw error;
      }
      if (result.code !== 0) {
        const failure = classifyPushFailure(`${result.stderr}\n${result.stdout}`, { registry, insecure: request.insecure, tool });
        throw new PushFailedError(failure.message);
      }
      lastStdout = result.stdout;
    }
    const digest =
      tool === 'docker' ? digestFromDockerOutput(lastStdout) : (await readFile(digestFile, 'utf8').catch(() => '')).trim() || undefined;
    return { tool, destination: request.destination, ...(digest === undefined ? {} : { digest }) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
