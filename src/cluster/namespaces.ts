/**
 * Namespace objects the CLI creates (`cluster init`, `pipeline deploy` for a missing server
 * namespace). Every namespace enforces the `restricted` Pod Security Standard: everything
 * mcp-runtime runs there is built to pass it.
 */
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { ApiError } from '../kube/errors.js';

export const PLATFORM_NAMESPACES = ['mcp-runtime', 'registry', 'traefik', 'mcp-gateway', 'mcp-servers'] as const;

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export function namespaceObject(name: string, level: PodSecurityLevel = 'restricted'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'app.kubernetes.io/part-of': 'mcp-runtime',
        'app.kubernetes.io/managed-by': 'mcp-runtime',
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/warn': level,
      },
    },
  };
}

export type NamespaceState = 'exists' | 'missing' | 'unknown';

/** Whether a namespace exists; 'unknown' when the user may not read namespaces (they may still work in it). */
export async function namespaceState(rest: KubeRest, name: string): Promise<NamespaceState> {
  try {
    const ns = await rest.find(`/api/v1/namespaces/${encodeURIComponent(name)}`);
    return ns === undefined ? 'missing' : 'exists';
  } catch (error) {
    if (error instanceof ApiError && error.code === 403) return 'unknown';
    throw error;
  }
}
