import { describe, expect, it } from '@jest/globals';
import { classifyPushFailure, lastErrorLine } from '../../../src/registry/errors.js';

const ctx = { registry: 'reg.example.com:5000', insecure: false, tool: 'skopeo' };
const fatal = (msg: string) => `time="2026-01-01T00:00:00Z" level=info msg="[graphdriver] using prior storage driver: overlay"\nGetting image source signatures\ntime="2026-01-01T00:00:01Z" level=fatal msg="${msg.replace(/"/g, '\\"')}"\n`;

describe('classifyPushFailure', () => {
  it('recognises certificate verification failures and says how to trust the CA', () => {
    const f = classifyPushFailure(fatal('trying to reuse blob sha256:401401 at destination: pinging container registry reg.example.com:5000: Get "https://reg.example.com:5000/v2/": x509: certificate signed by unknown authority'), ctx);
    expect(f.kind).toBe('tls-verify');
    expect(f.message).toMatch(/^TLS certificate verification failed for registry reg\.example\.com:5000: Get "https:\/\/reg\.example\.com:5000\/v2\/": x509: certificate signed by unknown authority/);
    expect(f.message).toMatch(/--cert-dir <folder>/);
    expect(f.message).toMatch(/--insecure-registry/);
  });

  it('recognises a plain-HTTP registry, an unreachable one, and refused credentials', () => {
    expect(classifyPushFailure('Error: pinging container registry r:1: Get "https://r:1/v2/": http: server gave HTTP response to HTTPS client', ctx).kind).toBe('tls-plain-http');
    expect(classifyPushFailure(fatal('dial tcp 127.0.0.1:1: connect: connection refused'), ctx)).toMatchObject({ kind: 'unreachable', message: expect.stringMatching(/is unreachable: dial tcp/) });
    expect(classifyPushFailure(fatal('dial tcp: lookup nowhere.invalid on 127.0.0.53:53: no such host'), ctx).kind).toBe('unreachable');
    expect(classifyPushFailure('Error: writing blob: initiating layer upload: unauthorized: authentication required', { ...ctx, tool: 'podman' })).toMatchObject({
      kind: 'unauthorized',
      message: expect.stringMatching(/podman login reg\.example\.com:5000/),
    });
  });

  it('does not mistake digits in a digest for an HTTP status', () => {
    expect(classifyPushFailure(fatal('copying sha256:4010000 failed: something odd'), ctx).kind).toBe('other');
  });

  it('falls back to the tool and its last error line', () => {
    expect(classifyPushFailure('some output\nError: manifest invalid', ctx)).toEqual({ kind: 'other', message: 'skopeo failed to push to reg.example.com:5000: manifest invalid' });
    expect(lastErrorLine('')).toBe('');
  });
});
