import { Flags } from '@oclif/core';
import { ClusterCommand } from '../../cli/base.js';
import { interruptible } from '../../cli/interrupt.js';

export default class RegistryPush extends ClusterCommand {
  static override description = `Push an image to the platform registry.

The destination is <registry>/<name>:<tag>: --registry, else the registry stored with \`registry provision\`, else the in-cluster registry (registry.registry.svc.cluster.local:5000). The name and tag default to the source's.

Modes:
  direct      push from this machine with skopeo, podman or docker (docker only with a daemon). TLS is verified; trust a private CA with --cert-dir <folder with ca.crt>. --insecure-registry turns verification off (with a warning).
  in-cluster  a short-lived helper pod in namespace "registry" pushes with skopeo; the image is streamed to it over the Kubernetes API (local image or archive) or pulled by it (--image docker://<ref>). Needs no network path to the registry. The pod is deleted when the push ends, also on failure or Ctrl-C.
Default: in-cluster for the in-cluster registry (a ClusterIP Service a laptop cannot reach), direct otherwise.`;

  static override examples = [
    '<%= config.bin %> registry push --image my-server:1.0',
    '<%= config.bin %> registry push --image localhost/my-server:1.0 --registry reg.example.com/team --cert-dir ./certs',
    '<%= config.bin %> registry push --image oci-archive:./my-server.tar --name my-server:1.0 --mode in-cluster',
    '<%= config.bin %> registry push --image my-server:dev --registry 127.0.0.1:5000 --insecure-registry',
  ];

  static override enableJsonFlag = true;

  static override flags = {
    image: Flags.string({
      description: 'Source: a local image (podman/buildah storage or docker daemon), oci-archive:<file>, docker-archive:<file>, or docker://<ref>.',
      required: true,
    }),
    name: Flags.string({ description: 'Destination repository[:tag] (default: the source\'s).' }),
    registry: Flags.string({ description: 'Destination registry host[:port][/path] (default: provisioned, else in-cluster).' }),
    mode: Flags.string({ description: 'direct or in-cluster (default: see above).', options: ['direct', 'in-cluster'] }),
    'insecure-registry': Flags.boolean({ description: 'Skip TLS verification of the destination (and allow plain HTTP). Not for production.', default: false }),
    'insecure-source': Flags.boolean({ description: 'Skip TLS verification of a docker:// source (in-cluster mode).', default: false }),
    'cert-dir': Flags.string({ description: 'Folder with the registry CA certificate (ca.crt) and optional client cert/key (direct mode).' }),
    authfile: Flags.string({ description: 'Registry credentials file, auth.json format (direct mode; default: the tool\'s login).' }),
    tool: Flags.string({ description: 'Push (direct) or export (in-cluster) with this tool.', options: ['skopeo', 'podman', 'docker'] }),
    'helper-image': Flags.string({ description: 'Image of the in-cluster helper pod (needs skopeo, sh, sha256sum).', env: 'MCP_RUNTIME_PUSH_HELPER_IMAGE' }),
    namespace: Flags.string({ description: 'In-cluster mode: namespace of the helper pod.', default: 'registry' }),
    timeout: Flags.integer({ description: 'In-cluster mode: seconds the helper pod may run.', default: 900, min: 30 }),
  };

  async run(): Promise<{ destination: string; digest?: string; mode: string; tool?: string; tlsVerified: boolean }> {
    const { flags } = await this.parse(RegistryPush);
    const { pushDestination } = await import('../../registry/destination.js');
    const { pushImage, defaultPushMode } = await import('../../registry/push.js');
    const { lookupProvisionedRegistry } = await import('../../registry/lookup.js');
    const provisioned = flags.registry === undefined ? await lookupProvisionedRegistry({ kubeconfig: flags.kubeconfig, context: flags.context }) : { from: 'none' as const };
    const destination = pushDestination({
      source: flags.image,
      ...(flags.name === undefined ? {} : { name: flags.name }),
      ...(flags.registry === undefined ? {} : { registry: flags.registry }),
      ...(provisioned.url === undefined ? {} : { provisioned: provisioned.url }),
    });
    const mode = (flags.mode as 'direct' | 'in-cluster' | undefined) ?? defaultPushMode(destination.image);
    if (flags['insecure-registry']) {
      this.warnAlways(
        `TLS verification is OFF for ${destination.registry.registry} (--insecure-registry): the connection can be intercepted and the image altered. ` +
          'Prefer --cert-dir <folder with the registry CA> for a private CA.',
      );
    }
    const log = (line: string) => this.logToStderr(line);
    log(`Pushing ${flags.image} to ${destination.image} (${mode}${provisioned.from === 'none' ? '' : `, registry from ${provisioned.from === 'cache' ? 'the provision cache' : 'the cluster'}`})`);
    const stop = interruptible();
    try {
      const outcome = await pushImage(
        {
          source: flags.image,
          destination: destination.image,
          mode,
          insecure: flags['insecure-registry'],
          insecureSource: flags['insecure-source'],
          timeoutSeconds: flags.timeout,
          namespace: flags.namespace,
          ...(flags['cert-dir'] === undefined ? {} : { certDir: flags['cert-dir'] }),
          ...(flags.authfile === undefined ? {} : { authfile: flags.authfile }),
          ...(flags.tool === undefined ? {} : { tool: flags.tool as 'skopeo' | 'podman' | 'docker' }),
          ...(flags['helper-image'] === undefined ? {} : { helperImage: flags['helper-image'] }),
        },
        { log, signal: stop.signal, kube: async () => (await this.connect(flags)).client },
      );
      this.log(`${outcome.destination}${outcome.digest === undefined ? '' : `@${outcome.digest}`}`);
      return { ...outcome };
    } finally {
      stop.dispose();
    }
  }
}
