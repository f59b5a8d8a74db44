/**
 * Where pods go in a cluster with a real node and simulated ones. The API server's
 * PodNodeSelector admission gives every pod its namespace's node selector:
 * - `traefik`: the simulated nodes. In a local cluster Traefik runs as a host process (built
 *   from Go modules; its image cannot be pulled here); its Deployment still exists, so `setup`
 *   behaves as on any cluster, and KWOK reports it Ready.
 * - every other namespace (the operator and the catalog in `mcp-runtime`, from the platform
 *   image imported into the node; the registry, the gateway, MCP servers, tests): the real node,
 *   unless the namespace's annotation `scheduler.alpha.kubernetes.io/node-selector` says
 *   otherwise (e.g. `type=kwok` for 1,000-server scale runs).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ClusterCerts } from '../certs.js';
import { REAL_NODE_LABEL } from './network.js';

export const SIMULATED_NODE_SELECTOR = 'type=kwok';
export const REAL_NODE_SELECTOR = `${REAL_NODE_LABEL.key}=${REAL_NODE_LABEL.value}`;
/** Namespaces whose pods stay simulated (their work is done by host processes). */
export const SIMULATED_NAMESPACES = ['traefik'];

/** The annotation PodNodeSelector reads a namespace's node selector from. */
export const NODE_SELECTOR_ANNOTATION = 'scheduler.alpha.kubernetes.io/node-selector';

/**
 * The namespaces whose pods stay on simulated nodes, created with that annotation before
 * `setup` runs (setup's server-side apply leaves an annotation it does not own alone).
 */
export function simulatedNamespaces(): { apiVersion: 'v1'; kind: 'Namespace'; metadata: { name: string; annotations: Record<string, string> } }[] {
  return SIMULATED_NAMESPACES.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, annotations: { [NODE_SELECTOR_ANNOTATION]: SIMULATED_NODE_SELECTOR } },
  }));
}

/** Writes the admission configuration; returns its path. */
export async function podPlacementAdmissionConfig(dir: string): Promise<string> {
  const pluginConfig = join(dir, 'pod-node-selector.yaml');
  await writeFile(
    pluginConfig,
    stringify({
      // Per-namespace entries here would be whitelists, not selectors: the namespaces that stay
      // simulated get the annotation instead (simulatedNamespaces()).
      podNodeSelectorPluginConfig: { clusterDefaultNodeSelector: REAL_NODE_SELECTOR },
    }),
  );
  const admission = join(dir, 'admission.yaml');
  await writeFile(
    admission,
    stringify({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AdmissionConfiguration',
      plugins: [{ name: 'PodNodeSelector', path: pluginConfig }],
    }),
  );
  return admission;
}

/**
 * API server flags a real node needs: the placement above, and a client certificate for the
 * kubelet API (logs, exec), which the kubelet authenticates and authorizes like any client.
 */
export function realNodeApiServerArgs(admissionConfig: string, certs: ClusterCerts): string[] {
  return [
    '--enable-admission-plugins=PodNodeSelector',
    `--admission-control-config-file=${admissionConfig}`,
    `--kubelet-client-certificate=${certs.adminCert}`,
    `--kubelet-client-key=${certs.adminKey}`,
  ];
}
