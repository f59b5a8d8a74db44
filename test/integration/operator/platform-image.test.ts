/**
 * The platform image, built from the Dockerfile as it stands (base image swapped for a local
 * stand-in, see src/local-cluster/platform-image.ts), runs what the platform's Deployments run,
 * confined as their pods are (user, read-only root with only the emptyDirs writable, no
 * capabilities): the operator's command reconciles a server against the real API server and
 * stops cleanly on SIGTERM; the gateway's command and the catalog's (the CLI on PATH) start and
 * answer. A flag node refuses in the image's environment, a missing file, a wrong path or a write
 * outside /tmp fails here.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildPlatformImage } from '../../../src/local-cluster/index.js';
import { freshNamespace, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin, installAllCrds, mcpServer, operatorIdentity, removeIdentity, serverPath } from './fixture.js';
import { renderedPodSpec } from '../../support/platform-container.js';
import { entrySettings, writeKubeconfig } from './subprocess.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const run = promisify(execFile);

const podman = (() => {
  try {
    execFileSync('podman', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!podman) console.warn('[platform image] SKIPPED: podman is not installed');
const describeIfPodman = podman ? describe : describe.skip;

const TAG = 'localhost/mcp-runtime-operator:integration';
// This host's podman: runc (crun fails on its hybrid cgroups) and no raising of rlimits. And as
// in a pod: no /etc/passwd entry made up for the container's user (podman adds one by default,
// which hid a catalog that could not start under Kubernetes).
const RUN = ['run', '--runtime', 'runc', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--passwd=false'];
const containers: string[] = [];

interface RenderedContainer {
  /** The container's command, as the platform's Deployment gives it. */
  readonly command: string[];
  /** podman flags for what the pod spec imposes: user, read-only root, capabilities, privilege escalation, emptyDirs. */
  readonly confinement: string[];
}

/** The first container of a platform Deployment, as rendered, with its pod's confinement. */
function container(name: string): RenderedContainer {
  const pod = renderedPodSpec(name);
  const c = pod.containers[0];
  const security = { ...pod.securityContext, ...c.securityContext };
  const emptyDirs = new Set((pod.volumes ?? []).filter((v: Obj) => v.emptyDir !== undefined).map((v: Obj) => v.name));
  return {
    command: c.command,
    confinement: [
      ...(security.runAsUser === undefined ? [] : ['--user', `${security.runAsUser}:${security.runAsGroup ?? security.runAsUser}`]),
      // Only the pod's emptyDirs are writable (podman's own tmpfs mounts under --read-only are off).
      ...(security.readOnlyRootFilesystem === true ? ['--read-only', '--read-only-tmpfs=false'] : []),
      ...((security.capabilities?.drop ?? []) as string[]).flatMap((cap) => ['--cap-drop', cap]),
      ...(security.allowPrivilegeEscalation === false ? ['--security-opt', 'no-new-privileges'] : []),
      ...((c.volumeMounts ?? []) as Obj[]).filter((m) => emptyDirs.has(m.name)).flatMap((m) => ['--tmpfs', m.mountPath]),
    ],
  };
}

/** `podman run` of the image as the Deployment runs it (entrypoint and arguments split as Kubernetes does). */
async function runCommand(
  c: RenderedContainer,
  options: { env?: Record<string, string>; volumes?: string[]; detach?: string; network?: 'none' | 'host'; args?: string[] } = {},
): Promise<{ code: number; out: string }> {
  const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const detach = options.detach === undefined ? ['--rm'] : ['-d', '--name', options.detach];
  const volumes = (options.volumes ?? []).flatMap((v) => ['-v', v]);
  const command = [...c.command, ...(options.args ?? [])];
  const args = [...RUN, ...detach, ...c.confinement, '--network', options.network ?? 'none', ...volumes, ...env, '--entrypoint', command[0]!, TAG, ...command.slice(1)];
  try {
    const { stdout, stderr } = await run('podman', args, { maxBuffer: 16 << 20 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describeIfPodman('the platform image (built from the Dockerfile)', () => {
  let ns: FreshNamespace;
  let kubeconfigDir: string;

  beforeAll(async () => {
    await buildPlatformImage({ repoRoot: resolve('.'), tag: TAG, log: (line) => console.log(`[platform image] ${line}`) });
    await installAllCrds();
    ns = await freshNamespace('image');
    // The image runs as 65532: give it a readable copy of the operator's kubeconfig (a test
    // ServiceAccount's token, removed after the file).
    kubeconfigDir = await mkdtemp(join(tmpdir(), 'mcp-image-kc-'));
    await chmod(kubeconfigDir, 0o755);
    const written = await writeKubeconfig(await operatorIdentity(ns.name));
    await copyFile(written, join(kubeconfigDir, 'config'));
    await rm(dirname(written), { recursive: true, force: true });
    await chmod(join(kubeconfigDir, 'config'), 0o644);
  }, 900_000);

  afterAll(async () => {
    for (const name of containers) await run('podman', ['rm', '-f', name]).catch(() => undefined);
    if (kubeconfigDir !== undefined) await rm(kubeconfigDir, { recursive: true, force: true });
    if (ns !== undefined) {
      await removeIdentity(ns.name);
      await ns.cleanup();
    }
  });

  it("runs the operator Deployment's command: reconciles a server, exits 0 on SIGTERM", async () => {
    const operator = container('mcp-runtime-operator');
    expect(operator.confinement).toEqual(expect.arrayContaining(['--user', '65532:65532', '--read-only', '--cap-drop', 'ALL', '--tmpfs', '/tmp']));
    const name = `mcp-operator-${ns.name}`;
    containers.push(name);
    const started = await runCommand(operator, {
      detach: name,
      network: 'host', // the test API server listens on 127.0.0.1
      volumes: [`${kubeconfigDir}:/kube:ro`],
      env: entrySettings('/kube/config', ns.name),
    });
    expect(started.code).toBe(0);
    await admin().request('POST', serverPath(ns.name), { body: mcpServer(ns.name, 'weather', { image: 'example/weather:1' }) });
    const server = await waitFor('the operator in the image to write status', () => admin().request<Obj>('GET', `${serverPath(ns.name)}/weather`), {
      until: (s) => s.status?.observedGeneration === s.metadata.generation,
      timeoutMs: 90_000,
      abortIf: () => {
        const state = execFileSync('podman', ['inspect', '-f', '{{.State.Status}}', name], { encoding: 'utf8' }).trim();
        return state === 'running' ? undefined : `the container is ${state}: ${execFileSync('podman', ['logs', name], { encoding: 'utf8' }).slice(-2000)}`;
      },
    });
    expect(server.status.conditions.map((c: Obj) => c.type)).toEqual(expect.arrayContaining(['Available', 'Routed', 'Ready']));
    const deployment = await admin().request<Obj>('GET', `/apis/apps/v1/namespaces/${ns.name}/deployments/weather`);
    expect(deployment.spec.template.spec.containers[0].image).toBe('example/weather:1');
    await run('podman', ['stop', '-t', '20', name]);
    const { stdout: exitCode } = await run('podman', ['inspect', '-f', '{{.State.ExitCode}}', name]);
    expect(exitCode.trim()).toBe('0');
    // The image's own user is numeric and not root (what runAsNonRoot needs when a pod sets no runAsUser).
    const { stdout: user } = await run('podman', ['image', 'inspect', '-f', '{{.Config.User}}', TAG]);
    expect(user.trim()).toBe('65532:65532');
  }, 180_000);

  it("runs the gateway Deployment's command: a bad setting is refused with exit 78, naming it", async () => {
    const r = await runCommand(container('mcp-gateway'), { env: { GATEWAY_DRAIN_SECONDS: 'abc' } });
    expect(r.code).toBe(78);
    expect(r.out).toContain('GATEWAY_DRAIN_SECONDS');
    expect(r.out).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("runs the catalog Deployment's command (the CLI on PATH): --help answers with the command's usage", async () => {
    const catalog = container('mcp-runtime-catalog');
    const r = await runCommand(catalog, { args: ['--help'] });
    expect(r.code).toBe(0);
    expect(r.out).toContain('catalog serve');
    const version = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect((await runCommand({ ...catalog, command: ['mcp-runtime', '--version'] })).out).toContain(`mcp-runtime/${version.version}`);
  }, 60_000);
});
