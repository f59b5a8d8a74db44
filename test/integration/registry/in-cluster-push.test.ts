// The in-cluster push helper pod against the real API server, in a namespace that enforces
// Pod Security "restricted". Pods are simulated by KWOK (nothing really runs), so the test
// plays the kubelet: it writes the pod status a finished (or failed) skopeo would leave, and
// checks what can be checked for real: admission under restricted, the flow reading the
// result from the status, and that the pod is deleted on success, on failure and on Ctrl-C.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { PushFailedError } from '../../../src/registry/errors.js';
import { pushInCluster, type InClusterPushDeps } from '../../../src/registry/in-cluster-push.js';
import { PUSH_CONTAINER, PUSH_POD_LABELS, RECEIVE_CONTAINER } from '../../../src/registry/push-pod.js';
import { KubeClient, isNotFound } from '../../../src/runtime/kube-http.js';
import { freshNamespace, kubeConfig, waitFor, type FreshNamespace } from '../harness/index.js';
import { buildScratchImage, missingTools, removeImages, runCli } from './fixture.js';

const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };
const DESTINATION = 'registry.registry.svc.cluster.local:5000/team/server:1.0';
const DIGEST = `sha256:${'c'.repeat(64)}`;

interface PodList {
  items: V1Pod[];
}

describe('registry push --mode in-cluster (helper pod, real API server)', () => {
  let kc: KubeConfig;
  let client: KubeClient;
  let ns: FreshNamespace;
  const images: string[] = [];

  beforeAll(async () => {
    kc = kubeConfig();
    client = new KubeClient(kc);
    ns = await freshNamespace('push', RESTRICTED, kc);
  });
  afterAll(async () => {
    await ns?.cleanup();
    removeImages(images);
  });

  const podPath = (name: string) => `/api/v1/namespaces/${ns.name}/pods/${name}`;

  /** The helper pod once KWOK has "started" it (it then has a pod IP). */
  /** The helper pod once it runs; when `push` is given and ends first, fails with its outcome (not a bare timeout). */
  async function runningPod(push?: Promise<unknown>): Promise<V1Pod> {
    let ended: string | undefined;
    void push?.then((outcome) => (ended = outcome instanceof Error ? outcome.message : String(outcome)));
    return waitFor(
      'the helper pod to be created and started by KWOK',
      async () => {
        const list = await client.request<PodList>('GET', `/api/v1/namespaces/${ns.name}/pods`, {
          query: { labelSelector: `app.kubernetes.io/name=${PUSH_POD_LABELS['app.kubernetes.io/name']}` },
        });
        return list.items.find((p) => p.status?.podIP !== undefined && p.metadata?.deletionTimestamp === undefined);
      },
      // The archive way exports the image (podman save) before the pod exists: slow on a busy machine.
      { timeoutMs: 120_000, intervalMs: 50, abortIf: () => (ended === undefined ? undefined : `the push ended before its pod ran: ${ended}`) },
    ) as Promise<V1Pod>;
  }

  /** Plays the kubelet: the push container terminated with `exitCode` and `message`. */
  async function finish(pod: V1Pod, exitCode: number, message: string): Promise<void> {
    const now = new Date().toISOString();
    const current = await client.request<V1Pod>('GET', podPath(pod.metadata!.name!));
    const status = {
      ...current.status,
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: (current.status?.containerStatuses ?? []).map((c) =>
        c.name === PUSH_CONTAINER
          ? { ...c, ready: false, state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', message, startedAt: now, finishedAt: now } } }
          : c,
      ),
    };
    await client.request('PUT', `${podPath(pod.metadata!.name!)}/status`, { body: { ...current, status } });
  }

  async function expectGone(name: string): Promise<void> {
    try {
      await client.request('GET', podPath(name));
    } catch (error) {
      expect(isNotFound(error)).toBe(true);
      return;
    }
    throw new Error(`pod ${name} still exists`);
  }

  const deps = (extra: Partial<InClusterPushDeps> = {}): InClusterPushDeps => ({
    client,
    pollIntervalMs: 100,
    deleteTimeoutMs: 15_000,
    startTimeoutMs: 30_000,
    followLogs: () => () => {},
    podNameSuffix: randomBytes(4).toString('hex'),
    ...extra,
  });

  it('runs in a namespace that really enforces restricted (a non-compliant pod is rejected)', async () => {
    await expect(
      client.request('POST', `/api/v1/namespaces/${ns.name}/pods`, {
        body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'not-restricted' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      }),
    ).rejects.toMatchObject({ code: 403, message: expect.stringMatching(/violates PodSecurity "restricted/) });
  });

  it('success: the pod is admitted under restricted, the digest comes from its status, and it is deleted', async () => {
    const lines: string[] = [];
    const push = pushInCluster(
      { source: 'docker://ghcr.io/example/server:1.0', destination: DESTINATION, destinationTlsVerify: false, namespace: ns.name },
      deps({ log: (l) => lines.push(l) }),
    );
    const pod = await runningPod();
    // What the API server admitted under restricted.
    const spec = pod.spec!;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.initContainers ?? []).toEqual([]);
    const container = spec.containers[0]!;
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.command).toEqual(expect.arrayContaining(['skopeo', 'copy', 'docker://ghcr.io/example/server:1.0', `docker://${DESTINATION}`, '--dest-tls-verify=false']));
    await finish(pod, 0, DIGEST);
    const result = await push;
    expect(result).toEqual({ destination: DESTINATION, digest: DIGEST, podName: pod.metadata!.name, namespace: ns.name });
    await expectGone(pod.metadata!.name!);
    expect(lines.join('\n')).toMatch(/Deleted helper pod/);
  });

  it('failure: the skopeo error is explained and the pod is deleted', async () => {
    const push = pushInCluster(
      { source: 'docker://ghcr.io/example/server:1.0', destination: 'reg.example.com/team/server:1.0', destinationTlsVerify: true, namespace: ns.name },
      deps(),
    );
    const failed = push.catch((error: unknown) => error);
    const pod = await runningPod();
    await finish(pod, 1, 'time="2026-01-01T00:00:00Z" level=fatal msg="pinging container registry reg.example.com: Get \\"https://reg.example.com/v2/\\": x509: certificate signed by unknown authority"');
    const error = await failed;
    expect(error).toBeInstanceOf(PushFailedError);
    expect((error as Error).message).toMatch(/TLS certificate verification failed for registry reg\.example\.com/);
    await expectGone(pod.metadata!.name!);
  });

  it('failure: a helper image that cannot be pulled fails fast with what to do, and the pod is deleted', async () => {
    const push = pushInCluster(
      { source: 'docker://ghcr.io/example/server:1.0', destination: DESTINATION, destinationTlsVerify: false, namespace: ns.name, helperImage: 'example.invalid/skopeo:1' },
      deps(),
    );
    const failed = push.catch((error: unknown) => error);
    const pod = await runningPod();
    const current = await client.request<V1Pod>('GET', podPath(pod.metadata!.name!));
    await client.request('PUT', `${podPath(pod.metadata!.name!)}/status`, {
      body: {
        ...current,
        status: {
          ...current.status,
          phase: 'Pending',
          containerStatuses: [{ name: PUSH_CONTAINER, image: 'example.invalid/skopeo:1', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }],
        },
      },
    });
    const error = await failed;
    expect((error as Error).message).toMatch(/ImagePullBackOff/);
    expect((error as Error).message).toMatch(/--helper-image/);
    await expectGone(pod.metadata!.name!);
  });

  it('interrupt: aborting (Ctrl-C) deletes the pod', async () => {
    const controller = new AbortController();
    const push = pushInCluster(
      { source: 'docker://ghcr.io/example/server:1.0', destination: DESTINATION, destinationTlsVerify: false, namespace: ns.name },
      deps({ signal: controller.signal }),
    );
    const failed = push.catch((error: unknown) => error);
    const pod = await runningPod();
    controller.abort();
    const error = await failed;
    expect((error as Error).message).toMatch(/Interrupted/);
    await expectGone(pod.metadata!.name!);
  });

  const skipArchive = missingTools();
  (skipArchive === undefined ? it : it.skip)(
    'archive way: a real local image is exported, the admitted pod carries its checksum, and the pod is deleted when the stream cannot be delivered',
    async () => {
      const image = buildScratchImage();
      images.push(image);
      const push = pushInCluster(
        { source: image, destination: DESTINATION, destinationTlsVerify: false, namespace: ns.name, tool: 'skopeo' },
        deps({
          // KWOK marks init containers Completed at once, so there is no receive container to attach
          // to; a real kubelet would run it. The stream must then never be attempted.
          streamArchive: async () => {
            throw new Error('streamArchive must not be called when the receive container is not running');
          },
        }),
      );
      const failed = push.catch((error: unknown) => error);
      const seen = await runningPod(failed);
      const error = await failed;
      const receive = seen.spec!.initContainers?.find((c) => c.name === RECEIVE_CONTAINER);
      expect(receive).toMatchObject({ stdin: true, stdinOnce: true, command: ['sh', '-c', expect.stringContaining('sha256sum')] });
      const env = Object.fromEntries((receive!.env ?? []).map((e) => [e.name, e.value]));
      expect(env.ARCHIVE_SHA256).toMatch(/^[0-9a-f]{64}$/);
      expect(Number(env.ARCHIVE_BYTES)).toBeGreaterThan(0);
      expect(seen.spec!.containers[0]!.command).toContain('oci-archive:/work/image.tar');
      expect((error as Error).message).toMatch(/receive container is not running/);
      await expectGone(seen.metadata!.name!);
    },
    240_000,
  );

  it('CLI: `registry push --mode in-cluster` exits non-zero with the message and no stack trace, and deletes the pod', async () => {
    const cli = runCli(
      ['registry', 'push', '--image', 'docker://ghcr.io/example/server:1.0', '--name', 'server:1.0', '--mode', 'in-cluster', '--namespace', ns.name, '--timeout', '60'],
      { env: { KUBECONFIG: process.env.MCP_TEST_KUBECONFIG } },
    );
    const pod = await runningPod();
    await finish(pod, 1, 'time="2026-01-01T00:00:00Z" level=fatal msg="writing blob: connection refused"');
    const result = await cli;
    expect(result.code).toBe(ExitCode.PUSH_FAILED);
    expect(result.stderr).toMatch(/Error: .*(unreachable|connection refused)/s);
    expect(result.stderr).toMatch(/Deleted helper pod/);
    expect(result.stderr).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
    await expectGone(pod.metadata!.name!);
  });

  it('a missing namespace is reported clearly and leaves nothing behind', async () => {
    await expect(
      pushInCluster({ source: 'docker://ghcr.io/example/server:1.0', destination: DESTINATION, destinationTlsVerify: false, namespace: `missing-${randomBytes(3).toString('hex')}` }, deps()),
    ).rejects.toThrow(/does not exist/);
  });
});
