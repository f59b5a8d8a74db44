import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApiextensionsV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { apiRequest } from '../../../src/local-cluster/api-get.js';
import { kubeConfig } from './kube-config.js';
import { waitFor } from './wait.js';

export const TEST_FIELD_MANAGER = 'mcp-runtime-tests';

/**
 * Server-side applies every CustomResourceDefinition in the YAML files of `dir` (relative to
 * the working directory, i.e. the repository root under jest) and waits until each is
 * Established, so custom resources can be created right after. Returns the CRD names.
 */
export async function installCrds(dir = 'crds/', kc: KubeConfig = kubeConfig()): Promise<string[]> {
  const folder = resolve(dir);
  const files = (await readdir(folder)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(folder, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const obj = doc.toJS() as KubernetesObject | null;
      if (obj?.kind === 'CustomResourceDefinition') objects.push(obj);
    }
  }
  for (const obj of objects) {
    // Raw server-side apply: client-node's KubernetesObjectApi re-serializes built-in kinds
    // through its models, which silently drop every `default:` of a CRD schema (the model
    // field is `_default`), so defaulting would vanish from the installed CRD.
    const name = obj.metadata?.name ?? '';
    const res = await apiRequest(
      kc,
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}` +
        `?fieldManager=${encodeURIComponent(TEST_FIELD_MANAGER)}&force=true`,
      { method: 'PATCH', body: obj, contentType: 'application/apply-patch+yaml' },
    );
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(`server-side apply of CRD ${name} failed with ${res.status}: ${res.body.slice(0, 1000)}`);
    }
  }
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const names = objects.map((o) => o.metadata?.name ?? '');
  for (const name of names) {
    await waitFor(
      `CRD ${name} Established`,
      () => ext.readCustomResourceDefinition({ name }),
      { until: (crd) => crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true },
    );
  }
  return names;
}
