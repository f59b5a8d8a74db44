import { KUBELET_PORT, NODE_IP, REAL_NODE_LABEL, REAL_NODE_NAME } from './network.js';

export interface KubeletPaths {
  rootDir: string;
  kubeconfig: string;
  config: string;
  caCert: string;
  servingCert: string;
  servingKey: string;
  containerdSocket: string;
  podLogsDir: string;
  resolvConf: string;
}

/**
 * KubeletConfiguration for a single node next to the local control plane. Authentication by
 * client certificate (the API server's kubelet client cert) and webhook, authorization by
 * webhook: the kubelet API is as closed as on a real cluster. cgroupfs because no systemd runs
 * (and containerd 1.6 cannot report its driver). Eviction thresholds are low so a busy shared
 * disk does not evict test pods; the read-only port and certificate rotation are off.
 */
export function kubeletConfig(p: KubeletPaths, healthzPort: number): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: NODE_IP,
    port: KUBELET_PORT,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort,
    tlsCertFile: p.servingCert,
    tlsPrivateKeyFile: p.servingKey,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: p.caCert },
    },
    authorization: { mode: 'Webhook' },
    cgroupDriver: 'cgroupfs',
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    podLogsDir: p.podLogsDir,
    resolvConf: p.resolvConf,
    failSwapOn: false,
    serializeImagePulls: false,
    // The node pulls from the registry pod it runs itself; no GC of images the tests just pushed.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '1Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
    // Pods are observed (and probes reported) promptly; tests wait on these.
    nodeStatusUpdateFrequency: '4s',
    syncFrequency: '10s',
    fileCheckFrequency: '5s',
    // The utility chains would be our only iptables state outside kube-proxy's.
    makeIPTablesUtilChains: false,
    maxPods: 110,
  };
}

export function kubeletArgs(p: KubeletPaths): string[] {
  return [
    `--config=${p.config}`,
    `--kubeconfig=${p.kubeconfig}`,
    `--root-dir=${p.rootDir}`,
    `--hostname-override=${REAL_NODE_NAME}`,
    `--node-ip=${NODE_IP}`,
    `--node-labels=${REAL_NODE_LABEL.key}=${REAL_NODE_LABEL.value}`,
    '--v=1',
  ];
}
