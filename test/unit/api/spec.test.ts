import { describe, expect, it } from '@jest/globals';
import { MCPServerManifestSchema, MCPServerSpecSchema, defaultSpec } from '../../../src/api/v1alpha1/index.js';

describe('MCPServer spec validation', () => {
  it('fills in the documented defaults', () => {
    expect(defaultSpec({ image: 'weather' })).toEqual({
      image: 'weather',
      useProvisionedRegistry: false,
      replicas: 1,
      port: 8088,
      servicePort: 80,
      containerPath: '/mcp',
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      probe: { type: 'tcp' },
    });
  });

  const rejects: [string, unknown, string, RegExp][] = [
    ['missing image', {}, 'image', /image is required/],
    ['port above range', { image: 'x', port: 65536 }, 'port', /at most 65535/],
    ['bad quantity', { image: 'x', resources: { requests: { memory: '1 GB' } } }, 'resources.requests.memory', /quantity/],
    ['ingressPath without slash', { image: 'x', ingressPath: 'x/mcp' }, 'ingressPath', /start with '\/'/],
    ['misspelt field', { image: 'x', replica: 2 }, '', /replica/],
    ['bad annotation key', { image: 'x', ingressAnnotations: { 'a b': 'c' } }, 'ingressAnnotations', /annotation keys|Invalid key/],
    ['bad secret reference', { image: 'x', secretEnvVars: [{ name: 'A', secretKeyRef: { name: 'Not_Valid', key: 'k' } }] }, 'secretEnvVars.0.secretKeyRef.name', /DNS-1123 subdomain/],
    ['an unusable tag', { image: 'x', imageTag: 'v 1' }, 'imageTag', /valid tag/],
  ];
  it.each(rejects)('rejects %s', (_name, spec, path, message) => {
    const result = MCPServerSpecSchema.safeParse(spec);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === path);
    expect(issue?.message ?? result.error!.message).toMatch(message);
  });

  it('takes a cert-manager issuer for spec.tls (kind ClusterIssuer by default), only with an ingressHost', () => {
    const tls = (t: unknown, host: string | null = 'mcp.example.com') => MCPServerSpecSchema.safeParse({ image: 'x', ...(host === null ? {} : { ingressHost: host }), tls: t });
    expect(defaultSpec({ image: 'x', ingressHost: 'mcp.example.com', tls: { issuer: { name: 'letsencrypt' } } }).tls).toEqual({ issuer: { name: 'letsencrypt', kind: 'ClusterIssuer' } });
    expect(tls({ issuer: { name: 'team-ca', kind: 'Issuer' }, secretName: 'weather-cert' }).success).toBe(true);
    for (const bad of [{ issuer: { name: 'x', kind: 'ACMEIssuer' } }, { issuer: { name: 'Not_A_Name' } }, { issuer: {} }, { issuer: { name: 'x', group: 'example.com' } }]) {
      expect(tls(bad).success).toBe(false);
    }
    // Without a host there is no name to certify: the error names the field.
    for (const host of [null, '']) {
      const result = tls({ issuer: { name: 'letsencrypt' } }, host);
      expect(result.success).toBe(false);
      expect(result.error!.issues).toContainEqual(expect.objectContaining({ path: ['tls', 'issuer'], message: expect.stringMatching(/needs spec.ingressHost/) }));
    }
    // A named Secret alone needs no host (the platform's routes may be hostless).
    expect(tls({ secretName: 'c' }, null).success).toBe(true);
  });

  it('bounds a per-server verification interval (30 s to a day) and adds no default for it', () => {
    expect(MCPServerSpecSchema.safeParse({ image: 'x', verification: { intervalSeconds: 60, enabled: false } }).success).toBe(true);
    expect(MCPServerSpecSchema.safeParse({ image: 'x', verification: { intervalSeconds: 10 } }).success).toBe(false);
    expect(MCPServerSpecSchema.safeParse({ image: 'x', verification: { intervalSeconds: 86_401 } }).success).toBe(false);
    expect(MCPServerSpecSchema.safeParse({ image: 'x', verification: { every: 60 } }).success).toBe(false);
    expect(MCPServerSpecSchema.parse({ image: 'x' }).verification).toBeUndefined();
  });

  it('accepts quantities in every Kubernetes form', () => {
    for (const q of ['1', '0.5', '500m', '64Mi', '1Gi', '1e3', '2k', '.5']) {
      expect(MCPServerSpecSchema.safeParse({ image: 'x', resources: { limits: { cpu: q } } }).success).toBe(true);
    }
  });

  it('validates whole manifests, including the DNS-label name', () => {
    const manifest = { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name: 'Weather' }, spec: { image: 'x' } };
    const result = MCPServerManifestSchema.safeParse(manifest);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['metadata', 'name']);
    expect(MCPServerManifestSchema.safeParse({ ...manifest, metadata: { name: 'weather' } }).success).toBe(true);
  });
});
