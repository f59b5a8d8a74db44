/**
 * Provisioned registry credentials: the operator rewrites the image to the provisioned
 * registry and creates the namespace's shared pull Secret, allowed by RBAC by name only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Manager } from '../../../src/runtime/index.js';
import { freshNamespace, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin, get, installAllCrds, mcpServer, operatorIdentity, paths, removeIdentity, serverPath, startOperator } from './fixture.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ns: FreshNamespace;
let operator: Manager;
const PASSWORD = 'pull-password-123';

beforeAll(async () => {
  await installAllCrds();
  ns = await freshNamespace('pull-secret');
  operator = await startOperator(await operatorIdentity(ns.name), ns.name, {}, {
    PROVISIONED_REGISTRY_URL: 'https://registry.example.com:5000',
    PROVISIONED_REGISTRY_USERNAME: 'puller',
    PROVISIONED_REGISTRY_PASSWORD: PASSWORD,
  });
});

afterAll(async () => {
  await operator?.stop();
  await removeIdentity(ns.name);
  await ns?.cleanup();
});

describe('provisioned registry', () => {
  it('rewrites the image and creates one shared pull Secret without a controller owner', async () => {
    for (const name of ['alpha', 'beta']) {
      await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, name, { image: 'ghcr.io/acme/tool:1.0', useProvisionedRegistry: true }) });
    }
    for (const name of ['alpha', 'beta']) {
      await waitFor(`${name} Ready`, () => get<Obj>(serverPath(ns.name, name)), { until: (s) => s?.status?.phase === 'Ready', timeoutMs: 60_000 });
      const deployment = (await get<Obj>(paths.deployment(ns.name, name)))!;
      expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'mcp-runtime-registry-creds' }]);
      expect(deployment.spec.template.spec.containers[0].image).toBe('registry.example.com:5000/acme/tool:1.0');
    }
    const secret = (await get<Obj>(`/api/v1/namespaces/${ns.name}/secrets/mcp-runtime-registry-creds`))!;
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secret.metadata.ownerReferences ?? []).toEqual([]);
    const config = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8'));
    expect(config.auths['registry.example.com:5000'].auth).toBe(Buffer.from(`puller:${PASSWORD}`).toString('base64'));
  });

  it('keeps the shared Secret when one of its servers is deleted', async () => {
    await admin().request('DELETE', serverPath(ns.name, 'alpha'));
    await waitFor('alpha Deployment gone', () => get(paths.deployment(ns.name, 'alpha')), { until: (d) => d === undefined, timeoutMs: 60_000 });
    expect(await get(`/api/v1/namespaces/${ns.name}/secrets/mcp-runtime-registry-creds`)).toBeDefined();
  });
});
