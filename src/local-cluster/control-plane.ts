import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { apiGet, apiRequest } from './api-get.js';
import { obtainBinaries } from './binaries.js';
import { generateCerts } from './certs.js';
import { registerForCleanup } from './cleanup.js';
import {
  KUBERNETES_SERVICE_IP,
  POD_CIDR,
  SERVICE_CLUSTER_IP_RANGE,
  apiServerArgs,
  controllerManagerArgs,
  etcdArgs,
  kwokArgs,
  schedulerArgs,
  type Layout,
} from './components.js';
import { DEFAULT_FAKE_NODE_NAME, fakeNodeManifest } from './fake-node.js';
import { writeAdminKubeconfig } from './kubeconfig.js';
import { kwokLogCrds } from './kwok-logs.js';
import { SANDBOX_VOLUME_COUNT, sandboxStorageClass, sandboxVolume } from './storage.js';
import { freePorts } from './ports.js';
import { signalGroup, startProcess, type ManagedProcess } from './process.js';
import type { BinaryPaths, ControlPlaneTimings, LogFn } from './types.js';
import { waitFor } from './wait.js';
import { podPlacementAdmissionConfig, realNodeApiServerArgs, simulatedNamespaces } from './real-node/placement.js';
import { startRealNode, type RealNode } from './real-node/real-node.js';
import { PGID_FILE, startWatchdog } from './watchdog.js';

/** Every data dir starts with this, so leftovers are easy to find (check-clean.sh). */
export const DATA_DIR_PREFIX = 'mcp-runtime-cp-';

export interface StartControlPlaneOptions {
  /** Progress messages (default: silent). */
  log?: LogFn;
  /** Where the data dir is created (default: os.tmpdir()). */
  baseDir?: string;
  /** Use these binaries instead of calling the build script. */
  binaries?: BinaryPaths;
  /** Stop the cluster on SIGINT/SIGTERM/SIGHUP, then re-raise the signal (default true). */
  handleSignals?: boolean;
  /** Names of the simulated nodes (default: one, `kwok-node-0`). */
  nodeNames?: string[];
  /** Give up start-up after this long (default 90 s; the first start on a cold disk is slow). */
  startTimeoutMs?: number;
  /**
   * Also run a real node (containerd, kubelet, kube-proxy as host processes; Linux and root only,
   * one per host). Pods in namespace `traefik` stay on the simulated node(s): in a local cluster
   * Traefik runs as a host process instead. Every other pod (the operator's and the catalog's
   * too, from providePlatformImage) goes to the real node unless its namespace says otherwise
   * (annotation `scheduler.alpha.kubernetes.io/node-selector: type=kwok`). Default false.
   */
  realNode?: boolean;
}

export interface ControlPlaneProcess {
  name: string;
  pid: number;
  logFile: string;
}

export interface ControlPlane {
  /** Admin kubeconfig (client certificate in system:masters), inside `dir`. */
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** The cluster CA certificate (PEM), inside `dir`. */
  caCertPath: string;
  /** The temp dir holding data, certs, logs; removed by stop(). */
  dir: string;
  nodeNames: string[];
  processes: ControlPlaneProcess[];
  watchdogPid: number;
  timings: ControlPlaneTimings;
  /** The real node, when `realNode` was asked for. */
  realNode?: RealNode;
  /**
   * Resolves with a description (and log tail) if a component exits while the cluster is
   * supposed to be running; never resolves after stop() has begun.
   */
  unexpectedExit: Promise<string>;
  /** A fresh client config for the admin user. */
  kubeConfig(): Promise<KubeConfig>;
  /** Stops every process (SIGTERM, then SIGKILL after a grace period) and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and KWOK on
 * 127.0.0.1 with ports chosen at runtime and all state in one temp dir, creates simulated
 * node(s) and resolves once the API server is ready and every node is Ready.
 */
export async function startControlPlane(options: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? (() => {});
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const nodeNames = options.nodeNames ?? [DEFAULT_FAKE_NODE_NAME];

  let obtainBinariesMs = 0;
  let binaries = options.binaries;
  if (binaries === undefined) {
    const obtained = await obtainBinaries({ log });
    binaries = obtained.paths;
    obtainBinariesMs = obtained.ms;
  }

  const started = performance.now();
  const dir = mkdtempSync(join(options.baseDir ?? tmpdir(), DATA_DIR_PREFIX));
  const watchdog = startWatchdog(dir);
  const processes: ManagedProcess[] = [];

  let stopping: Promise<void> | undefined;
  let realNode: RealNode | undefined;
  const stopSync = () => {
    realNode?.stopSync();
    for (const p of processes) signalGroup(p.pid, 'SIGKILL');
    watchdog.stopSync();
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  const stop = () => {
    stopping ??= (async () => {
      unregister();
      // Before the API server goes: the node deletes its pods through it.
      await realNode?.stop();
      await Promise.all(processes.map((p) => p.stop()));
      await watchdog.stop();
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      log(`control plane stopped, removed ${dir}`);
    })();
    return stopping;
  };
  const unregister = registerForCleanup({ stop, stopSync }, options.handleSignals ?? true);

  try {
    const certsStarted = performance.now();
    const [etcdClientPort, etcdPeerPort, apiServerPort, kubeletPort] = (await freePorts(4)) as [number, number, number, number];
    const certs = await generateCerts(join(dir, 'pki'), KUBERNETES_SERVICE_IP);
    const server = `https://127.0.0.1:${apiServerPort}`;
    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    await writeAdminKubeconfig(kubeconfigPath, {
      server,
      caCert: certs.caCert,
      clientCert: certs.adminCert,
      clientKey: certs.adminKey,
    });
    const certsMs = performance.now() - certsStarted;

    const layout: Layout = {
      dir,
      etcdClientPort,
      etcdPeerPort,
      apiServerPort,
      kubeletPort,
      kubeconfig: kubeconfigPath,
      certs,
      serviceClusterIpRange: SERVICE_CLUSTER_IP_RANGE,
      podCidr: POD_CIDR,
    };
    await mkdir(join(dir, 'logs'));
    await mkdir(join(dir, 'kwok-home'));
    const launch = (name: string, binary: string, args: string[], env?: NodeJS.ProcessEnv) => {
      const p = startProcess(name, binary, args, { logFile: join(dir, 'logs', `${name}.log`), env, cwd: dir });
      processes.push(p);
      // For the watchdog: these groups die if this Node process dies without stop().
      appendFileSync(join(dir, PGID_FILE), `${p.pid}\n`);
      return p;
    };
    const died = () => {
      const dead = processes.find((p) => p.exitInfo !== null);
      if (dead === undefined) return undefined;
      return `${dead.name} exited (${JSON.stringify(dead.exitInfo)}); last log lines:\n${dead.logTail()}`;
    };

    // All at once: etcd is up (~150 ms) long before the API server has finished its own
    // initialisation and dials it; the others wait for the API server themselves.
    const spawnStarted = performance.now();
    launch('etcd', binaries.etcd, etcdArgs(layout));
    const realNodeArgs = options.realNode === true ? realNodeApiServerArgs(await podPlacementAdmissionConfig(dir), certs) : [];
    launch('kube-apiserver', binaries['kube-apiserver'], [...apiServerArgs(layout), ...realNodeArgs]);
    launch('kube-controller-manager', binaries['kube-controller-manager'], controllerManagerArgs(layout));
    launch('kube-scheduler', binaries['kube-scheduler'], schedulerArgs(layout));
    // KWOK reads ~/.kwok/kwok.yaml if it exists; a private HOME keeps a user's config out.
    launch('kwok', binaries.kwok, kwokArgs(layout), { ...process.env, HOME: join(dir, 'kwok-home') });
    await waitFor(
      'etcd /health',
      async () => {
        const res = await fetch(`http://127.0.0.1:${etcdClientPort}/health`);
        return (await res.json()) as { health?: string };
      },
      { until: (h) => h.health === 'true', timeoutMs, intervalMs: 50, abortIf: died },
    );
    log(`etcd ready on 127.0.0.1:${etcdClientPort} after ${Math.round(performance.now() - spawnStarted)} ms`);

    const k8s = await import('@kubernetes/client-node');
    const kubeConfig = async () => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(kubeconfigPath);
      return kc;
    };
    const kc = await kubeConfig();
    await waitFor('kube-apiserver /readyz', () => apiGet(kc, '/readyz'), {
      until: (r) => r.status === 200,
      timeoutMs,
      intervalMs: 100,
      abortIf: died,
    });
    const apiServerReadyMs = performance.now() - spawnStarted;
    log(`kube-apiserver ready at ${server} after ${Math.round(apiServerReadyMs)} ms`);

    const nodeStarted = performance.now();
    // Meanwhile: the CRDs that give simulated containers their logs (KWOK watches them).
    const logCrds = installKwokLogCrds(kc, (what) => waitFor(what.description, what.attempt, { timeoutMs, intervalMs: 100, abortIf: died }));
    // Handled by the await below; without this a rejection while nodes start would be unhandled.
    logCrds.catch(() => {});
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of nodeNames) {
      await waitFor(`create simulated node ${name}`, async () => {
        try {
          await core.createNode({ body: fakeNodeManifest(name) });
        } catch (error) {
          if ((error as { code?: number }).code !== 409) throw error;
        }
        return true;
      }, { timeoutMs, abortIf: died });
    }
    for (const name of nodeNames) {
      // Ready and without taints, i.e. pods can be scheduled on it.
      await waitFor(`simulated node ${name} Ready and untainted`, () => core.readNode({ name }), {
        until: (node) =>
          node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true &&
          (node.spec?.taints ?? []).length === 0,
        timeoutMs,
        intervalMs: 100,
        abortIf: died,
      });
    }
    await createSandboxStorage(kc, dir, (what) => waitFor(what.description, what.attempt, { timeoutMs, abortIf: died }));
    await logCrds;
    if (options.realNode === true) {
      if (binaries.kubelet === undefined || binaries['kube-proxy'] === undefined) {
        throw new Error('a real node needs kubelet and kube-proxy binaries (scripts/control-plane/build-binaries.sh builds them)');
      }
      for (const namespace of simulatedNamespaces()) await core.createNamespace({ body: namespace }).catch(ignoreConflict);
      realNode = await startRealNode({
        dir,
        certs,
        server,
        kc,
        kubelet: binaries.kubelet,
        kubeProxy: binaries['kube-proxy'],
        log,
        timeoutMs,
        launch,
        died,
      });
    }
    const nodeReadyMs = performance.now() - nodeStarted;
    const timings: ControlPlaneTimings = {
      obtainBinariesMs,
      certsMs: Math.round(certsMs),
      apiServerReadyMs: Math.round(apiServerReadyMs),
      nodeReadyMs: Math.round(nodeReadyMs),
      startupMs: Math.round(performance.now() - started),
    };
    log(`control plane ready in ${timings.startupMs} ms (${nodeNames.length} simulated node(s)${realNode ? ` and real node ${realNode.name}` : ''} Ready)`);

    const unexpectedExit = new Promise<string>((resolve) => {
      for (const p of processes) {
        void p.exited.then((info) => {
          if (stopping === undefined) resolve(`${p.name} exited (${JSON.stringify(info)}):\n${p.logTail()}`);
        });
      }
    });

    return {
      kubeconfigPath,
      server,
      caCertPath: certs.caCert,
      dir,
      nodeNames,
      processes: processes.map((p) => ({ name: p.name, pid: p.pid, logFile: p.logFile })),
      watchdogPid: watchdog.pid,
      timings,
      ...(realNode === undefined ? {} : { realNode }),
      unexpectedExit,
      kubeConfig,
      stop,
    };
  } catch (error) {
    const logs = processes.map((p) => `--- ${p.name} (${p.logFile}) ---\n${p.logTail(15)}`).join('\n');
    await stop();
    throw new Error(`control plane failed to start: ${(error as Error).message}\n${logs}`, { cause: error });
  }
}

function ignoreConflict(error: unknown): void {
  if ((error as { code?: number }).code !== 409) throw error;
}

/** Creates the default StorageClass and the volumes claims bind to (409 = already there). */
async function createSandboxStorage(
  kc: KubeConfig,
  dataDir: string,
  retry: (what: { description: string; attempt: () => Promise<boolean> }) => Promise<unknown>,
): Promise<void> {
  const k8s = await import('@kubernetes/client-node');
  const storage = kc.makeApiClient(k8s.StorageV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const ignoreExists = (error: unknown) => {
    if ((error as { code?: number }).code !== 409) throw error;
  };
  await retry({
    description: 'create the sandbox StorageClass',
    attempt: async () => {
      await storage.createStorageClass({ body: sandboxStorageClass() }).catch(ignoreExists);
      return true;
    },
  });
  for (let i = 0; i < SANDBOX_VOLUME_COUNT; i++) {
    // Created here, writable for any uid: on a real node the kubelet would create a missing one
    // owned by root, and the platform's pods run as non-root (fsGroup does not apply to
    // hostPath). The data dir itself is 0700, so no other host user can reach it.
    const volumeDir = sandboxVolume(i, dataDir).spec!.hostPath!.path;
    await mkdir(volumeDir, { recursive: true });
    await chmod(volumeDir, 0o777);
    await core.createPersistentVolume({ body: sandboxVolume(i, dataDir) }).catch(ignoreExists);
  }
}

/** Creates KWOK's ClusterLogs and Logs CRDs (409 = already there) and waits until both are Established. */
async function installKwokLogCrds(
  kc: KubeConfig,
  retry: (what: { description: string; attempt: () => Promise<boolean> }) => Promise<unknown>,
): Promise<void> {
  const path = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  for (const crd of kwokLogCrds()) {
    await retry({
      description: `create CRD ${crd.metadata.name}`,
      attempt: async () => {
        const res = await apiRequest(kc, path, { method: 'POST', body: crd });
        if (res.status !== 201 && res.status !== 409) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 500)}`);
        return true;
      },
    });
    await retry({
      description: `CRD ${crd.metadata.name} Established`,
      attempt: async () => {
        const res = await apiRequest(kc, `${path}/${crd.metadata.name}`);
        const conditions = (JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions;
        if (conditions?.some((c) => c.type === 'Established' && c.status === 'True') !== true) throw new Error('not Established yet');
        return true;
      },
    });
  }
}
