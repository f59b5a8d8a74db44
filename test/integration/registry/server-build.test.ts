// `server build` / `build push` end to end, as subprocesses: podman builds the FROM-scratch
// fixture, the image is pushed to a real registry, and image/imageTag are written back into a
// commented, two-document metadata file without disturbing anything else.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePorts } from '../../../src/local-cluster/ports.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { MANIFEST_ACCEPT, SCRATCH_FIXTURE, missingTools, removeImages, runCli, startRegistry, unwrap, type TestRegistry } from './fixture.js';

const skipReason = missingTools();
if (skipReason !== undefined) console.warn(`[server build tests] SKIPPED: ${skipReason}`);
const describeIfTools = skipReason === undefined ? describe : describe.skip;
const ENV = { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent-home' };

const METADATA = `# Servers of the demo repository.
version: v1   # file format
servers:
  # The hello server.
  - name: hello      # keep this comment
    port: 8088
    envVars: [{name: GREETING, value: "hi"}]

---
# A second document, other style.
version: v1
servers:
- name: other
  description: >-
    folded
    text
  build:
    dockerfile: Dockerfile
- name: untouched
  image: ghcr.io/acme/untouched
  imageTag: "1.0"   # pinned
`;

describeIfTools('server build / build push (CLI subprocess, real builder and registry)', () => {
  let registry: TestRegistry | undefined;
  let project = '';
  const images: string[] = [];

  beforeAll(async () => {
    registry = await startRegistry({ tls: false });
    project = mkdtempSync(join(tmpdir(), 'mcp-runtime-test-project-'));
    cpSync(SCRATCH_FIXTURE, project, { recursive: true });
    mkdirSync(join(project, '.mcp'));
    writeFileSync(join(project, '.mcp', 'metadata.yaml'), METADATA);
  });
  afterAll(async () => {
    await registry?.stop();
    rmSync(project, { recursive: true, force: true });
    removeImages(images);
  });

  const metadataFile = () => join(project, '.mcp', 'metadata.yaml');

  it('server build --push builds, pushes, and writes image/imageTag back keeping comments and layout', async () => {
    const run = await runCli(['server', 'build', 'hello', '--push', '--tag', 't1', '--registry', registry!.host, '--insecure-registry'], { cwd: project, env: ENV });
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.code).toBe(0);
    const reference = `${registry!.host}/hello:t1`;
    images.push(reference);
    const [ref, digest] = run.stdout.trim().split('@');
    expect(ref).toBe(reference);
    const manifest = await registry!.api('GET', '/v2/hello/manifests/t1', { Accept: MANIFEST_ACCEPT });
    expect(manifest.status).toBe(200);
    expect(manifest.headers['docker-content-digest']).toBe(digest);

    const expected = METADATA.replace(
      '    envVars: [{name: GREETING, value: "hi"}]\n',
      `    envVars: [{name: GREETING, value: "hi"}]\n    image: ${registry!.host}/hello\n    imageTag: t1\n`,
    );
    expect(readFileSync(metadataFile(), 'utf8')).toBe(expected);
  });

  it('build push (CI shorthand) updates the server in the second document only', async () => {
    const before = readFileSync(metadataFile(), 'utf8');
    const run = await runCli(['build', 'push', 'other', '--tag', 'ci-123', '--registry', registry!.host, '--insecure-registry'], { cwd: project, env: ENV });
    expect(run.code).toBe(0);
    images.push(`${registry!.host}/other:ci-123`);
    expect((await registry!.api('GET', '/v2/other/manifests/ci-123', { Accept: MANIFEST_ACCEPT })).status).toBe(200);
    const expected = before.replace('  build:\n    dockerfile: Dockerfile\n', `  build:\n    dockerfile: Dockerfile\n  image: ${registry!.host}/other\n  imageTag: ci-123\n`);
    expect(readFileSync(metadataFile(), 'utf8')).toBe(expected);
  });

  it('a failing build exits 10 with the builder output and leaves the metadata alone', async () => {
    const before = readFileSync(metadataFile(), 'utf8');
    const broken = join(project, 'Broken.Dockerfile');
    writeFileSync(broken, 'FROM scratch\nCOPY does-not-exist.txt /x\n');
    const run = await runCli(['server', 'build', 'hello', '--dockerfile', broken, '--registry', registry!.host], { cwd: project, env: ENV });
    rmSync(broken);
    expect(run.code).toBe(ExitCode.BUILD_FAILED);
    expect(unwrap(run.stderr)).toMatch(/build of hello failed/);
    expect(readFileSync(metadataFile(), 'utf8')).toBe(before);
  });

  it('build push to a registry nobody listens on: the build succeeds, the push fails with exit 9, the metadata is left alone', async () => {
    const before = readFileSync(metadataFile(), 'utf8');
    const [port] = await freePorts(1); // free now, so nothing listens there
    const run = await runCli(['build', 'push', 'other', '--tag', 'ci-fail', '--registry', `127.0.0.1:${port}`, '--insecure-registry'], { cwd: project, env: ENV });
    images.push(`127.0.0.1:${port}/other:ci-fail`);
    expect(run.code).toBe(ExitCode.PUSH_FAILED);
    expect(unwrap(run.stderr)).toMatch(new RegExp(`Registry 127\\.0\\.0\\.1:${port} is unreachable: .*connection refused`));
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readFileSync(metadataFile(), 'utf8')).toBe(before);
  });

  it('default tag: the git short SHA, `-dirty-<hash>` with changes in the context, but not for metadata changes', async () => {
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-C', project, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      return r.stdout.trim();
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'init');
    const sha = git('rev-parse', '--short', 'HEAD');
    const dry = async () => {
      const run = await runCli(['server', 'build', 'hello', '--dry-run', '--registry', registry!.host], { cwd: project, env: ENV });
      expect(run.code).toBe(0);
      return run.stdout.trim();
    };
    expect(await dry()).toBe(`${registry!.host}/hello:${sha}`);
    // Metadata changes (server build writes there itself) do not make the build dirty.
    writeFileSync(metadataFile(), readFileSync(metadataFile(), 'utf8') + '# touched\n');
    expect(await dry()).toBe(`${registry!.host}/hello:${sha}`);
    // A change to what is built does; the same change gives the same tag, another one another.
    writeFileSync(join(project, 'hello.txt'), 'changed\n');
    const dirty = await dry();
    expect(dirty).toMatch(new RegExp(`/hello:${sha}-dirty-[0-9a-f]{8}$`));
    expect(await dry()).toBe(dirty);
    writeFileSync(join(project, 'hello.txt'), 'changed again\n');
    expect(await dry()).not.toBe(dirty);
  });

  it('an unknown server is named with the ones that exist (exit 2)', async () => {
    const run = await runCli(['server', 'build', 'nope', '--dry-run'], { cwd: project, env: ENV });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(unwrap(run.stderr)).toMatch(/No server "nope" in .*\.mcp\. Servers there: hello, other, untouched\./);
  });
});
