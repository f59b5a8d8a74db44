/**
 * The programs that move images: which one to use and the exact command lines. Pure apart
 * from detection, whose probes are injected so the order can be unit-tested.
 *
 * TLS: verification is ON unless the caller asks for `insecure` (the user passed
 * --insecure-registry). A private CA is trusted per command with `certDir` (a folder holding
 * `ca.crt`, the containers-tools convention), so nobody has to turn verification off to use a
 * registry with a self-signed certificate.
 */
import { probe, type Runner } from '../build/exec.js';
import { RegistryUsageError } from './errors.js';

export const PUSH_TOOLS = ['skopeo', 'podman', 'docker'] as const;
export type PushTool = (typeof PUSH_TOOLS)[number];

export interface ToolProbes {
  /** True when the program is installed and answers (e.g. `skopeo --version`). */
  installed(tool: string): Promise<boolean>;
  /** True when a Docker daemon answers (`docker info`): the docker CLI alone cannot push. */
  dockerDaemon(): Promise<boolean>;
}

export function processProbes(runner: Runner): ToolProbes {
  return {
    installed: (tool) => probe(runner, tool, ['--version']),
    dockerDaemon: () => probe(runner, 'docker', ['info', '--format', '{{.ServerVersion}}']),
  };
}

/** Is `tool` usable? docker counts only with a daemon. */
export async function toolUsable(tool: string, probes: ToolProbes): Promise<boolean> {
  if (tool === 'docker') return (await probes.installed('docker')) && (await probes.dockerDaemon());
  return probes.installed(tool);
}

/**
 * The first usable tool of `order`. With `preferred`, only that one (and a clear error when it
 * is not usable).
 */
export async function detectTool<T extends string>(
  order: readonly T[],
  probes: ToolProbes,
  preferred?: T,
  purpose = 'push images',
): Promise<T> {
  if (preferred !== undefined) {
    if (await toolUsable(preferred, probes)) return preferred;
    const why =
      preferred === 'docker' && (await probes.installed('docker'))
        ? 'the docker CLI is installed but no Docker daemon answers'
        : `${preferred} is not installed or not on PATH`;
    throw new RegistryUsageError(`Cannot use ${preferred} to ${purpose}: ${why}.`);
  }
  for (const tool of order) if (await toolUsable(tool, probes)) return tool;
  throw new RegistryUsageError(
    `No tool to ${purpose}: install one of ${order.join(', ')} (docker counts only when its daemon is running).`,
  );
}

/** Transports skopeo understands; a source with one of these prefixes is used as written. */
const TRANSPORTS = ['containers-storage:', 'oci-archive:', 'docker-archive:', 'docker://', 'oci:', 'dir:', 'docker-daemon:'];

export function hasTransport(source: string): boolean {
  return TRANSPORTS.some((t) => source.startsWith(t));
}

export interface DirectPushOptions {
  /** A local image (`my-server:1`, `localhost/x:y`) or, for skopeo, a transport-prefixed source. */
  readonly source: string;
  /** Full destination reference (registry/repository:tag), without `docker://`. */
  readonly destination: string;
  /** Skip TLS verification (and allow plain HTTP). Only when the user asked for it. */
  readonly insecure: boolean;
  /** Folder with the registry's CA certificate (`ca.crt`) and optional client cert/key. */
  readonly certDir?: string;
  /** Registry credentials file (containers auth.json / docker config.json format). */
  readonly authfile?: string;
  /** Where the tool writes the pushed manifest's digest. */
  readonly digestFile: string;
}

export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

/** The commands that push `source` to `destination` with `tool` (docker needs two: tag, push). */
export function directPushCommands(tool: PushTool, o: DirectPushOptions): CommandLine[] {
  switch (tool) {
    case 'skopeo': {
      const source = hasTransport(o.source) ? o.source : `containers-storage:${o.source}`;
      return [
        {
          command: 'skopeo',
          args: [
            'copy',
            '--retry-times',
            '2',
            `--dest-tls-verify=${String(!o.insecure)}`,
            ...(o.certDir === undefined ? [] : ['--dest-cert-dir', o.certDir]),
            ...(o.authfile === undefined ? [] : ['--dest-authfile', o.authfile]),
            '--digestfile',
            o.digestFile,
            source,
            `docker://${o.destination}`,
          ],
        },
      ];
    }
    case 'podman':
      if (hasTransport(o.source) && !o.source.startsWith('containers-storage:')) {
        throw new RegistryUsageError(`podman pushes images from its local storage only; use --tool skopeo for ${o.source}.`);
      }
      return [
        {
          command: 'podman',
          args: [
            'push',
            // No --retry: podman < 4.5 (Debian 12 ships 4.3) does not know it.
            `--tls-verify=${String(!o.insecure)}`,
            ...(o.certDir === undefined ? [] : ['--cert-dir', o.certDir]),
            ...(o.authfile === undefined ? [] : ['--authfile', o.authfile]),
            '--digestfile',
            o.digestFile,
            o.source.replace(/^containers-storage:/, ''),
            `docker://${o.destination}`,
          ],
        },
      ];
    case 'docker':
      if (o.insecure) {
        throw new RegistryUsageError(
          'docker cannot skip TLS verification per command: add the registry to "insecure-registries" in the Docker daemon\'s ' +
            'daemon.json, or push with --tool skopeo or --tool podman.',
        );
      }
      if (o.certDir !== undefined) {
        throw new RegistryUsageError(
          `docker takes a registry CA only from /etc/docker/certs.d/<host:port>/ca.crt; copy it there, or push with --tool skopeo or --tool podman.`,
        );
      }
      if (o.authfile !== undefined) {
        throw new RegistryUsageError('docker reads credentials from its own config (`docker login <registry>`); --authfile works with --tool skopeo or podman.');
      }
      if (hasTransport(o.source)) throw new RegistryUsageError(`docker pushes images from its daemon only; use --tool skopeo for ${o.source}.`);
      return [
        { command: 'docker', args: ['tag', o.source, o.destination] },
        { command: 'docker', args: ['push', o.destination] },
      ];
  }
}

/** docker push prints `<tag>: digest: sha256:... size: N`. */
export function digestFromDockerOutput(stdout: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
}
