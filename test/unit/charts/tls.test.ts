// HTTPS at the edge: setup --with-tls gives Traefik a websecure entry point with the platform
// certificate, and the operator (MCP_INGRESS_TLS) puts every server route there.
import { describe, expect, it } from '@jest/globals';
import { renderPlatform } from '../../../charts-ts/platform/index.js';
import { defaultOperatorSettings, renderServer, resolveServer, type OperatorSettings } from '../../../charts-ts/server/index.js';
import { j, mcpServer, one } from './fixtures.js';

const gateway = { namespace: 'mcp-gateway', name: 'mcp-gateway', port: 80 };
const tls: OperatorSettings = { ...defaultOperatorSettings({ MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com', MCP_INGRESS_TLS: 'true' }) };

describe('a server on a platform with TLS', () => {
  it('gets an Ingress on websecure with TLS, and its own certificate when it names one', () => {
    const ingress = j(one(renderServer(mcpServer('weather', { tls: { secretName: 'weather-cert' } }), tls), 'Ingress'));
    expect(ingress.metadata.annotations).toMatchObject({ 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure', 'traefik.ingress.kubernetes.io/router.tls': 'true' });
    expect(ingress.spec.tls).toEqual([{ hosts: ['mcp.example.com'], secretName: 'weather-cert' }]);
    // Without a Secret of its own: the platform's default certificate (no tls list).
    expect(j(one(renderServer(mcpServer('weather'), tls), 'Ingress')).spec.tls).toBeUndefined();
    expect(resolveServer(mcpServer('weather'), tls).url).toBe('https://mcp.example.com/weather/mcp');
  });

  it('gets an IngressRoute to the gateway on websecure, with the default or its own certificate', () => {
    const route = (spec = {}) => j(one(renderServer(mcpServer('weather', spec), { ...tls, gateway }), 'IngressRoute')).spec;
    expect(route()).toMatchObject({ entryPoints: ['websecure'], tls: {} });
    expect(route({ tls: { secretName: 'weather-cert' } })).toMatchObject({ entryPoints: ['websecure'], tls: { secretName: 'weather-cert' } });
  });

  it('stays on plain HTTP without platform TLS, and says so when the server asked for TLS', () => {
    const plain = defaultOperatorSettings({ MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com' });
    const ingress = j(one(renderServer(mcpServer('weather', { tls: { secretName: 'c' } }), plain), 'Ingress'));
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.entrypoints']).toBe('web');
    expect(ingress.spec.tls).toBeUndefined();
    expect(resolveServer(mcpServer('weather', { tls: { secretName: 'c' } }), plain).warnings.join()).toContain('TlsNotInstalled');
    expect(resolveServer(mcpServer('weather'), plain).url).toBe('http://mcp.example.com/weather/mcp');
  });
});

describe('a certificate from a cert-manager issuer (spec.tls.issuer)', () => {
  const host = { ingressHost: 'weather.example.com' };
  const issued = (extra = {}) => mcpServer('weather', { ...host, tls: { issuer: { name: 'letsencrypt' }, ...extra } });

  it('asks ingress-shim for it on a plain Ingress: the issuer annotation and a tls entry for the host', () => {
    const ingress = j(one(renderServer(issued(), tls), 'Ingress'));
    expect(ingress.metadata.annotations).toMatchObject({ 'cert-manager.io/cluster-issuer': 'letsencrypt', 'traefik.ingress.kubernetes.io/router.tls': 'true' });
    expect(ingress.metadata.annotations['cert-manager.io/issuer']).toBeUndefined();
    expect(ingress.spec.tls).toEqual([{ hosts: ['weather.example.com'], secretName: 'weather-tls' }]);
    // A namespaced Issuer and a Secret the user names.
    const own = j(one(renderServer(mcpServer('weather', { ...host, tls: { issuer: { name: 'team-ca', kind: 'Issuer' }, secretName: 'weather-cert' } }), tls), 'Ingress'));
    expect(own.metadata.annotations['cert-manager.io/issuer']).toBe('team-ca');
    expect(own.metadata.annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
    expect(own.spec.tls).toEqual([{ hosts: ['weather.example.com'], secretName: 'weather-cert' }]);
    // No Certificate object: ingress-shim makes it from the Ingress.
    expect(renderServer(issued(), tls).some((o) => o.kind === 'Certificate')).toBe(false);
  });

  it('renders a Certificate behind the gateway (ingress-shim does not watch IngressRoutes), and the route serves its Secret', () => {
    const objects = renderServer(issued(), { ...tls, gateway });
    expect(j(one(objects, 'Certificate'))).toEqual({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'weather', namespace: 'mcp-servers', labels: expect.objectContaining({ 'app.kubernetes.io/managed-by': 'mcp-runtime' }) },
      spec: { secretName: 'weather-tls', dnsNames: ['weather.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' } },
    });
    expect(j(one(objects, 'IngressRoute')).spec).toMatchObject({ entryPoints: ['websecure'], tls: { secretName: 'weather-tls' } });
    expect(objects.map((o) => o.kind).indexOf('Certificate')).toBeLessThan(objects.map((o) => o.kind).indexOf('IngressRoute'));
    const own = renderServer(mcpServer('weather', { ...host, tls: { issuer: { name: 'team-ca', kind: 'Issuer' }, secretName: 'weather-cert' } }), { ...tls, gateway });
    expect(j(one(own, 'Certificate')).spec).toEqual({ secretName: 'weather-cert', dnsNames: ['weather.example.com'], issuerRef: { name: 'team-ca', kind: 'Issuer', group: 'cert-manager.io' } });
    expect(j(one(own, 'IngressRoute')).spec.tls).toEqual({ secretName: 'weather-cert' });
  });

  it('renders neither without the issuer, nor without platform TLS (where TlsNotInstalled says why)', () => {
    expect(renderServer(mcpServer('weather', { ...host, tls: { secretName: 'c' } }), { ...tls, gateway }).some((o) => o.kind === 'Certificate')).toBe(false);
    expect(JSON.stringify(renderServer(mcpServer('weather', host), tls))).not.toContain('cert-manager.io');
    const plain = defaultOperatorSettings({});
    expect(JSON.stringify(renderServer(issued(), { ...plain, gateway }))).not.toContain('cert-manager.io');
    expect(JSON.stringify(renderServer(issued(), plain))).not.toContain('cert-manager.io');
    expect(resolveServer(issued(), plain).warnings.join()).toContain('TlsNotInstalled');
  });

  it("lets the user's own ingressAnnotations win over the issuer annotation", () => {
    const ingress = j(one(renderServer(mcpServer('weather', { ...host, tls: { issuer: { name: 'letsencrypt' } }, ingressAnnotations: { 'cert-manager.io/cluster-issuer': 'other' } }), tls), 'Ingress'));
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('other');
  });
});

describe('setup --with-tls', () => {
  const objects = (options = {}) => renderPlatform(options).flatMap((c) => c.objects);

  it('gives Traefik an HTTPS entry point with the named certificate, redirects HTTP there, and tells the operator', () => {
    const all = objects({ tlsSecretName: 'platform-cert' });
    const traefik = j(all.find((o) => o.kind === 'Deployment' && o.metadata.name === 'traefik')).spec.template.spec.containers[0];
    expect(traefik.args).toEqual(
      expect.arrayContaining(['--entryPoints.websecure.address=:8443', '--entryPoints.websecure.http.tls=true', '--entryPoints.web.http.redirections.entryPoint.to=websecure']),
    );
    expect(j(all.find((o) => o.kind === 'Service' && o.metadata.name === 'traefik')).spec.ports).toContainEqual(expect.objectContaining({ name: 'websecure', port: 443 }));
    expect(j(all.find((o) => o.kind === 'TLSStore'))).toMatchObject({ metadata: { name: 'default', namespace: 'traefik' }, spec: { defaultCertificate: { secretName: 'platform-cert' } } });
    const operatorEnv = j(all.find((o) => o.kind === 'Deployment' && o.metadata.name === 'mcp-runtime-operator')).spec.template.spec.containers[0].env;
    expect(operatorEnv).toContainEqual({ name: 'MCP_INGRESS_TLS', value: 'true' });
  });

  it('leaves all of that out by default', () => {
    const all = objects();
    expect(all.some((o) => o.kind === 'TLSStore')).toBe(false);
    expect(JSON.stringify(all)).not.toContain('websecure');
    expect(JSON.stringify(all)).not.toContain('MCP_INGRESS_TLS');
  });

  it('refuses a Secret name that is not one, and TLS for a controller it does not install', () => {
    expect(() => objects({ tlsSecretName: 'Not_A_Name' })).toThrow(/--with-tls/);
    expect(() => objects({ tlsSecretName: 'cert', ingress: 'none' })).toThrow(/--ingress none/);
  });
});
