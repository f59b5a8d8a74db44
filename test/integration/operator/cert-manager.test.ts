/**
 * spec.tls.issuer against the real API server, with the operator under its own ServiceAccount
 * (OPERATOR_RULES). First on a cluster without cert-manager: the server that asks for an issuer
 * says so in its status, and the others are served as usual. Then cert-manager's real CRDs
 * (from its Go module, pinned in versions.env) appear while the operator runs: the Certificate
 * is created, accepted by cert-manager's schema, and removed with the field. cert-manager itself
 * does not run here, so no certificate is ever issued.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Manager } from '../../../src/runtime/index.js';
import { freshNamespace, waitFor, type FreshNamespace } from '../harness/index.js';
import { installCertManagerCrds, removeCertManagerCrds } from '../harness/cert-manager.js';
import { admin, get, installAllCrds, mcpServer, operatorIdentity, paths, removeIdentity, serverPath, startOperator } from './fixture.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ns: FreshNamespace;
let operator: Manager;

beforeAll(async () => {
  await installAllCrds();
  // Left over from an earlier run: this file starts on a cluster without cert-manager.
  await removeCertManagerCrds();
  ns = await freshNamespace('cert-manager', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  operator = await startOperator(await operatorIdentity(ns.name), ns.name, {}, { MCP_INGRESS_TLS: 'true', MCP_GATEWAY_SERVICE: 'mcp-gateway/mcp-gateway:80' });
});

afterAll(async () => {
  await operator?.stop();
  await removeIdentity(ns.name);
  await ns?.cleanup();
  await removeCertManagerCrds();
});

const base = { image: 'registry.example.com/team/tool:1.0' };
const create = (name: string, spec: Obj) => admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, name, spec) });
const server = (name: string) => get<Obj>(serverPath(ns.name, name));
const condition = (s: Obj | undefined, type: string): Obj | undefined => (s?.status?.conditions ?? []).find((c: Obj) => c.type === type);
const certificate = (name: string) => get<Obj>(`/apis/cert-manager.io/v1/namespaces/${ns.name}/certificates/${name}`);
const ingressRoute = (name: string) => get<Obj>(`/apis/traefik.io/v1alpha1/namespaces/${ns.name}/ingressroutes/${name}`);
const issued = { ...base, ingressHost: 'routed.example.com', tls: { issuer: { name: 'letsencrypt' } } };

describe('spec.tls.issuer', () => {
  it('is refused by the API server without spec.ingressHost, naming the field', async () => {
    const refused = await create('nohost', { ...base, tls: { issuer: { name: 'letsencrypt' } } }).catch((error: unknown) => error as { code?: number; message?: string });
    expect(refused).toMatchObject({ code: 422 });
    expect(String((refused as { message?: string }).message)).toMatch(/spec\.tls\.issuer: Invalid value.*tls\.issuer needs spec\.ingressHost/);
  });

  it('without cert-manager: the server says so in its status, and the other servers are not affected', async () => {
    await create('other', { ...base, ingressHost: 'other.example.com' });
    await create('routed', issued);
    await create('ingressed', { ...issued, ingressHost: 'ingressed.example.com', gateway: { enabled: false } });

    const routed = await waitFor('routed reports cert-manager missing', () => server('routed'), { until: (s) => condition(s, 'Configured')?.reason === 'CertManagerNotInstalled', timeoutMs: 60_000 });
    expect(condition(routed, 'Configured')).toMatchObject({ status: 'False', message: expect.stringContaining('cert-manager is not installed: the Certificate CRD (certificates.cert-manager.io) is missing') });
    // It still runs and is routed (with the platform's certificate meanwhile).
    await waitFor('routed Ready', () => server('routed'), { until: (s) => s?.status?.phase === 'Ready', timeoutMs: 60_000 });
    expect((await ingressRoute('routed'))?.spec.tls).toEqual({ secretName: 'routed-tls' });

    // A plain Ingress carries ingress-shim's annotation, which nothing acts on without cert-manager: said too.
    const ingressed = await waitFor('ingressed reports cert-manager missing', () => server('ingressed'), { until: (s) => condition(s, 'Configured')?.reason === 'CertManagerNotInstalled', timeoutMs: 60_000 });
    expect(condition(ingressed, 'Configured')?.message).toContain('cert-manager is not installed');
    const ingress = await get<Obj>(paths.ingress(ns.name, 'ingressed'));
    expect(ingress?.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ingress?.spec.tls).toEqual([{ hosts: ['ingressed.example.com'], secretName: 'ingressed-tls' }]);

    const other = await waitFor('other Ready', () => server('other'), { until: (s) => s?.status?.phase === 'Ready', timeoutMs: 60_000 });
    expect(condition(other, 'Configured')).toMatchObject({ status: 'True', reason: 'AsSpecified' });
    expect(condition(other, 'Ready')).toMatchObject({ status: 'True' });
    expect(operator.isLeader).toBe(true);
  });

  it("once cert-manager's real CRDs appear, creates the Certificate its schema accepts, owned by the server", async () => {
    expect(await installCertManagerCrds()).toContain('certificates.cert-manager.io');
    // Discovery is asked again every 30 s while a server needs the kind.
    const cert = await waitFor('Certificate routed', () => certificate('routed'), { timeoutMs: 100_000 });
    const routed = await server('routed');
    expect(cert?.spec).toEqual({ secretName: 'routed-tls', dnsNames: ['routed.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' } });
    expect(cert?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'MCPServer', name: 'routed', uid: routed?.metadata.uid, controller: true })]);
    expect(cert?.metadata.managedFields.map((f: Obj) => f.manager)).toEqual(['mcp-runtime-operator']);
    await waitFor('routed Configured', () => server('routed'), { until: (s) => condition(s, 'Configured')?.status === 'True', timeoutMs: 30_000 });
    // The Ingress server gets no Certificate object (ingress-shim makes it), and its warning clears too.
    await waitFor('ingressed Configured', () => server('ingressed'), { until: (s) => condition(s, 'Configured')?.status === 'True', timeoutMs: 30_000 });
    expect(await certificate('ingressed')).toBeUndefined();
    expect(await certificate('other')).toBeUndefined();
  }, 150_000);

  it('deletes the Certificate when spec.tls.issuer is removed, and the route goes back to the default certificate', async () => {
    await admin().request('PATCH', serverPath(ns.name, 'routed'), { body: [{ op: 'remove', path: '/spec/tls/issuer' }], contentType: 'application/json-patch+json' });
    await waitFor('Certificate routed deleted', () => certificate('routed'), { until: (c) => c === undefined, timeoutMs: 30_000 });
    // (Server-side apply leaves the emptied `tls` map as null; the websecure entry point serves TLS either way.)
    await waitFor('IngressRoute without the Secret', () => ingressRoute('routed'), { until: (r) => r !== undefined && r.spec.tls?.secretName === undefined, timeoutMs: 30_000 });
    expect((await ingressRoute('routed'))?.spec.entryPoints).toEqual(['websecure']);
    // A Certificate created again for an issuer that comes back.
    await admin().request('PATCH', serverPath(ns.name, 'routed'), { body: [{ op: 'add', path: '/spec/tls/issuer', value: { name: 'team-ca', kind: 'Issuer' } }], contentType: 'application/json-patch+json' });
    const again = await waitFor('Certificate routed again', () => certificate('routed'), { timeoutMs: 30_000 });
    expect(again?.spec.issuerRef).toEqual({ name: 'team-ca', kind: 'Issuer', group: 'cert-manager.io' });
  });
});
