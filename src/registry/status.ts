/**
 * `registry status` and `registry info`: where images are pushed and pulled from, and whether
 * that registry is up. The provisioned external registry (Secret mcp-runtime/mcp-runtime-registry)
 * wins over the in-cluster one, as in `setup`.
 */
import { IN_CLUSTER_REGISTRY } from '../images/reference.js';
import { isNotFound } from '../runtime/kube-http.js';
import { deploymentReadiness } from '../runtime/readiness.js';
import { pingRegistry, type PingOptions, type PingResult } from './ping.js';
import { readProvisionedRegistry, type KubeRequester, type ProvisionedRegistryRef } from './provision.js';

export const IN_CLUSTER_NAMESPACE = 'registry';
export const IN_CLUSTER_NAME = 'registry';
export const IN_CLUSTER_PORT = 5000;

export interface InClusterRegistryStatus {
  readonly kind: 'in-cluster';
  readonly namespace: string;
  readonly deployment: { readonly exists: boolean; readonly desired?: number; readonly ready?: number; readonly image?: string };
  readonly service: { readonly exists: boolean; readonly clusterIP?: string; readonly port?: number };
  /** `/v2/` through the API server's service proxy. */
  readonly api: { readonly answers: boolean; readonly detail: string };
  readonly healthy: boolean;
}

export interface ExternalRegistryStatus {
  readonly kind: 'external';
  readonly provisioned: ProvisionedRegistryRef;
  /** `/v2/` from this machine. */
  readonly ping: PingResult;
  readonly healthy: boolean;
}

export type RegistryStatus = InClusterRegistryStatus | ExternalRegistryStatus;

interface Deployment {
  spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
  status?: { readyReplicas?: number };
}
interface Service {
  spec?: { clusterIP?: string; ports?: { port?: number }[] };
}

async function optional<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function collectRegistryStatus(
  client: KubeRequester,
  options: { ping?: PingOptions; pinger?: typeof pingRegistry } = {},
): Promise<RegistryStatus> {
  const provisioned = await readProvisionedRegistry(client);
  if (provisioned !== undefined) {
    const ping = await (options.pinger ?? pingRegistry)(provisioned.url, options.ping);
    return { kind: 'external', provisioned, ping, healthy: ping.answers };
  }
  const ns = IN_CLUSTER_NAMESPACE;
  const deployment = await optional(client.request<Deployment>('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${IN_CLUSTER_NAME}`));
  const service = await optional(client.request<Service>('GET', `/api/v1/namespaces/${ns}/services/${IN_CLUSTER_NAME}`));
  let api: InClusterRegistryStatus['api'];
  if (service === undefined) {
    api = { answers: false, detail: 'no Service, nothing to ask' };
  } else {
    try {
      await client.request('GET', `/api/v1/namespaces/${ns}/services/${IN_CLUSTER_NAME}:${IN_CLUSTER_PORT}/proxy/v2/`, { timeoutMs: 10_000 });
      api = { answers: true, detail: '/v2/ answered 200 through the API server service proxy' };
    } catch (error) {
      api = { answers: false, detail: `/v2/ through the API server service proxy: ${(error as Error).message}` };
    }
  }
  const desired = deployment?.spec?.replicas ?? 1;
  const ready = deployment?.status?.readyReplicas ?? 0;
  const image = deployment?.spec?.template?.spec?.containers?.[0]?.image;
  const port = service?.spec?.ports?.[0]?.port;
  return {
    kind: 'in-cluster',
    namespace: ns,
    deployment: deployment === undefined ? { exists: false } : { exists: true, desired, ready, ...(image === undefined ? {} : { image }) },
    service:
      service === undefined
        ? { exists: false }
        : { exists: true, ...(service.spec?.clusterIP === undefined ? {} : { clusterIP: service.spec.clusterIP }), ...(port === undefined ? {} : { port }) },
    api,
    healthy: deployment !== undefined && desired > 0 && deploymentReadiness(deployment).ready && service !== undefined && api.answers,
  };
}

export function formatRegistryStatus(status: RegistryStatus): string[] {
  if (status.kind === 'external') {
    const p = status.ping;
    return [
      `Registry: external ${status.provisioned.url} (provisioned in Secret ${status.provisioned.namespace}/${status.provisioned.secretName}` +
        `${status.provisioned.username === undefined ? ', anonymous' : `, user ${status.provisioned.username}`})`,
      `  ${p.url}: ${p.answers ? `answers (HTTP ${p.status}${p.authRequired ? ', credentials required' : ''})` : `does not answer: ${p.error}`}`,
      `Status: ${status.healthy ? 'healthy' : 'UNHEALTHY'}`,
    ];
  }
  const d = status.deployment;
  const s = status.service;
  return [
    `Registry: in-cluster ${IN_CLUSTER_REGISTRY} (namespace ${status.namespace})`,
    `  Deployment ${IN_CLUSTER_NAME}: ${d.exists ? `${d.ready}/${d.desired} ready${d.image ? `, image ${d.image}` : ''}` : 'missing (run `mcp-runtime setup`)'}`,
    `  Service ${IN_CLUSTER_NAME}: ${s.exists ? `ClusterIP ${s.clusterIP ?? '?'} port ${s.port ?? '?'}` : 'missing'}`,
    `  API: ${status.api.answers ? 'answers' : 'does not answer'} (${status.api.detail})`,
    `Status: ${status.healthy ? 'healthy' : 'UNHEALTHY'}`,
  ];
}

/** `registry info`: push and pull endpoints and how to reach them. */
export function registryInfoLines(provisioned: ProvisionedRegistryRef | undefined, clusterIP?: string): string[] {
  if (provisioned !== undefined) {
    return [
      `Registry: external, ${provisioned.url} (Secret ${provisioned.namespace}/${provisioned.secretName})`,
      `Push (from this machine): mcp-runtime registry push --image <local image>   (direct, TLS verified)`,
      `  credentials: log in once with \`podman login ${provisioned.url.split('/')[0]}\` (or skopeo/docker login); --authfile <file> for a specific file`,
      `  private CA: --cert-dir <folder with ca.crt>`,
      `Pull (by the cluster): ${provisioned.url}/<name>:<tag>` +
        (provisioned.username === undefined
          ? ' (anonymous)'
          : ` with the pull Secret the operator writes into each server namespace (user ${provisioned.username})`),
    ];
  }
  return [
    `Registry: in-cluster, Service ${IN_CLUSTER_NAME}.${IN_CLUSTER_NAMESPACE} port ${IN_CLUSTER_PORT} (plain HTTP, not exposed outside the cluster)`,
    `Pull (by the cluster): ${IN_CLUSTER_REGISTRY}/<name>:<tag>` + (clusterIP === undefined ? '' : ` (ClusterIP ${clusterIP}:${IN_CLUSTER_PORT})`),
    `  nodes must resolve that name or be configured to pull from it (kind/k3d/minikube registry config)`,
    `Push from a laptop, no network access needed: mcp-runtime registry push --image <local image> --mode in-cluster`,
    `  (a helper pod in namespace ${IN_CLUSTER_NAMESPACE} receives the image over the Kubernetes API and pushes it with skopeo)`,
    `Push through a port-forward instead:`,
    `  kubectl -n ${IN_CLUSTER_NAMESPACE} port-forward svc/${IN_CLUSTER_NAME} ${IN_CLUSTER_PORT}:${IN_CLUSTER_PORT}`,
    `  mcp-runtime registry push --image <local image> --registry localhost:${IN_CLUSTER_PORT} --mode direct --insecure-registry`,
    `  (plain HTTP through the tunnel; the image is then pulled as ${IN_CLUSTER_REGISTRY}/<name>:<tag>)`,
  ];
}
