// Direct pushes against a real registry (Debian's docker-registry, the CNCF distribution
// registry) on 127.0.0.1: plain HTTP (only with --insecure-registry) and TLS with a
// throw-away CA (trusted through --cert-dir, refused without it). Every push is checked
// through the registry API: the manifest exists and its Docker-Content-Digest is the digest
// the tool reported. Runs without the Kubernetes control plane.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushDirect } from '../../../src/registry/direct-push.js';
import { PushFailedError, RegistryUsageError } from '../../../src/registry/errors.js';
import type { PushTool } from '../../../src/registry/tools.js';
import { MANIFEST_ACCEPT, buildScratchImage, dockerDaemonAnswers, missingTools, removeImages, startRegistry, type TestRegistry } from './fixture.js';

const skipReason = missingTools();
if (skipReason !== undefined) console.warn(`[registry tests] SKIPPED: ${skipReason}`);
const describeIfTools = skipReason === undefined ? describe : describe.skip;

const hasDocker = skipReason === undefined && dockerDaemonAnswers();
if (skipReason === undefined && !hasDocker) {
  console.warn('[registry tests] docker: skipped, no Docker daemon answers here (the docker CLI alone cannot push)');
}
const TOOLS: PushTool[] = ['skopeo', 'podman', ...(hasDocker ? (['docker'] as const) : [])];
// docker takes a registry CA only from /etc/docker/certs.d and cannot skip TLS per command.
const CERT_DIR_TOOLS: PushTool[] = ['skopeo', 'podman'];

async function expectPushFailure(promise: Promise<unknown>, kind: new (message: string) => Error = PushFailedError): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as Error;
  }
  throw new Error('expected the push to fail, but it succeeded');
}

async function expectManifest(registry: TestRegistry, repository: string, tag: string, digest: string | undefined): Promise<void> {
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  const res = await registry.api('GET', `/v2/${repository}/manifests/${tag}`, { Accept: MANIFEST_ACCEPT });
  expect(res.status).toBe(200);
  expect(res.headers['docker-content-digest']).toBe(digest);
  // The manifest is also addressable by that digest.
  const byDigest = await registry.api('HEAD', `/v2/${repository}/manifests/${digest}`, { Accept: MANIFEST_ACCEPT });
  expect(byDigest.status).toBe(200);
}

describeIfTools('registry push --mode direct against a real registry', () => {
  let plain: TestRegistry | undefined;
  let tls: TestRegistry | undefined;
  let image = '';
  const images: string[] = [];

  beforeAll(async () => {
    plain = await startRegistry({ tls: false });
    tls = await startRegistry({ tls: true });
    image = buildScratchImage();
    images.push(image);
  });

  afterAll(async () => {
    await Promise.allSettled([plain?.stop(), tls?.stop()]);
    removeImages(images);
  });

  describe.each(TOOLS)('with %s', (tool) => {
    it('pushes over plain HTTP with --insecure-registry; the registry serves the reported digest', async () => {
      const repository = `direct/${tool}-plain`;
      const result = await pushDirect({ source: image, destination: `${plain!.host}/${repository}:v1`, insecure: true, tool });
      expect(result.tool).toBe(tool);
      await expectManifest(plain!, repository, 'v1', result.digest);
    });

    it('refuses a plain-HTTP registry without --insecure-registry (TLS is the default)', async () => {
      const error = await expectPushFailure(pushDirect({ source: image, destination: `${plain!.host}/direct/${tool}-refused:v1`, insecure: false, tool }));
      expect(error.message).toMatch(/plain HTTP/);
      expect(error.message).toMatch(/--insecure-registry/);
      expect((await plain!.api('GET', `/v2/direct/${tool}-refused/manifests/v1`, { Accept: MANIFEST_ACCEPT })).status).toBe(404);
    });
  });

  describe.each(CERT_DIR_TOOLS)('TLS with %s', (tool) => {
    it('verifies the certificate against the CA given with --cert-dir and pushes', async () => {
      const repository = `direct/${tool}-tls`;
      const result = await pushDirect({ source: image, destination: `${tls!.host}/${repository}:v1`, insecure: false, certDir: tls!.certDir!, tool });
      await expectManifest(tls!, repository, 'v1', result.digest);
    });

    it('fails with a certificate-verification message when the CA is not trusted', async () => {
      const error = await expectPushFailure(pushDirect({ source: image, destination: `${tls!.host}/direct/${tool}-untrusted:v1`, insecure: false, tool }));
      expect(error.message).toMatch(/TLS certificate verification failed for registry 127\.0\.0\.1:\d+/);
      expect(error.message).toMatch(/--cert-dir/);
      expect(error.message).toMatch(/unknown authority|certificate/);
      expect((await tls!.api('GET', `/v2/direct/${tool}-untrusted/manifests/v1`, { Accept: MANIFEST_ACCEPT })).status).toBe(404);
    });
  });

  it('pushes an OCI archive with skopeo (the transport the in-cluster helper uses)', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'mcp-runtime-test-archive-'));
    try {
      const archive = join(dir, 'image.tar');
      const saved = spawnSync('podman', ['save', '--format', 'oci-archive', '-o', archive, image], { encoding: 'utf8' });
      expect({ status: saved.status, stderr: saved.status === 0 ? '' : saved.stderr }).toEqual({ status: 0, stderr: '' });
      const result = await pushDirect({ source: `oci-archive:${archive}`, destination: `${plain!.host}/direct/archive:v1`, insecure: true, tool: 'skopeo' });
      await expectManifest(plain!, 'direct/archive', 'v1', result.digest);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a missing local image clearly', async () => {
    const error = await expectPushFailure(
      pushDirect({ source: 'localhost/mcp-runtime-test-does-not-exist:1', destination: `${plain!.host}/x:1`, insecure: true, tool: 'skopeo' }),
      // A wrong --image is the user's input, not a failed push: a usage error (exit 2).
      RegistryUsageError,
    );
    expect(error.message).toMatch(/not in the local container storage/);
  });
});
