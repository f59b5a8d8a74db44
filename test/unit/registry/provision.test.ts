import { describe, expect, it } from '@jest/globals';
import {
  OPERATOR_IMAGE_ANNOTATION,
  choosePassword,
  provisionedRegistrySecret,
  readProvisionedRegistry,
  validateProvisionInput,
} from '../../../src/registry/provision.js';
import type { KubeClient } from '../../../src/runtime/kube-http.js';
import { ApiError } from '../../../src/runtime/kube-http.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const fakeClient = (answer: unknown): KubeClient => ({ request: async () => { if (answer instanceof Error) throw answer; return answer; } }) as unknown as KubeClient;

describe('provisioned registry Secret', () => {
  it('is an Opaque Secret mcp-runtime/mcp-runtime-registry with url, username, password', () => {
    const secret = provisionedRegistrySecret({ url: 'https://reg.example.com/team/', username: 'ci', password: 's3cret', operatorImage: 'reg.example.com/team/op:1' });
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'mcp-runtime-registry',
        namespace: 'mcp-runtime',
        labels: { 'app.kubernetes.io/managed-by': 'mcp-runtime', 'app.kubernetes.io/component': 'registry-credentials' },
        annotations: { [OPERATOR_IMAGE_ANNOTATION]: 'reg.example.com/team/op:1' },
      },
      type: 'Opaque',
      data: { url: b64('reg.example.com/team'), username: b64('ci'), password: b64('s3cret') },
    });
    expect(Object.keys(provisionedRegistrySecret({ url: 'r.example.com' }).data)).toEqual(['url']);
  });

  it('validates the input', () => {
    expect(validateProvisionInput({ url: 'https://r.example.com:5000/', username: '', password: '' })).toEqual({ url: 'r.example.com:5000' });
    expect(() => validateProvisionInput({ url: '' })).toThrow(/--url is empty/);
    expect(() => validateProvisionInput({ url: 'not a host' })).toThrow(/not a registry address/);
    expect(() => validateProvisionInput({ url: 'r.example.com', password: 'x' })).toThrow(/without --username/);
    expect(() => validateProvisionInput({ url: 'r.example.com', operatorImage: 'UPPER/x' })).toThrow(/--operator-image/);
  });

  it('password sources: stdin, then the environment, then the flag', () => {
    expect(choosePassword({ stdin: 'a\n', env: 'b', flag: 'c' })).toEqual({ password: 'a', source: 'stdin' });
    expect(choosePassword({ env: 'b', flag: 'c' })).toEqual({ password: 'b', source: 'env' });
    expect(choosePassword({ env: '', flag: 'c' })).toEqual({ password: 'c', source: 'flag' });
    expect(choosePassword({})).toEqual({});
    expect(() => choosePassword({ stdin: '\n' })).toThrow(/stdin was empty/);
  });

  it('readProvisionedRegistry returns everything but the password', async () => {
    const secret = { metadata: { annotations: { [OPERATOR_IMAGE_ANNOTATION]: 'r/op:1' } }, data: { url: b64('r.example.com'), username: b64('ci'), password: b64('pw') } };
    expect(await readProvisionedRegistry(fakeClient(secret))).toEqual({
      url: 'r.example.com',
      username: 'ci',
      secretName: 'mcp-runtime-registry',
      namespace: 'mcp-runtime',
      passwordKey: 'password',
      hasPassword: true,
      operatorImage: 'r/op:1',
    });
    expect(JSON.stringify(await readProvisionedRegistry(fakeClient(secret)))).not.toContain('pw');
    expect(await readProvisionedRegistry(fakeClient(new ApiError(404, undefined, 'GET', '/x')))).toBeUndefined();
    await expect(readProvisionedRegistry(fakeClient({ data: {} }))).rejects.toThrow(/has no "url" key/);
  });
});
