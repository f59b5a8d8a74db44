// The MCPServer CRD on a real API server: every object the original (Go) API accepted is
// accepted (same group and version, so such objects exist), and what Kubernetes would refuse
// only later, in the Deployment or Ingress rendered from it, is refused when the MCPServer is
// written, with our message.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { API_VERSION, GROUP, KIND, PLURAL, VERSION, defaultSpec } from '../../src/api/v1alpha1/index.js';
import { defaultOperatorSettings, renderServer } from '../../charts-ts/server/index.js';
import { applyWithOutcome } from '../../src/kube/apply.js';
import type { KubeObject, KubeRest } from '../../src/kube/rest.js';
import { admin } from './cli/fixtures/cluster.js';
import { ORIGINAL_API_CASES, REJECTED_EARLY } from '../fixtures/original-api.js';
import { freshNamespace, installCrds, kubeConfig, refused, type FreshNamespace } from './harness/index.js';

jest.setTimeout(120_000);


describe('MCPServer CRD compatibility with the original API', () => {
  let kc: KubeConfig;
  let custom: CustomObjectsApi;
  let ns: FreshNamespace;
  const create = (name: string, spec: Record<string, unknown>) =>
    custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns.name,
      plural: PLURAL,
      body: { apiVersion: API_VERSION, kind: KIND, metadata: { name }, spec },
    });

  beforeAll(async () => {
    kc = kubeConfig();
    custom = kc.makeApiClient(CustomObjectsApi);
    await installCrds('crds/', kc);
    ns = await freshNamespace('crd-compat', {}, kc);
  });
  afterAll(async () => {
    await ns?.cleanup();
  });

  it.each(ORIGINAL_API_CASES.map((c, i) => [c.name, c.spec, i] as const))('stores %s', async (_name, spec, i) => {
    await create(`original-${i}`, spec);
    const stored = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns.name, plural: PLURAL, name: `original-${i}` })) as {
      spec: Record<string, unknown>;
    };
    // Stored as written (plus defaults): nothing the user wrote is pruned or rewritten.
    expect(stored.spec).toMatchObject(spec);
  });

  it.each(ORIGINAL_API_CASES.map((c, i) => [c.name, c.spec, i] as const))(
    'renders %s into objects the API server accepts (server-side dry run)',
    async (_name, spec, i) => {
      const rest: KubeRest = await admin();
      const server = { apiVersion: API_VERSION, kind: KIND, metadata: { name: `render-${i}`, namespace: ns.name }, spec: defaultSpec(spec) } as const;
      // Built-in kinds only: the Traefik Middleware CRD is not installed by this test.
      const objects = renderServer(server, defaultOperatorSettings({})).filter((o) => ['Deployment', 'Service', 'Ingress'].includes(o.kind));
      expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Ingress', 'Service']);
      for (const object of objects) await applyWithOutcome(rest, object as unknown as KubeObject, { dryRun: true, fieldManager: 'mcp-runtime-tests' });
    },
  );

  it.each(REJECTED_EARLY.map((c, i) => [c.name, c.spec, c.message, i] as const))('refuses %s', async (_name, spec, message, i) => {
    const refusal = await refused(create(`early-${i}`, spec));
    expect(refusal.code).toBe(422);
    expect(refusal.message).toMatch(message);
  });
});
