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
