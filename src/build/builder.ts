/**
 * Image builders: which one to use (podman, buildah, docker — docker only when its daemon
 * answers) and the build command line. Detection probes are injected for unit tests.
 */
import { detectTool, type ToolProbes } from '../registry/tools.js';
import type { CommandLine } from '../registry/tools.js';

export const BUILDERS = ['podman', 'buildah', 'docker'] as const;
export type Builder = (typeof BUILDERS)[number];

export function isBuilder(value: string): value is Builder {
  return (BUILDERS as readonly string[]).includes(value);
}

/** The first usable builder in the order podman, buildah, docker, or `preferred` if usable. */
export function detectBuilder(probes: ToolProbes, preferred?: Builder): Promise<Builder> {
  return detectTool(BUILDERS, probes, preferred, 'build images');
}

export interface BuildRequest {
  /** Full reference to tag the image with (registry/repository:tag). */
  readonly image: string;
  /** Extra references for the same image. */
  readonly extraTags?: readonly string[];
  readonly context: string;
  readonly dockerfile: string;
  readonly platform?: string;
}

export function buildCommand(builder: Builder, request: BuildRequest): CommandLine {
  const tags = [request.image, ...(request.extraTags ?? [])].flatMap((t) => ['-t', t]);
  const platform = request.platform === undefined ? [] : ['--platform', request.platform];
  // buildah caches layers only with --layers (podman and docker do by default).
  const layers = builder === 'buildah' ? ['--layers'] : [];
  return { command: builder, args: ['build', ...layers, ...tags, '-f', request.dockerfile, ...platform, request.context] };
}

/**
 * The push tool that can read what `builder` built: podman and buildah share the
 * containers-storage that skopeo and podman push from; docker's images live in its daemon.
 */
export function pushToolsFor(builder: Builder): readonly ('skopeo' | 'podman' | 'docker')[] {
  return builder === 'docker' ? ['docker'] : ['skopeo', 'podman'];
}
