import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeConfig } from './kube-config.js';
import { waitFor } from './wait.js';

export interface FreshNamespace {
  name: string;
  /** Deletes the namespace (does not wait for finalization: other tests never reuse the name). */
  cleanup(): Promise<void>;
}

/**
 * Creates a uniquely named namespace (prefix + random suffix) and waits for its `default`
 * ServiceAccount, which pods need before ServiceAccount admission lets them in.
 */
export async function freshNamespace(
  prefix: string,
  labels: Record<string, string> = {},
  kc: KubeConfig = kubeConfig(),
): Promise<FreshNamespace> {
  const core = kc.makeApiClient(CoreV1Api);
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 50).replace(/-+$/, '');
  const name = `${safePrefix}-${randomBytes(4).toString('hex')}`;
  await core.createNamespace({
    body: { metadata: { name, labels: { 'mcp-runtime.test/fresh': 'true', ...labels } } },
  });
  await waitFor(`ServiceAccount default in namespace ${name}`, () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace: name }),
  );
  return {
    name,
    async cleanup() {
      try {
        await core.deleteNamespace({ name });
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
      }
    },
  };
}
