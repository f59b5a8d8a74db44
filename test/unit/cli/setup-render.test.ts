import { describe, expect, it } from '@jest/globals';
import { renderObjects, type SetupOptions } from '../../../src/setup/setup.js';

const options: SetupOptions = { ingress: 'traefik', platform: { ingressVariant: 'prod' }, forceIngressInstall: false, dryRun: true, wait: false, timeoutMs: 1000, log: () => undefined };

type Env = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };

async function operatorEnv(registry: Parameters<typeof renderObjects>[0]['registry']): Promise<Env[]> {
  const { objects } = await renderObjects({ registry, ingress: 'traefik' }, options);
  const operator = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'mcp-runtime-operator') as unknown as {
    spec: { template: { spec: { containers: { env: Env[] }[] } } };
  };
  return operator.spec.template.spec.containers[0]!.env;
}

describe('setup with a provisioned registry', () => {
  it('gives the operator the URL, the user and the password by Secret reference', async () => {
    const env = await operatorEnv({ mode: 'external', url: 'reg.example.com', username: 'ci', secret: 'mcp-runtime-registry' });
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'PROVISIONED_REGISTRY_URL', value: 'reg.example.com' },
        { name: 'PROVISIONED_REGISTRY_USERNAME', value: 'ci' },
        { name: 'PROVISIONED_REGISTRY_PASSWORD', valueFrom: { secretKeyRef: { name: 'mcp-runtime-registry', key: 'password', optional: true } } },
      ]),
    );
  });

  it('sets no registry variables with the internal registry', async () => {
    const env = await operatorEnv({ mode: 'internal' });
    expect(env.map((e) => e.name).filter((n) => n.startsWith('PROVISIONED_REGISTRY'))).toEqual([]);
  });
});
