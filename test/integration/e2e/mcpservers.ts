/** MCPServer objects for the end-to-end tests: create, patch, read status, wait for a state. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { MCPServerStatus } from '../../../src/api/v1alpha1/index.js';
import { waitFor } from '../../../src/local-cluster/index.js';

export const NAMESPACE = 'mcp-servers';
const GROUP = { group: 'mcp.agent-hellboy.io', version: 'v1alpha1', namespace: NAMESPACE, plural: 'mcpservers' } as const;

export interface Servers {
  create(name: string, spec: Record<string, unknown>): Promise<void>;
  /** A JSON merge patch of the spec (null removes a field). */
  patch(name: string, spec: Record<string, unknown>): Promise<void>;
  status(name: string): Promise<MCPServerStatus>;
  /** Polls the status until `until` holds; the message names what was awaited. */
  waitFor(name: string, what: string, until: (s: MCPServerStatus) => boolean, timeoutMs?: number): Promise<MCPServerStatus>;
}

export function mcpServers(kc: KubeConfig): Servers {
  const api = async () => kc.makeApiClient((await import('@kubernetes/client-node')).CustomObjectsApi);
  const status = async (name: string) => (((await (await api()).getNamespacedCustomObject({ ...GROUP, name })) as { status?: MCPServerStatus }).status ?? {});
  return {
    async create(name, spec) {
      await (await api()).createNamespacedCustomObject({
        ...GROUP,
        body: { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name, namespace: NAMESPACE }, spec },
      });
    },
    async patch(name, spec) {
      const k8s = await import('@kubernetes/client-node');
      await (await api()).patchNamespacedCustomObject({ ...GROUP, name, body: { spec } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    },
    status,
    waitFor: (name, what, until, timeoutMs = 180_000) => waitFor(`${name}: ${what}`, () => status(name), { until, timeoutMs, intervalMs: 1000 }),
  };
}

export { findCondition as condition } from '../../../src/api/v1alpha1/index.js';
