/**
 * How a kind cluster's nodes pull the images `server build --push` and `registry push` put into
 * the platform's in-cluster registry (pure: no I/O).
 *
 * Images are named `registry.registry.svc.cluster.local:5000/<name>:<tag>` (IN_CLUSTER_REGISTRY),
 * but containerd on a kind node resolves names with the node's resolver, not cluster DNS, and
 * the registry speaks plain HTTP. The path real clusters use, and the one our own real node
 * uses (src/local-cluster/real-node/platform-registry.ts):
 *  - containerd reads per-registry hosts files (`config_path = "/etc/containerd/certs.d"`,
 *    set through kind's `containerdConfigPatches`);
 *  - `certs.d/registry.registry.svc.cluster.local:5000/hosts.toml` sends pulls of that one host
 *    over plain HTTP to the registry Service's ClusterIP (reachable from every node through
 *    kube-proxy); every other registry keeps TLS verification;
 *  - the ClusterIP is not known when kind creates the nodes, so it is pinned: the kind config
 *    fixes the Service subnet and `setup --registry-cluster-ip` gives the registry Service a
 *    fixed address in the low band Kubernetes keeps for static ClusterIPs. Not a NodePort: an
 *    unauthenticated registry must not listen on every node's address (the original's
 *    NodePort 32000 is a known weakness).
 * The hosts file reaches the nodes through an extraMount of a directory this machine keeps for
 * the life of the cluster (a bind mount of a deleted folder would leave containerd nothing).
 */
import { isIP } from 'node:net';
import { IN_CLUSTER_REGISTRY } from '../images/reference.js';
import { plainHttpHostsToml } from '../local-cluster/real-node/containerd-config.js';

/** kind's default Service subnet, written into the config so the pinned ClusterIP below is always inside it. */
export const KIND_SERVICE_SUBNET = '10.96.0.0/16';
/**
 * The registry Service's ClusterIP on clusters `cluster provision --provider kind` creates. In
 * 10.96.0.0/24, the low band Kubernetes keeps for static ClusterIPs and hands out dynamically
 * only when the rest is exhausted (KEP-3070, GA in 1.26); not .1 (`kubernetes`) or .10 (kube-dns).
 */
export const KIND_REGISTRY_CLUSTER_IP = '10.96.0.50';
export const REGISTRY_SERVICE_PORT = 5000;
/** Where containerd on a kind node reads the per-registry hosts files. */
export const NODE_CERTS_DIR = '/etc/containerd/certs.d';

/** containerd config patch (kind merges it into the node's config.toml): read hosts files from NODE_CERTS_DIR. */
export const CONTAINERD_CONFIG_PATCH = `[plugins."io.containerd.grpc.v1.cri".registry]
  config_path = "${NODE_CERTS_DIR}"
`;

/** One file to write below the generated certs.d directory. */
export interface HostsFile {
  /** Relative to the certs.d directory, e.g. `registry.registry.svc.cluster.local:5000/hosts.toml`. */
  readonly path: string;
  readonly content: string;
}

/**
 * The hosts files for a kind cluster: exactly one, for the in-cluster registry's host, sending
 * its pulls over plain HTTP to `clusterIP:port`.
 */
export function kindRegistryHostsFiles(clusterIP = KIND_REGISTRY_CLUSTER_IP, port = REGISTRY_SERVICE_PORT): HostsFile[] {
  return [{ path: `${IN_CLUSTER_REGISTRY}/hosts.toml`, content: plainHttpHostsToml(IN_CLUSTER_REGISTRY, `http://${clusterIP}:${port}`) }];
}

interface NodeLike {
  metadata?: { name?: string };
  status?: { addresses?: readonly { type?: string; address?: string }[] };
}

/**
 * The registry NetworkPolicy's `ipBlock`s that admit pulls from these nodes: kubelet and
 * containerd run in the node's network namespace, so a pull from another node arrives from
 * that node's InternalIP. One /32 (or /128) per address: least privilege, and a kind cluster
 * cannot gain nodes later. `withoutAddress` names nodes that report no InternalIP.
 */
export function nodePullCidrs(nodes: readonly NodeLike[]): { cidrs: string[]; withoutAddress: string[] } {
  const cidrs = new Set<string>();
  const withoutAddress: string[] = [];
  for (const node of nodes) {
    const internal = (node.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' && a.address !== undefined && isIP(a.address) !== 0);
    if (internal.length === 0) withoutAddress.push(node.metadata?.name ?? '?');
    for (const a of internal) cidrs.add(`${a.address}/${isIP(a.address!) === 4 ? 32 : 128}`);
  }
  return { cidrs: [...cidrs].sort(), withoutAddress: withoutAddress.sort() };
}

/** The `setup` command that makes a kind cluster's nodes able to pull from the platform registry. */
export function kindSetupCommand(clusterName: string, cidrs: readonly string[]): string {
  return [
    'mcp-runtime setup',
    `--context kind-${clusterName}`,
    `--registry-cluster-ip ${KIND_REGISTRY_CLUSTER_IP}`,
    ...(cidrs.length > 0 ? cidrs.map((c) => `--registry-allow-cidr ${c}`) : ['--registry-allow-cidr <node network>']),
  ].join(' ');
}
