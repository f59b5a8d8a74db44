import { describe, expect, it } from '@jest/globals';
import { renderPlatform } from '../../../charts-ts/platform/index.js';
import { InvalidPlatformOptionsError, cidrProblem, platformOptionProblems } from '../../../charts-ts/platform/option-problems.js';
import { defaultOperatorSettings, operatorSettingsProblems } from '../../../charts-ts/server/settings.js';

describe('platform options are checked before anything is rendered', () => {
  it.each(['10.0.0.0/8', '192.168.1.0/24', '0.0.0.0/0', 'fd00::/64', '2001:db8::1/128'])('accepts the CIDR %s', (cidr) => {
    expect(cidrProblem(cidr)).toBeUndefined();
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '10.0.0/8', '300.1.1.1/8', 'fd00::/129', 'nodes/24', '10.0.0.0/', '10.0.0.0/-1'])('refuses the CIDR %s', (cidr) => {
    expect(cidrProblem(cidr)).toMatch(/must be a CIDR/);
  });

  it('names the flag and the value of every problem', () => {
    const problems = platformOptionProblems({
      defaultIngressHost: '10.1.2.3',
      defaultIngressClass: 'Traefik',
      registryAllowedCidrs: ['10.0.0.0/16', '10.0.0.0/40'],
      registryStorageSize: '-5Gi',
      registryStorageClass: 'fast ssd',
      registryClusterIP: '10.96.0.500',
      catalogNamePrefix: 'io.example/mcp',
      registry: { url: 'https://bad host', pullSecretName: 'Creds', passwordSecret: 'ok-name' },
    });
    expect(problems.map((p) => `${p.flag}=${p.value}`)).toEqual([
      '--default-ingress-host=10.1.2.3',
      '--ingress-class=Traefik',
      '--registry-allow-cidr=10.0.0.0/40',
      '--registry-cluster-ip=10.96.0.500',
      '--registry-storage-size=-5Gi',
      '--registry-storage-class=fast ssd',
      '--catalog-name-prefix=io.example/mcp',
      '--registry=https://bad host',
      '--registry-pull-secret=Creds',
    ]);
  });

  it('accepts the defaults and well-formed values', () => {
    expect(platformOptionProblems({})).toEqual([]);
    expect(
      platformOptionProblems({ defaultIngressHost: '*.mcp.example.com', registryAllowedCidrs: ['10.0.0.0/16'], registryClusterIP: '10.96.0.50', registryStorageSize: '20Gi', registry: { url: 'https://reg.example.com:5000/team/' } }),
    ).toEqual([]);
  });

  it('makes renderPlatform refuse a malformed option instead of rendering it', () => {
    expect(() => renderPlatform({ registryAllowedCidrs: ['10.0.0.0/99'] })).toThrow(InvalidPlatformOptionsError);
    expect(() => renderPlatform({ registryAllowedCidrs: ['10.0.0.0/99'] })).toThrow(/--registry-allow-cidr "10.0.0.0\/99": must be a CIDR/);
    expect(() => renderPlatform({ registryClusterIP: '10.96.0.0/16' })).toThrow(/--registry-cluster-ip "10.96.0.0\/16": must be an IP address in the cluster's Service CIDR/);
  });
});

describe('operator settings every server inherits are checked', () => {
  it('refuses an IP address as default host, a bad class, registry and Secret name', () => {
    const settings = defaultOperatorSettings({
      MCP_DEFAULT_INGRESS_HOST: '127.0.0.1',
      DEFAULT_INGRESS_CLASS: 'My_Class',
      PROVISIONED_REGISTRY_URL: 'reg example.com',
      PROVISIONED_REGISTRY_SECRET_NAME: 'Creds!',
    });
    expect(operatorSettingsProblems(settings).map((p) => p.env)).toEqual([
      'MCP_DEFAULT_INGRESS_HOST',
      'DEFAULT_INGRESS_CLASS',
      'PROVISIONED_REGISTRY_URL',
      'PROVISIONED_REGISTRY_SECRET_NAME',
    ]);
    expect(operatorSettingsProblems(defaultOperatorSettings({ MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com', PROVISIONED_REGISTRY_URL: 'reg.example.com' }))).toEqual([]);
  });
});
