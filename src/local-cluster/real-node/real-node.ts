/**
 * A real node next to the local control plane: containerd (+ runc and the CNI bridge), a kubelet
 * and kube-proxy as host processes, so pods really run, pull images, get probed and serve
 * traffic. Everything lives under <control-plane dir>/node; what cannot (links, iptables rules,
 * network namespaces, cgroups) is removed by scripts/control-plane/real-node-teardown.sh on
 * every exit path (stop(), the exit hook, the watchdog).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { apiRequest } from '../api-get.js';
import { findBuildScript } from '../binaries.js';
import { issueCert, type ClusterCerts } from '../certs.js';
import { SERVICE_CLUSTER_IP_RANGE } from '../components.js';
import { writeAdminKubeconfig } from '../kubeconfig.js';
import { freePorts } from '../ports.js';
import type { ManagedProcess } from '../process.js';
import type { LogFn } from '../types.js';
import { waitFor } from '../wait.js';
import { kubernetesEndpointObjects, startApiForwarder, type ApiForwarder } from './api-forwarder.js';
import { cniConfList } from './cni-config.js';
import { containerdConfig, plainHttpHostsToml, type ContainerdPaths } from './containerd-config.js';
import { checkHostSupport } from './host-support.js';
import { kubeProxyConfig } from './kube-proxy-config.js';
import { kubeletArgs, kubeletConfig, type KubeletPaths } from './kubelet-config.js';
import { NODE_IP, NODE_LINK, REAL_NODE_NAME } from './network.js';
import { obtainNodeImages, type NodeImage, type NODE_IMAGE_KEYS } from './node-images.js';

const run = promisify(execFile);

/** The name the platform's registry Deployment asks for (`registry:2`); we import our build under it. */
const REGISTRY_IMAGE_ALIAS = 'docker.io/library/registry:2';

export interface RealNodeContext {
  /** The control plane's data dir; the node lives in <dir>/node. */
  dir: string;
  certs: ClusterCerts;
  server: string;
  kc: KubeConfig;
  kubelet: string;
  kubeProxy: string;
  log: LogFn;
  timeoutMs: number;
  /** Starts a process the control plane tracks (watchdog, stop(), unexpectedExit). */
  launch: (name: string, binary: string, args: string[], env?: NodeJS.ProcessEnv) => ManagedProcess;
  /** A message if a tracked process died. */
  died: () => string | undefined;
}

export interface RealNodeTimings {
  imagesMs: number;
  containerdReadyMs: number;
  nodeReadyMs: number;
}

export interface RealNode {
  name: string;
  ip: string;
  dir: string;
  containerdSocket: string;
  images: Record<(typeof NODE_IMAGE_KEYS)[number], NodeImage>;
  timings: RealNodeTimings;
  /** Lets containerd pull `host` (as named in image references) over plain HTTP from `endpoint` (http://ip:port). */
  allowPlainHttpRegistry(host: string, endpoint: string): Promise<void>;
  /** ctr against this node's containerd, namespace k8s.io. */
  ctr(args: string[]): Promise<string>;
  /** Graceful: pods deleted through the kubelet (CNI DEL runs), processes stopped, host state removed. */
  stop(): Promise<void>;
  /** Exit-hook variant: kill and clean synchronously. */
  stopSync(): void;
}

function teardownScript(): string {
  return join(dirname(findBuildScript()), 'real-node-teardown.sh');
}

export async function startRealNode(ctx: RealNodeContext): Promise<RealNode> {
  const host = checkHostSupport();
  if (!host.ok) throw new Error(`cannot start a real node: ${host.reason}`);
  const { programs, cniBinDir } = host.support;
  const { log } = ctx;
  const nodeDir = join(ctx.dir, 'node');
  const teardownArgs = [teardownScript(), nodeDir, ctx.kubeProxy];
  const processes: ManagedProcess[] = [];
  const launch = (name: string, binary: string, args: string[]) => {
    const p = ctx.launch(name, binary, args);
    processes.push(p);
    return p;
  };
  const abortIf = ctx.died;

  if (existsSync(`/sys/class/net/${NODE_LINK}`)) {
    throw new Error(
      `cannot start a real node: link ${NODE_LINK} exists, so another real node runs on this host (only one can: ` +
        'port 10250 and the link names are fixed) or one was left behind; scripts/control-plane/check-clean.sh lists what remains',
    );
  }

  const imagesStarted = performance.now();
  const images = await obtainNodeImages(log);
  const imagesMs = Math.round(performance.now() - imagesStarted);

  await mkdir(nodeDir, { recursive: true });
  // Written first: from here on every exit path must clean the host.
  await writeFile(join(nodeDir, 'teardown.sh'), `#!/bin/sh\nexec bash ${teardownArgs.map((a) => JSON.stringify(a)).join(' ')}\n`, { mode: 0o755 });
  const netnsBefore = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  await writeFile(join(nodeDir, 'netns-before'), netnsBefore.join('\n') + '\n');

  let stopping: Promise<void> | undefined;
  let apiForwarder: ApiForwarder | undefined;
  const cleanHost = () => spawnSync('bash', teardownArgs, { stdio: 'ignore', timeout: 60_000 });
  const stopSync = () => {
    void apiForwarder?.close();
    for (const p of processes) {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    cleanHost();
  };

  const paths: ContainerdPaths = {
    root: join(nodeDir, 'containerd', 'root'),
    state: join(nodeDir, 'containerd', 'state'),
    socket: join(nodeDir, 'containerd', 'containerd.sock'),
    runcRoot: join(nodeDir, 'containerd', 'runc'),
    cniConfDir: join(nodeDir, 'cni', 'net.d'),
    cniBinDir,
    registryConfigDir: join(nodeDir, 'containerd', 'certs.d'),
  };
  const ctr = async (args: string[]) =>
    (await run(programs.ctr as string, ['--address', paths.socket, '--namespace', 'k8s.io', ...args], { maxBuffer: 16 << 20 })).stdout;

  const drainAndStop = async () => {
    try {
      await drainPods(ctx.kc, ctr, log);
    } catch (error) {
      log(`real node: could not delete every pod through the kubelet (${(error as Error).message}); killing them instead`);
    }
    await apiForwarder?.close();
    for (const p of [...processes].reverse()) await p.stop(10_000);
    cleanHost();
  };

  try {
    await run(programs.ip as string, ['link', 'add', NODE_LINK, 'type', 'bridge']);
    await run(programs.ip as string, ['addr', 'add', `${NODE_IP}/32`, 'dev', NODE_LINK]);
    await run(programs.ip as string, ['link', 'set', NODE_LINK, 'up']);
    // ClusterIPs are only rewritten (kube-proxy's DNAT) after routing picked an interface. Routed
    // to our link, a ClusterIP kube-proxy has not programmed yet is dropped here instead of
    // following the default route off the host. Goes away with the link.
    await run(programs.ip as string, ['route', 'add', SERVICE_CLUSTER_IP_RANGE, 'dev', NODE_LINK]);

    for (const d of [paths.root, paths.state, paths.runcRoot, paths.cniConfDir, paths.registryConfigDir, join(nodeDir, 'cni', 'ipam'), join(nodeDir, 'kubelet'), join(nodeDir, 'pod-logs')]) {
      await mkdir(d, { recursive: true });
    }
    const pki = join(nodeDir, 'pki');
    await mkdir(pki, { mode: 0o700 });
    const kubeletClient = { cert: join(pki, 'kubelet-client.crt'), key: join(pki, 'kubelet-client.key') };
    const kubeletServing = { cert: join(pki, 'kubelet.crt'), key: join(pki, 'kubelet.key') };
    const proxyClient = { cert: join(pki, 'kube-proxy.crt'), key: join(pki, 'kube-proxy.key') };
    await Promise.all([
      // The Node authorizer and NodeRestriction admission know a kubelet by this identity.
      issueCert(ctx.certs, kubeletClient, `/O=system:nodes/CN=system:node:${REAL_NODE_NAME}`, 'clientAuth'),
      issueCert(ctx.certs, kubeletServing, `/CN=${REAL_NODE_NAME}`, 'serverAuth', `IP:${NODE_IP},IP:127.0.0.1,DNS:${REAL_NODE_NAME}`),
      // The user the built-in ClusterRole system:node-proxier is bound to.
      issueCert(ctx.certs, proxyClient, '/CN=system:kube-proxy', 'clientAuth'),
    ]);
    const proxyKubeconfig = join(nodeDir, 'kube-proxy.kubeconfig');
    await writeAdminKubeconfig(proxyKubeconfig, {
      server: ctx.server,
      caCert: ctx.certs.caCert,
      clientCert: proxyClient.cert,
      clientKey: proxyClient.key,
      name: 'kube-proxy',
    });
    const kubeletKubeconfig = join(nodeDir, 'kubelet.kubeconfig');
    await writeAdminKubeconfig(kubeletKubeconfig, {
      server: ctx.server,
      caCert: ctx.certs.caCert,
      clientCert: kubeletClient.cert,
      clientKey: kubeletClient.key,
      name: REAL_NODE_NAME,
    });

    const containerdStarted = performance.now();
    const containerdToml = join(nodeDir, 'containerd', 'config.toml');
    await writeFile(containerdToml, containerdConfig({ paths, sandboxImage: images.pause.reference }));
    await writeFile(join(paths.cniConfDir, '10-mcp-runtime.conflist'), JSON.stringify(cniConfList(join(nodeDir, 'cni', 'ipam')), null, 2));
    launch('containerd', programs.containerd as string, ['--config', containerdToml]);
    await waitFor('containerd answers', () => ctr(['version']), { timeoutMs: ctx.timeoutMs, intervalMs: 50, abortIf });
    const containerdReadyMs = Math.round(performance.now() - containerdStarted);
    log(`containerd ready after ${containerdReadyMs} ms`);

    // The images no registry can give us. The sandbox image must be there before the first pod.
    for (const image of Object.values(images)) await ctr(['images', 'import', '--all-platforms', image.archive]);
    await ctr(['images', 'tag', '--force', images.registry.reference, REGISTRY_IMAGE_ALIAS]);

    const nodeStarted = performance.now();
    const [healthzPort, proxyHealthzPort, proxyMetricsPort] = (await freePorts(3)) as [number, number, number];
    const kubeletPaths: KubeletPaths = {
      rootDir: join(nodeDir, 'kubelet'),
      kubeconfig: kubeletKubeconfig,
      config: join(nodeDir, 'kubelet.yaml'),
      caCert: ctx.certs.caCert,
      servingCert: kubeletServing.cert,
      servingKey: kubeletServing.key,
      containerdSocket: paths.socket,
      podLogsDir: join(nodeDir, 'pod-logs'),
      resolvConf: '/etc/resolv.conf',
    };
    await writeFile(kubeletPaths.config, stringify(kubeletConfig(kubeletPaths, healthzPort)));
    launch('kubelet', ctx.kubelet, kubeletArgs(kubeletPaths));
    const proxyConfig = join(nodeDir, 'kube-proxy.yaml');
    await writeFile(proxyConfig, stringify(kubeProxyConfig(proxyKubeconfig, proxyHealthzPort, proxyMetricsPort)));
    launch('kube-proxy', ctx.kubeProxy, [`--config=${proxyConfig}`, '--v=1']);

    const k8s = await import('@kubernetes/client-node');
    const core = ctx.kc.makeApiClient(k8s.CoreV1Api);
    await waitFor(`real node ${REAL_NODE_NAME} Ready and untainted`, () => core.readNode({ name: REAL_NODE_NAME }), {
      until: (node) =>
        node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true && (node.spec?.taints ?? []).length === 0,
      timeoutMs: ctx.timeoutMs,
      intervalMs: 100,
      abortIf,
    });
    // Healthy once it has synced its rules: ClusterIPs work from here on.
    await waitFor('kube-proxy /healthz', async () => (await fetch(`http://127.0.0.1:${proxyHealthzPort}/healthz`)).status, {
      until: (status) => status === 200,
      timeoutMs: ctx.timeoutMs,
      intervalMs: 100,
      abortIf,
    });
    const nodeReadyMs = Math.round(performance.now() - nodeStarted);
    log(`real node ${REAL_NODE_NAME} (${NODE_IP}) Ready ${nodeReadyMs} ms after the kubelet started`);

    // In-cluster clients (KUBERNETES_SERVICE_HOST) reach the API server through the node IP.
    const apiServerPort = Number(new URL(ctx.server).port);
    apiForwarder = await startApiForwarder(NODE_IP, apiServerPort, apiServerPort);
    for (const { path, object } of kubernetesEndpointObjects(NODE_IP, apiServerPort)) {
      // Server-side apply: creates or updates in one call.
      const res = await apiRequest(ctx.kc, `${path}?fieldManager=mcp-runtime-local-cluster&force=true`, {
        method: 'PATCH',
        body: object,
        contentType: 'application/apply-patch+yaml',
      });
      if (res.status >= 300) throw new Error(`publishing the kubernetes Service's endpoints at ${path}: HTTP ${res.status} ${res.body}`);
    }
    log(`pods reach the API server through the kubernetes Service (${NODE_IP}:${apiServerPort} forwards to 127.0.0.1:${apiServerPort})`);

    return {
      name: REAL_NODE_NAME,
      ip: NODE_IP,
      dir: nodeDir,
      containerdSocket: paths.socket,
      images,
      timings: { imagesMs, containerdReadyMs, nodeReadyMs },
      async allowPlainHttpRegistry(registryHost: string, endpoint: string) {
        const d = join(paths.registryConfigDir, registryHost);
        await mkdir(d, { recursive: true });
        // containerd reads certs.d on every pull: no restart needed.
        await writeFile(join(d, 'hosts.toml'), plainHttpHostsToml(registryHost, endpoint));
      },
      ctr,
      stop() {
        stopping ??= drainAndStop();
        return stopping;
      },
      stopSync,
    };
  } catch (error) {
    await drainAndStop().catch(() => cleanHost());
    throw error;
  }
}

/**
 * Deletes every pod bound to the node through the API, so the kubelet stops them (CNI DEL runs
 * and removes their network namespace and veth), after cordoning it so nothing new lands; then
 * waits until containerd runs no task.
 */
async function drainPods(kc: KubeConfig, ctr: (args: string[]) => Promise<string>, log: LogFn): Promise<void> {
  const k8s = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.patchNode(
    { name: REAL_NODE_NAME, body: { spec: { unschedulable: true } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  const pods = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${REAL_NODE_NAME}` });
  await Promise.all(
    pods.items.map((p) =>
      core
        .deleteNamespacedPod({ name: p.metadata!.name!, namespace: p.metadata!.namespace!, gracePeriodSeconds: 1 })
        .catch(() => undefined),
    ),
  );
  const started = performance.now();
  await waitFor('the kubelet to stop every pod', async () => (await ctr(['tasks', 'ls', '-q'])).trim() === '', {
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  log(`real node: ${pods.items.length} pod(s) stopped through the kubelet in ${Math.round(performance.now() - started)} ms`);
}
