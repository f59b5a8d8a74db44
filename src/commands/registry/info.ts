import { ClusterCommand } from '../../cli/base.js';

export default class RegistryInfo extends ClusterCommand {
  static override description = `Show where images are pushed and pulled from, and how to reach the registry from here.

The provisioned external registry if there is one (\`registry provision\`), else the in-cluster registry: the name nodes pull from, and two ways to push from a laptop (the in-cluster helper pod, or a port-forward).`;

  static override examples = ['<%= config.bin %> registry info'];
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(RegistryInfo);
    const { readProvisionedRegistry } = await import('../../registry/provision.js');
    const { registryInfoLines, IN_CLUSTER_NAMESPACE, IN_CLUSTER_NAME } = await import('../../registry/status.js');
    const { IN_CLUSTER_REGISTRY } = await import('../../images/reference.js');
    const { isNotFound } = await import('../../runtime/kube-http.js');
    const { client } = await this.connect(flags);
    const provisioned = await readProvisionedRegistry(client);
    let clusterIP: string | undefined;
    if (provisioned === undefined) {
      try {
        const svc = await client.request<{ spec?: { clusterIP?: string } }>('GET', `/api/v1/namespaces/${IN_CLUSTER_NAMESPACE}/services/${IN_CLUSTER_NAME}`);
        clusterIP = svc.spec?.clusterIP;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    const lines = registryInfoLines(provisioned, clusterIP);
    if (provisioned === undefined && clusterIP === undefined) lines.push('Note: the in-cluster registry Service does not exist yet (run `mcp-runtime setup`).');
    for (const line of lines) this.log(line);
    return provisioned === undefined
      ? { kind: 'in-cluster', pull: IN_CLUSTER_REGISTRY, ...(clusterIP === undefined ? {} : { clusterIP }), push: { modes: ['in-cluster', 'port-forward'] } }
      : { kind: 'external', pull: provisioned.url, push: provisioned.url, username: provisioned.username, secret: `${provisioned.namespace}/${provisioned.secretName}` };
  }
}
