// The operator's kubeconfig reader (src/kube/light-config.ts) against the real API server: the
// identity the API server sees is the one client-node's KubeConfig would present, TLS is
// verified, and kubeconfigs it does not handle fall back to client-node.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { asServiceAccount, freshNamespace, KUBECONFIG_ENV, kubeConfig, type FreshNamespace } from '../harness/index.js';
import { KubeConfigError } from '../../../src/kube/errors.js';
import { LightKubeConfig, loadKubeConnection } from '../../../src/kube/light-config.js';
import { KubeClient, type KubeConnection } from '../../../src/runtime/kube-http.js';

let ns: FreshNamespace;
let dir: string;

beforeAll(async () => {
  ns = await freshNamespace('light-config');
  dir = await mkdtemp(join(tmpdir(), 'mcp-light-config-'));
});
afterAll(async () => {
  await ns?.cleanup();
});

/** The user name the API server authenticated the request as. */
async function whoAmI(connection: KubeConnection): Promise<string> {
  const client = new KubeClient(connection);
  try {
    const review = await client.request<{ status?: { userInfo?: { username?: string } } }>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    return review.status?.userInfo?.username ?? '';
  } finally {
    client.close();
  }
}

async function writeYaml(name: string, doc: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, stringify(doc), { mode: 0o600 });
  return file;
}

function kubeconfigDoc(kc: KubeConfig): Record<string, unknown> {
  return parse(kc.exportConfig()) as Record<string, unknown>;
}

describe('loadKubeConnection', () => {
  it('authenticates as the admin kubeconfig does, without client-node', async () => {
    const path = process.env[KUBECONFIG_ENV] as string;
    const light = await loadKubeConnection({ kubeconfig: path });
    expect(light).toBeInstanceOf(LightKubeConfig);
    expect(light.getCurrentContext()).toBe(kubeConfig().getCurrentContext());
    expect(await whoAmI(light)).toBe(await whoAmI(kubeConfig()));
  });

  it('sends a ServiceAccount token, inline or from a token file next to the kubeconfig', async () => {
    const sa = await asServiceAccount(ns.name, 'reader', { create: true });
    const doc = kubeconfigDoc(sa);
    const inline = await loadKubeConnection({ kubeconfig: await writeYaml('inline.yaml', doc) });
    expect(inline).toBeInstanceOf(LightKubeConfig);
    expect(await whoAmI(inline)).toBe(`system:serviceaccount:${ns.name}:reader`);

    const users = doc.users as { name: string; user: Record<string, unknown> }[];
    const token = users[0]!.user.token as string;
    await writeFile(join(dir, 'sa-token'), `${token}\n`, { mode: 0o600 });
    const withFile = { ...doc, users: [{ name: users[0]!.name, user: { tokenFile: 'sa-token' } }] };
    const fromFile = await loadKubeConnection({ kubeconfig: await writeYaml('token-file.yaml', withFile) });
    expect(await whoAmI(fromFile)).toBe(`system:serviceaccount:${ns.name}:reader`);
  });

  it('verifies the server certificate against the kubeconfig CA', async () => {
    const doc = kubeconfigDoc(kubeConfig());
    const clusters = doc.clusters as { name: string; cluster: Record<string, unknown> }[];
    const users = doc.users as { name: string; user: Record<string, unknown> }[];
    // The client certificate is not the CA that signed the serving certificate.
    const wrongCa = users[0]!.user['client-certificate-data'] ?? clusters[0]!.cluster['certificate-authority-data'];
    const { 'certificate-authority': _file, ...cluster } = clusters[0]!.cluster;
    const wrong = { ...doc, clusters: [{ name: clusters[0]!.name, cluster: { ...cluster, 'certificate-authority-data': wrongCa } }] };
    const light = await loadKubeConnection({ kubeconfig: await writeYaml('wrong-ca.yaml', wrong) });
    expect(light).toBeInstanceOf(LightKubeConfig);
    await expect(whoAmI(light)).rejects.toThrow();
  });

  it('hands kubeconfigs it does not handle to client-node, which names unknown contexts', async () => {
    const doc = kubeconfigDoc(kubeConfig());
    const users = doc.users as { name: string; user: Record<string, unknown> }[];
    const withProvider = { ...doc, users: [{ name: users[0]!.name, user: { ...users[0]!.user, 'auth-provider': { name: 'oidc', config: {} } } }] };
    const fallback = await loadKubeConnection({ kubeconfig: await writeYaml('provider.yaml', withProvider) });
    expect(fallback).not.toBeInstanceOf(LightKubeConfig);
    expect(typeof (fallback as Partial<KubeConfig>).makeApiClient).toBe('function');

    const path = process.env[KUBECONFIG_ENV] as string;
    await expect(loadKubeConnection({ kubeconfig: path, context: 'no-such-context' })).rejects.toThrow(KubeConfigError);
    await expect(loadKubeConnection({ kubeconfig: path, context: 'no-such-context' })).rejects.toThrow(/context "no-such-context" is not in the kubeconfig/);
  });
});
