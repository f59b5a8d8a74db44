import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_INGRESS_CLASS, DEFAULT_PULL_SECRET_NAME, defaultOperatorSettings, operatorSettingsProblems } from '../../../charts-ts/server/index.js';

describe('defaultOperatorSettings', () => {
  it('defaults to class traefik, no host, no registry, the namespaces setup installs into', () => {
    const defaults = { defaultIngressClass: 'traefik', ingressNamespace: 'traefik', operatorNamespace: 'mcp-runtime', ingressTls: false };
    expect(defaultOperatorSettings({})).toEqual(defaults);
    expect(defaultOperatorSettings()).toEqual({ ...defaults, defaultIngressClass: DEFAULT_INGRESS_CLASS });
  });

  it('reads the ingress controller namespace and the operator namespace (POD_NAMESPACE)', () => {
    const s = defaultOperatorSettings({ MCP_INGRESS_NAMESPACE: 'ingress-nginx', POD_NAMESPACE: 'platform' });
    expect(s.ingressNamespace).toBe('ingress-nginx');
    expect(s.operatorNamespace).toBe('platform');
  });

  it('names a namespace setting that is not a namespace name', () => {
    const problems = operatorSettingsProblems(defaultOperatorSettings({ MCP_INGRESS_NAMESPACE: 'Ingress_NGINX' }));
    expect(problems).toEqual([{ env: 'MCP_INGRESS_NAMESPACE', value: 'Ingress_NGINX', message: expect.stringMatching(/must be a namespace name/) }]);
  });

  it('reads every operator variable', () => {
    const s = defaultOperatorSettings({
      MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com',
      DEFAULT_INGRESS_CLASS: 'nginx',
      PROVISIONED_REGISTRY_URL: 'https://reg.example.com:5000/team/',
      PROVISIONED_REGISTRY_USERNAME: 'bot',
      PROVISIONED_REGISTRY_PASSWORD: 'pw',
      PROVISIONED_REGISTRY_SECRET_NAME: 'creds',
    });
    expect(s.defaultIngressHost).toBe('mcp.example.com');
    expect(s.defaultIngressClass).toBe('nginx');
    expect({ ...s.provisionedRegistry }).toEqual({ url: 'reg.example.com:5000/team', username: 'bot', password: 'pw', secretName: 'creds' });
  });

  it('treats blank values as unset and defaults the Secret name', () => {
    const s = defaultOperatorSettings({ MCP_DEFAULT_INGRESS_HOST: ' ', DEFAULT_INGRESS_CLASS: '', PROVISIONED_REGISTRY_URL: 'reg.example.com' });
    expect(s.defaultIngressHost).toBeUndefined();
    expect(s.defaultIngressClass).toBe('traefik');
    expect({ ...s.provisionedRegistry }).toEqual({ url: 'reg.example.com', secretName: DEFAULT_PULL_SECRET_NAME });
  });

  it('ignores credentials without a registry URL', () => {
    expect(defaultOperatorSettings({ PROVISIONED_REGISTRY_PASSWORD: 'pw' }).provisionedRegistry).toBeUndefined();
  });

  it('redacts the password when printed or serialized', () => {
    const s = defaultOperatorSettings({ PROVISIONED_REGISTRY_URL: 'r.example', PROVISIONED_REGISTRY_PASSWORD: 'topsecret' });
    expect(JSON.stringify(s)).not.toContain('topsecret');
    expect(inspect(s, { depth: 5 })).not.toContain('topsecret');
    expect(`${JSON.stringify(s.provisionedRegistry)}`).toContain('[REDACTED]');
  });
});
