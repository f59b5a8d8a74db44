import { describe, expect, it } from '@jest/globals';
import { traefikArgs } from '../../../charts-ts/platform/traefik.js';
import { hostTraefikArgs } from '../../../src/local-cluster/real-node/host-traefik.js';

const addresses = {
  web: '127.0.0.1:18000',
  admin: '127.0.0.1:18080',
  server: 'https://127.0.0.1:6443',
  caFile: '/d/pki/ca.crt',
  tokenFile: '/d/node/traefik/token',
};

describe('hostTraefikArgs', () => {
  it('keeps the synthesized configuration and changes only listen addresses, API access and the status address', () => {
    const synthesized = traefikArgs('traefik', 'prod');
    const args = hostTraefikArgs(synthesized, addresses);
    expect(args).toContain('--entryPoints.web.address=127.0.0.1:18000');
    expect(args).toContain('--entryPoints.traefik.address=127.0.0.1:18080');
    expect(args).toContain('--providers.kubernetesingress.ingressendpoint.ip=127.0.0.1');
    expect(args.some((a) => a.includes('publishedservice'))).toBe(false);
    for (const provider of ['kubernetesingress', 'kubernetescrd']) {
      expect(args).toContain(`--providers.${provider}.endpoint=https://127.0.0.1:6443`);
      expect(args).toContain(`--providers.${provider}.certAuthFilePath=/d/pki/ca.crt`);
      expect(args).toContain(`--providers.${provider}.token=/d/node/traefik/token`);
    }
    // Everything else exactly as synthesized (timeouts, IngressClass, ping, log level).
    const untouched = synthesized.filter((a) => !/entryPoints\.(web|traefik)\.address|publishedservice/.test(a));
    for (const arg of untouched) expect(args).toContain(arg);
  });

  it('moves the HTTPS entry point of setup --with-tls to its own loopback port, keeping its TLS and redirect settings', () => {
    const synthesized = traefikArgs('traefik', 'prod', true, true);
    const args = hostTraefikArgs(synthesized, { ...addresses, websecure: '127.0.0.1:18443' });
    expect(args).toContain('--entryPoints.websecure.address=127.0.0.1:18443');
    expect(args).toContain('--entryPoints.websecure.http.tls=true');
    expect(args).toContain('--entryPoints.web.http.redirections.entryPoint.to=websecure');
    expect(args.some((a) => a.endsWith('=:8443'))).toBe(false);
  });

  it('follows the dev variant (API and dashboard on) without a second configuration', () => {
    const args = hostTraefikArgs(traefikArgs('traefik', 'dev'), addresses);
    expect(args).toContain('--api.insecure=true');
    expect(args).toContain('--api.dashboard=true');
  });

  it('adds API access only for the providers the Deployment enables', () => {
    const args = hostTraefikArgs(['--entryPoints.web.address=:8000', '--providers.kubernetesingress=true'], addresses);
    expect(args.some((a) => a.startsWith('--providers.kubernetescrd'))).toBe(false);
    expect(args).toContain('--providers.kubernetesingress.token=/d/node/traefik/token');
  });
});
