import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadOperatorConfig } from '../../../src/operator/config.js';

describe('operator configuration', () => {
  it('has safe defaults', () => {
    const config = loadOperatorConfig({});
    expect(config).toMatchObject({ ingressReadiness: 'strict', concurrency: 4, namespaces: [], metricsAddress: ':8080', healthAddress: ':8081', leaderElect: true, leaseNamespace: 'mcp-runtime' });
    expect(config.settings.defaultIngressClass).toBe('traefik');
    expect(config.settings.provisionedRegistry).toBeUndefined();
  });

  it('reads the environment the platform chart sets, and flags win', () => {
    const env = {
      INGRESS_READINESS: 'permissive',
      OPERATOR_CONCURRENCY: '8',
      WATCH_NAMESPACES: 'a, b',
      LEADER_ELECT: 'false',
      MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com',
      PROVISIONED_REGISTRY_URL: 'https://reg.example.com/',
      PROVISIONED_REGISTRY_USERNAME: 'ci',
      PROVISIONED_REGISTRY_PASSWORD: 's3cret',
    };
    const config = loadOperatorConfig(env, { concurrency: 2, defaultIngressHost: 'other.example.com' });
    expect(config).toMatchObject({ ingressReadiness: 'permissive', concurrency: 2, namespaces: ['a', 'b'], leaderElect: false });
    expect(config.settings.defaultIngressHost).toBe('other.example.com');
    expect(config.settings.provisionedRegistry).toMatchObject({ url: 'reg.example.com', username: 'ci', secretName: 'mcp-runtime-registry-creds' });
    expect(JSON.stringify(config)).not.toContain('s3cret');
  });

  it('verifies servers by default every 300 s; VERIFY_* variables and flags change it', () => {
    expect(loadOperatorConfig({})).toMatchObject({ verify: true, verifyIntervalSeconds: 300, verifyTimeoutSeconds: 10, verifyConcurrency: 4 });
    const config = loadOperatorConfig({ VERIFY_SERVERS: 'off', VERIFY_INTERVAL_SECONDS: '60', VERIFY_CONCURRENCY: '2' }, { verifyTimeoutSeconds: 3 });
    expect(config).toMatchObject({ verify: false, verifyIntervalSeconds: 60, verifyTimeoutSeconds: 3, verifyConcurrency: 2 });
    expect(() => loadOperatorConfig({ VERIFY_INTERVAL_SECONDS: '5' })).toThrow(/verifyIntervalSeconds \(VERIFY_INTERVAL_SECONDS\)/);
  });

  it('names the variable of an invalid value', () => {
    expect(() => loadOperatorConfig({ INGRESS_READINESS: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadOperatorConfig({ INGRESS_READINESS: 'sometimes' })).toThrow(/ingressReadiness \(INGRESS_READINESS\)/);
    expect(() => loadOperatorConfig({ OPERATOR_CONCURRENCY: '0' })).toThrow(/OPERATOR_CONCURRENCY/);
    expect(() => loadOperatorConfig({ WATCH_NAMESPACES: 'Bad_NS' })).toThrow(/WATCH_NAMESPACES/);
    // A namespace every server's NetworkPolicy would name: refused at start, not per server.
    expect(() => loadOperatorConfig({ MCP_INGRESS_NAMESPACE: 'Bad_NS' })).toThrow(/ingressNamespace \(MCP_INGRESS_NAMESPACE\) "Bad_NS": must be a namespace name/);
  });
});
