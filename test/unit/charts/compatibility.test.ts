import { describe, expect, it } from '@jest/globals';
import { resolveServer, renderServer } from '../../../charts-ts/server/index.js';
import { parseRenderWarning } from '../../../charts-ts/server/compatibility.js';
import { defaultOperatorSettings } from '../../../charts-ts/server/settings.js';
import { ORIGINAL_API_CASES } from '../../fixtures/original-api.js';
import { j, mcpServer, noSettings, one } from './fixtures.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const reasons = (warnings: readonly string[]) => warnings.map((w) => parseRenderWarning(w).reason);

describe('objects of the original API render by its rules, with a warning where they mislead', () => {
  it.each(ORIGINAL_API_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const resolved = resolveServer(mcpServer('weather', c.spec), noSettings);
    if (c.reason === undefined) expect(resolved.warnings).toEqual([]);
    else expect(reasons(resolved.warnings)).toContain(c.reason);
    // Server-side apply refuses duplicate env names; the render must never carry one.
    const envNames = resolved.env.map((e) => e.name);
    expect(new Set(envNames).size).toBe(envNames.length);
  });

  it('ignores imageTag on a digest-pinned image', () => {
    const resolved = resolveServer(mcpServer('weather', { image: `reg.example.com/w@${DIGEST}`, imageTag: 'latest' }), noSettings);
    expect(resolved.image).toBe(`reg.example.com/w@${DIGEST}`);
    expect(resolved.warnings).toEqual([expect.stringMatching(/^ImageTagIgnored: imageTag "latest" is ignored/)]);
  });

  it('appends imageTag when the only colon is the registry port (the documented rule)', () => {
    expect(resolveServer(mcpServer('weather', { image: 'localhost:5000/w', imageTag: 'v2' }), noSettings).image).toBe('localhost:5000/w:v2');
  });

  it('lets useProvisionedRegistry win over registryOverride when a provisioned registry exists, as the original did', () => {
    const spec = { image: 'team/w:1', registryOverride: 'mirror.example.com', useProvisionedRegistry: true };
    const provisioned = defaultOperatorSettings({ PROVISIONED_REGISTRY_URL: 'reg.example.com' });
    const withRegistry = resolveServer(mcpServer('weather', spec), provisioned);
    expect(withRegistry.image).toBe('reg.example.com/team/w:1');
    expect(reasons(withRegistry.warnings)).toEqual(['RegistryOverrideIgnored']);
    const without = resolveServer(mcpServer('weather', spec), noSettings);
    expect(without.image).toBe('mirror.example.com/team/w:1');
    expect(reasons(without.warnings)).toEqual(['ProvisionedRegistryMissing']);
  });

  it('reads port 0 and servicePort 0 as the defaults', () => {
    const objects = renderServer(mcpServer('weather', { port: 0, servicePort: 0 }), noSettings);
    expect(j(one(objects, 'Service')).spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
    expect(j(one(objects, 'Deployment')).spec.template.spec.containers[0].ports[0].containerPort).toBe(8088);
  });

  it('reads empty strings as unset', () => {
    const resolved = resolveServer(mcpServer('weather', ORIGINAL_API_CASES.find((c) => c.name.startsWith('empty strings'))!.spec), noSettings);
    expect(resolved).toMatchObject({
      image: 'team/weather:latest',
      ingressPath: '/weather/mcp',
      ingressClass: 'traefik',
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    });
    expect(resolved.ingressHost).toBeUndefined();
  });

  it('keeps the last definition of a repeated env var (secretEnvVars come after envVars)', () => {
    const resolved = resolveServer(
      mcpServer('weather', {
        envVars: [{ name: 'A', value: '1' }, { name: 'TOKEN', value: 'plain' }, { name: 'A', value: '2' }],
        secretEnvVars: [{ name: 'TOKEN', secretKeyRef: { name: 'api', key: 'token' } }],
      }),
      noSettings,
    );
    expect(resolved.env).toEqual([
      { name: 'A', value: '2' },
      { name: 'TOKEN', secretKeyRef: { name: 'api', key: 'token' } },
    ]);
    expect(reasons(resolved.warnings)).toEqual(['DuplicateEnvVar', 'DuplicateEnvVar']);
  });

  it('skips empty pull Secret names and keeps the others as given', () => {
    const resolved = resolveServer(mcpServer('weather', { imagePullSecrets: ['Team_Creds', ''] }), noSettings);
    expect(resolved.imagePullSecrets).toEqual(['Team_Creds']);
  });

  it('splits a warning into a condition reason and a message', () => {
    expect(parseRenderWarning('ZeroPortDefaulted: port 0 means the default 8088')).toEqual({
      reason: 'ZeroPortDefaulted',
      message: 'port 0 means the default 8088',
    });
    expect(parseRenderWarning('something else: entirely')).toEqual({ reason: 'Configuration', message: 'something else: entirely' });
  });
});
