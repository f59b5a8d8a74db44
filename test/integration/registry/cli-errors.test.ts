// `registry push` run as a subprocess, the way users and CI run it: failures are one clear
// message and a non-zero exit code, never a stack trace; successes print the pushed
// reference with its digest. Real docker-registry instances; no Kubernetes needed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePorts } from '../../../src/local-cluster/ports.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { MANIFEST_ACCEPT, buildScratchImage, missingTools, removeImages, runCli, startRegistry, unwrap, type TestRegistry } from './fixture.js';

const skipReason = missingTools();
if (skipReason !== undefined) console.warn(`[registry CLI tests] SKIPPED: ${skipReason}`);
const describeIfTools = skipReason === undefined ? describe : describe.skip;
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
// No kubeconfig: direct pushes must not need a cluster.
const ENV = { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent-home' };

describeIfTools('registry push (CLI subprocess): exit codes and messages', () => {
  let plain: TestRegistry | undefined;
  let tls: TestRegistry | undefined;
  let image = '';
  const images: string[] = [];

  beforeAll(async () => {
    [plain, tls] = await Promise.all([startRegistry({ tls: false }), startRegistry({ tls: true })]);
    image = buildScratchImage();
    images.push(image);
  });
  afterAll(async () => {
    await Promise.allSettled([plain?.stop(), tls?.stop()]);
    removeImages(images);
  });

  it('an unreachable registry: exit 9, "unreachable", no stack trace', async () => {
    const [port] = await freePorts(1); // free now, so nothing listens there
    const run = await runCli(['registry', 'push', '--image', image, '--registry', `127.0.0.1:${port}`, '--tool', 'skopeo'], { env: ENV });
    expect(run.code).toBe(ExitCode.PUSH_FAILED);
    expect(unwrap(run.stderr)).toMatch(new RegExp(`Error: Registry 127\\.0\\.0\\.1:${port} is unreachable: .*connection refused`));
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stdout).toBe('');
  });

  it.each(['skopeo', 'podman'])('a TLS registry whose CA is not trusted (%s): exit 9, certificate-verification message, no stack trace', async (tool) => {
    const run = await runCli(['registry', 'push', '--image', image, '--registry', tls!.host, '--tool', tool], { env: ENV });
    expect(run.code).toBe(ExitCode.PUSH_FAILED);
    const text = unwrap(run.stderr);
    expect(text).toMatch(/Error: TLS certificate verification failed for registry 127\.0\.0\.1:\d+/);
    expect(text).toMatch(/x509: certificate signed by unknown authority/);
    expect(text).toMatch(/--cert-dir/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('the same TLS registry with --cert-dir: exit 0, prints reference@digest that the registry serves', async () => {
    const run = await runCli(['registry', 'push', '--image', image, '--registry', tls!.host, '--name', 'cli/tls:v1', '--cert-dir', tls!.certDir!], { env: ENV });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(0);
    const match = /^(.+)@(sha256:[0-9a-f]{64})$/.exec(run.stdout.trim());
    expect(match?.[1]).toBe(`${tls!.host}/cli/tls:v1`);
    const manifest = await tls!.api('GET', '/v2/cli/tls/manifests/v1', { Accept: MANIFEST_ACCEPT });
    expect(manifest.headers['docker-content-digest']).toBe(match?.[2]);
  });

  it('plain HTTP only with --insecure-registry, and then with a warning', async () => {
    const refused = await runCli(['registry', 'push', '--image', image, '--registry', plain!.host, '--name', 'cli/plain:v1'], { env: ENV });
    expect(refused.code).toBe(ExitCode.PUSH_FAILED);
    expect(unwrap(refused.stderr)).toMatch(/speaks plain HTTP, not HTTPS.*--insecure-registry/);

    const run = await runCli(['registry', 'push', '--image', image, '--registry', plain!.host, '--name', 'cli/plain:v1', '--insecure-registry', '--json'], { env: ENV });
    expect(run.code).toBe(0);
    expect(unwrap(run.stderr)).toMatch(/Warning: TLS verification is OFF for 127\.0\.0\.1:\d+ \(--insecure-registry\)/);
    const result = JSON.parse(run.stdout) as { destination: string; digest: string; mode: string; tlsVerified: boolean };
    expect(result).toMatchObject({ destination: `${plain!.host}/cli/plain:v1`, mode: 'direct', tlsVerified: false });
    const manifest = await plain!.api('GET', '/v2/cli/plain/manifests/v1', { Accept: MANIFEST_ACCEPT });
    expect(manifest.headers['docker-content-digest']).toBe(result.digest);
  });

  it('bad input: exit 2 with the reason, no stack trace', async () => {
    const run = await runCli(['registry', 'push', '--image', image, '--registry', plain!.host, '--name', 'Not/Valid'], { env: ENV });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(unwrap(run.stderr)).toMatch(/--name: invalid image reference "Not\/Valid"/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
