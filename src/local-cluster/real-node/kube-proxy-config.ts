import { REAL_NODE_NAME, REAL_POD_CIDR } from './network.js';

/**
 * kube-proxy in iptables mode, so ClusterIPs work from pods and from the host (containerd pulls
 * from the in-cluster registry through its ClusterIP). It touches no sysctl: conntrack limits
 * and timeouts are left as they are (0) and NodePorts on localhost are off (route_localnet).
 */
export function kubeProxyConfig(kubeconfig: string, healthzPort: number, metricsPort: number): Record<string, unknown> {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig },
    hostnameOverride: REAL_NODE_NAME,
    bindAddress: '127.0.0.1',
    healthzBindAddress: `127.0.0.1:${healthzPort}`,
    metricsBindAddress: `127.0.0.1:${metricsPort}`,
    mode: 'iptables',
    clusterCIDR: REAL_POD_CIDR,
    iptables: { localhostNodePorts: false, masqueradeAll: false, syncPeriod: '30s', minSyncPeriod: '1s' },
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
  };
}
