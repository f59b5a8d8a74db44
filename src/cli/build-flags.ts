/** Flags shared by `server build` and `build push`, and their translation to ServerBuildOptions. */
import { Flags } from '@oclif/core';
import type { ServerBuildOptions } from '../build/server-build.js';

export const buildFlags = {
  dir: Flags.string({ description: 'Metadata folder (or file).', default: '.mcp' }),
  tag: Flags.string({ description: 'Image tag (default: git short SHA, `<sha>-dirty-<hash>` with uncommitted changes, `latest` outside git).' }),
  dockerfile: Flags.string({ description: 'Dockerfile (default: build.dockerfile of the server, else Dockerfile in the context).' }),
  // --context is the kube context, as in every other command (and kubectl).
  'build-context': Flags.string({ description: 'Build context folder (default: build.context of the server, relative to the metadata folder\'s parent, else that folder).' }),
  platform: Flags.string({ description: 'Target platform, e.g. linux/amd64 (default: build.platform of the server, else the builder\'s).' }),
  builder: Flags.string({ description: 'Image builder (default: podman, else buildah, else docker if its daemon runs).', options: ['podman', 'buildah', 'docker'] }),
  image: Flags.string({ description: 'Image name [registry/]repository (default: the server\'s image, else <registry>/<name>).' }),
  registry: Flags.string({ description: 'Registry host[:port][/path] (default: provisioned registry, else registry.registry.svc.cluster.local:5000).' }),
  mode: Flags.string({ description: 'Push mode (default: in-cluster for the in-cluster registry, else direct).', options: ['direct', 'in-cluster'] }),
  tool: Flags.string({ description: 'Push tool for direct pushes.', options: ['skopeo', 'podman', 'docker'] }),
  'insecure-registry': Flags.boolean({ description: 'Skip TLS verification when pushing (and allow plain HTTP). Not for production.', default: false }),
  'cert-dir': Flags.string({ description: 'Folder with the registry CA certificate (ca.crt) for direct pushes.' }),
  authfile: Flags.string({ description: 'Registry credentials file (auth.json) for direct pushes.' }),
  'helper-image': Flags.string({ description: 'Image of the in-cluster push helper pod.', env: 'MCP_RUNTIME_PUSH_HELPER_IMAGE' }),
  'no-write': Flags.boolean({ description: 'Do not write image/imageTag back into the metadata file.', default: false }),
  'dry-run': Flags.boolean({ description: 'Show the image name, commands and metadata change; do nothing.', default: false }),
  // The kube flags come from ClusterCommand; only --context gains the old name, deprecated.
  context: Flags.string({
    helpGroup: 'CLUSTER',
    aliases: ['kube-context'],
    deprecateAliases: true,
    description: 'kubeconfig context to use (for the in-cluster push and the provisioned registry lookup). Default: the current context. (--kube-context is a deprecated alias.)',
  }),
};

type BuildFlagValues = {
  dir: string;
  tag?: string;
  dockerfile?: string;
  'build-context'?: string;
  platform?: string;
  builder?: string;
  image?: string;
  registry?: string;
  mode?: string;
  tool?: string;
  'insecure-registry': boolean;
  'cert-dir'?: string;
  authfile?: string;
  'helper-image'?: string;
  'no-write': boolean;
  'dry-run': boolean;
};

export function buildOptions(name: string, flags: BuildFlagValues, push: boolean, provisionedRegistry?: string): ServerBuildOptions {
  const opt = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    name,
    dir: flags.dir,
    push,
    insecureRegistry: flags['insecure-registry'],
    writeBack: !flags['no-write'],
    dryRun: flags['dry-run'],
    ...opt('tag', flags.tag),
    ...opt('dockerfile', flags.dockerfile),
    ...opt('context', flags['build-context']),
    ...opt('platform', flags.platform),
    ...opt('builder', flags.builder as ServerBuildOptions['builder']),
    ...opt('image', flags.image),
    ...opt('registry', flags.registry),
    ...opt('pushMode', flags.mode as ServerBuildOptions['pushMode']),
    ...opt('pushTool', flags.tool as ServerBuildOptions['pushTool']),
    ...opt('certDir', flags['cert-dir']),
    ...opt('authfile', flags.authfile),
    ...opt('helperImage', flags['helper-image']),
    ...opt('provisionedRegistry', provisionedRegistry),
  };
}
