import type { ClusterCerts } from './certs.js';
import { KWOK_LOG_KINDS } from './kwok-logs.js';

/** Ports and paths a control plane needs; everything lives under `dir`. */
export interface Layout {
  dir: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  apiServerPort: number;
  /** Where KWOK serves the kubelet API (logs) for every simulated node. */
  kubeletPort: number;
  kubeconfig: string;
  certs: ClusterCerts;
  serviceClusterIpRange: string;
  podCidr: string;
}

export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';
/** First address of the service range: the `kubernetes` Service's ClusterIP. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/**
 * Pod IPs handed out by KWOK. Written with host part .1 because KWOK allocates from the
 * address given (its own default is 10.0.0.1/24), and 10.244.0.0 would look like a network address.
 */
export const POD_CIDR = '10.244.0.1/16';
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export function etcdArgs(l: Layout): string[] {
  const client = `http://127.0.0.1:${l.etcdClientPort}`;
  const peer = `http://127.0.0.1:${l.etcdPeerPort}`;
  return [
    '--name=default',
    `--data-dir=${l.dir}/etcd`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    // Throw-away data: fsync buys nothing and costs most of etcd's write latency.
    '--unsafe-no-fsync',
    // A single member elects itself after one election timeout (default 1 s); nothing can
    // contend with it, so a short timeout only makes start-up faster.
    '--election-timeout=100',
    '--heartbeat-interval=20',
    '--log-level=warn',
  ];
}

export function apiServerArgs(l: Layout): string[] {
  const c = l.certs;
  return [
    `--etcd-servers=http://127.0.0.1:${l.etcdClientPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${l.apiServerPort}`,
    `--tls-cert-file=${c.servingCert}`,
    `--tls-private-key-file=${c.servingKey}`,
    `--client-ca-file=${c.caCert}`,
    // Service-account tokens (TokenRequest, projected volumes) are signed and verified here.
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${c.serviceAccountPub}`,
    `--service-account-signing-key-file=${c.serviceAccountKey}`,
    `--service-cluster-ip-range=${l.serviceClusterIpRange}`,
    // RBAC as in real clusters, so tests can prove a ServiceAccount's role is enough and no more.
    '--authorization-mode=Node,RBAC',
    // Most are on by default; listed so the behaviour tests rely on cannot silently vanish.
    '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,NodeRestriction,DefaultStorageClass,ResourceQuota,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ValidatingAdmissionPolicy',
    // Without this every privileged pod fails validation before Pod Security admission can
    // judge it; real clusters allow privileged pods and leave the decision to admission.
    '--allow-privileged=true',
    // The `kubernetes` Service's endpoints would be 127.0.0.1, which endpoint validation
    // rejects; nothing in-cluster needs to reach this API server.
    '--endpoint-reconciler-type=none',
    // Simulated nodes report InternalIP 127.0.0.1 and Hostname <node name>, which does not
    // resolve; the kubelet API (logs) is KWOK's server on 127.0.0.1.
    '--kubelet-preferred-address-types=InternalIP',
    '--profiling=false',
    '--v=1',
  ];
}

export function controllerManagerArgs(l: Layout): string[] {
  const c = l.certs;
  return [
    `--kubeconfig=${l.kubeconfig}`,
    `--authentication-kubeconfig=${l.kubeconfig}`,
    `--authorization-kubeconfig=${l.kubeconfig}`,
    // No HTTPS endpoint: nothing scrapes it and it would need another port.
    '--secure-port=0',
    '--leader-elect=false',
    // The controllers our platform's behaviour depends on (node IPAM, cloud and volume
    // controllers have nothing to do with simulated nodes). node-lifecycle is needed: the
    // API server taints every new Node node.kubernetes.io/not-ready:NoSchedule
    // (TaintNodesByCondition admission) and only this controller lifts it once Ready.
    '--controllers=' +
      [
        'nodelifecycle',
        'serviceaccount-token',
        'serviceaccount',
        'namespace',
        'garbagecollector',
        'deployment',
        'replicaset',
        'statefulset',
        'daemonset',
        'job',
        'cronjob',
        'endpoint',
        'endpointslice',
        'endpointslicemirroring',
        'root-ca-cert-publisher',
        'podgc',
        'resourcequota',
        'disruption',
        'ttl-after-finished',
        // Binds claims to the sandbox's pre-created volumes (see storage.ts).
        'persistentvolume-binder',
      ].join(','),
    `--service-account-private-key-file=${c.serviceAccountKey}`,
    `--root-ca-file=${c.caCert}`,
    `--service-cluster-ip-range=${l.serviceClusterIpRange}`,
    '--v=1',
  ];
}

export function schedulerArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.kubeconfig}`,
    `--authentication-kubeconfig=${l.kubeconfig}`,
    `--authorization-kubeconfig=${l.kubeconfig}`,
    '--secure-port=0',
    '--leader-elect=false',
    '--v=1',
  ];
}

/** The annotation KWOK selects the nodes it simulates by. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export function kwokArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.kubeconfig}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    `--cidr=${l.podCidr}`,
    '--node-ip=127.0.0.1',
    // Keep node Leases fresh like a kubelet does.
    '--node-lease-duration-seconds=40',
    // The kubelet API of every simulated node: KWOK serves it here (HTTPS with a throw-away
    // certificate, which the API server does not verify without --kubelet-certificate-authority,
    // as on most clusters) and writes the port into each node's kubeletEndpoint, so
    // `pods/<name>/log` works. Which file a container's logs come from is said by ClusterLogs
    // and Logs objects (see kwok-logs.ts).
    `--server-address=127.0.0.1:${l.kubeletPort}`,
    `--node-port=${l.kubeletPort}`,
    `--enable-crds=${KWOK_LOG_KINDS.join(',')}`,
    // No --config: KWOK then uses its built-in node and pod stages (nodes become Ready, pods
    // get an IP and turn Running/Ready, deleted pods are removed).
  ];
}
