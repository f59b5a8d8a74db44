/**
 * cert-manager's real CustomResourceDefinitions for the operator's tests, from the cert-manager
 * Go module (scripts/control-plane/fetch-cert-manager-crds.sh, cached by version). cert-manager
 * itself is not run: the tests check what the operator writes against cert-manager's schema.
 */
import { runControlPlaneScript } from '../../../src/local-cluster/binaries.js';
import { KubeClient } from '../../../src/runtime/index.js';
import { installCrds } from './crds.js';
import { kubeConfig } from './kube-config.js';
import { waitFor } from './wait.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** The folder of cert-manager's CRD files (fetched through the Go module proxy the first time). */
export async function certManagerCrdDir(): Promise<string> {
  const out = await runControlPlaneScript('fetch-cert-manager-crds.sh', [], () => {});
  const dir = /^DIR cert-manager-crds (.+)$/m.exec(out)?.[1];
  if (dir === undefined) throw new Error(`fetch-cert-manager-crds.sh reported no folder:\n${out}`);
  return dir;
}

/** Installs cert-manager's CRDs (Established on return); returns their names. */
export async function installCertManagerCrds(): Promise<string[]> {
  return installCrds(await certManagerCrdDir());
}

/** Deletes cert-manager's CRDs and waits until the API server no longer serves cert-manager.io. */
export async function removeCertManagerCrds(): Promise<void> {
  const client = new KubeClient(kubeConfig());
  try {
    const list = await client.request<{ items: { metadata: { name: string }; spec: { group: string } }[] }>('GET', CRDS);
    for (const crd of list.items.filter((c) => c.spec.group.endsWith('cert-manager.io'))) {
      await client.request('DELETE', `${CRDS}/${crd.metadata.name}`).catch((error: unknown) => {
        if ((error as { code?: number }).code !== 404) throw error;
      });
    }
    await waitFor('cert-manager.io no longer served', async () => {
      const groups = await client.request<{ groups: { name: string }[] }>('GET', '/apis');
      return groups.groups.some((g) => g.name === 'cert-manager.io');
    }, { until: (served) => !served, timeoutMs: 60_000 });
  } finally {
    client.close();
  }
}
