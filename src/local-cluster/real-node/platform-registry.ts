/**
 * Makes the platform's in-cluster registry (registry.registry.svc.cluster.local:5000, plain
 * HTTP) usable from the real node's host: images keep their in-cluster name, containerd pulls
 * them through the Service's ClusterIP (reachable from the host through kube-proxy; the node
 * cannot resolve cluster DNS names), with plain HTTP allowed for that one host, as
 * `cluster provision --provider kind` does for kind's containerd.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { waitFor } from '../wait.js';
import type { RealNode } from './real-node.js';

export const IN_CLUSTER_REGISTRY_HOST = 'registry.registry.svc.cluster.local:5000';

export interface PlatformRegistryAccess {
  /** host:port to push to from this host (the Service's ClusterIP). */
  pushAddress: string;
  /** The name images are referenced by in MCPServers. */
  imageHost: string;
}

export async function connectPlatformRegistry(kc: KubeConfig, node: RealNode, timeoutMs = 60_000): Promise<PlatformRegistryAccess> {
  const k8s = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const service = await core.readNamespacedService({ name: 'registry', namespace: 'registry' });
  const ip = service.spec?.clusterIP;
  const port = service.spec?.ports?.[0]?.port ?? 5000;
  if (ip === undefined || ip === 'None') throw new Error('Service registry/registry has no ClusterIP');
  const pushAddress = `${ip}:${port}`;
  await node.allowPlainHttpRegistry(IN_CLUSTER_REGISTRY_HOST, `http://${pushAddress}`);
  // kube-proxy programs the ClusterIP a moment after the Service and its endpoints appear.
  await waitFor(`the registry at http://${pushAddress}/v2/`, async () => (await fetch(`http://${pushAddress}/v2/`)).status, {
    until: (status) => status === 200,
    timeoutMs,
    intervalMs: 250,
  });
  return { pushAddress, imageHost: IN_CLUSTER_REGISTRY_HOST };
}
