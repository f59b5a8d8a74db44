/**
 * Host-wide names and addresses of the real node. They are fixed (like the kubelet's port
 * 10250), so only one real node can exist on a host at a time; they never collide with KWOK's
 * pod CIDR (10.244.0.0/16) or the service range (10.96.0.0/16).
 */

/** The Node object's name. */
export const REAL_NODE_NAME = 'mcp-real-node';
/** Label on the real node (KWOK nodes carry `type: kwok`). */
export const REAL_NODE_LABEL = { key: 'type', value: 'real' } as const;
/**
 * The kubelet refuses a loopback node IP. A fixed address on a bridge-type link of our own
 * (the `dummy` type is not available on these machines) is local to the host, reachable by the
 * API server, and routes nowhere else.
 */
export const NODE_IP = '10.213.0.1';
export const NODE_LINK = 'mcprt-node0';
/** The CNI bridge pods are attached to, and its subnet (host-local IPAM). */
export const CNI_BRIDGE = 'mcprt-cni0';
export const REAL_POD_CIDR = '10.245.0.0/24';
export const CNI_NETWORK_NAME = 'mcp-runtime';
/** The kubelet API port: fixed, because the API server reaches kubelets at <InternalIP>:10250 by default. */
export const KUBELET_PORT = 10250;
