/**
 * The phases on a local control plane, in order: floor (before), operator start, converge,
 * floor (after converge), idle, update wave, operator stop, and the floor's KubeClient variant. The control plane
 * and the operator are stopped whatever happens.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KubeClient } from '../src/runtime/index.js';
import { benchNamespace, nodeCount, startBenchCluster, writeOperatorKubeconfig, type BenchCluster } from './cluster.js';
import { runConverge } from './converge.js';
import { runFloor, type FloorClient } from './floor.js';
import { keepAliveClient, type KeepAliveClient } from './http.js';
import { runIdle, waitQuiet } from './idle.js';
import { OPERATOR_PROCESS } from './phase-cpu.js';
import { seconds } from './pool.js';
import { operatorCounters, operatorMemory, startOperatorProcess, type OperatorProcess } from './operator-process.js';
import type { BenchResults } from './results-types.js';
import { log, round2, type Run } from './run-context.js';
import { cacheFootprint, ClusterTracker } from './tracker.js';
import { runUpdateWave } from './update-wave.js';

export async function clusterPhases(run: Run, setOperatorPid: (pid: number | undefined) => void): Promise<void> {
  const { o, r, repoRoot, workDir, abort } = run;
  const signal = abort.signal;
  const timeoutMs = o.timeoutMinutes * 60_000;
  const bracket = o.floorClients.includes('keepalive');
  const floorRuns = o.floorClients.length + (bracket ? 1 : 0);
  const nodes = o.nodes ?? nodeCount(o.n, floorRuns);
  let cluster: BenchCluster | undefined;
  let operator: OperatorProcess | undefined;
  let tracker: ClusterTracker | undefined;
  let burst: KeepAliveClient | undefined;
  const floors: NonNullable<BenchResults['floor']> = [];
  r.floor = floors;
  try {
    log(`starting a control plane with ${nodes} simulated node(s)`);
    cluster = await startBenchCluster(nodes, log);
    r.cluster = { kubernetesVersion: cluster.kubernetesVersion, nodes, startupMs: cluster.cp.timings.startupMs };
    signal.throwIfAborted();
    const admin = cluster.admin;
    const ns = await benchNamespace('bench', admin);
    const operatorKubeconfig = join(workDir, 'operator.kubeconfig');
    const operatorKc = await writeOperatorKubeconfig(ns.name, admin, operatorKubeconfig);
    burst = await keepAliveClient(admin, o.createConcurrency);
    const b = burst;

    // Every timed window starts on a quiet control plane (not in the previous phase's tail).
    const quietBefore = async (what: string): Promise<void> => {
      const q = await waitQuiet(admin, 5, o.idleSettleMaxSeconds, signal);
      log(`  quiet before ${what} after ${seconds(q.settleMs)} s${q.timedOut ? ' (gave up waiting)' : ''}`);
    };
    const floor = async (client: FloorClient, when: 'before' | 'after', settle: boolean): Promise<void> => {
      signal.throwIfAborted();
      await quietBefore(`the floor (${client}, ${when})`);
      log(`floor (${client}, ${when} ${client === 'keepalive' ? 'converge' : 'the operator phases'}): ${o.n} servers' objects, concurrency ${o.concurrency}`);
      const floorNs = await benchNamespace(`bench-floor-${when}-${client}`, admin);
      const result = await run.phase(`floor (${client}, ${when})`, () =>
        runFloor({
          admin,
          operatorKc,
          namespace: floorNs.name,
          n: o.n,
          concurrency: o.concurrency,
          client,
          cpuProcesses: cluster!.cp.processes,
          // Let the control plane finish this floor's pods before the next thing is timed.
          ...(settle ? { settleTimeoutMs: timeoutMs } : {}),
          signal,
          log,
        }),
      );
      if (result) floors.push({ ...result, when });
    };
    if (bracket) await floor('keepalive', 'before', true);
    signal.throwIfAborted();

    operator = await startOperatorProcess({
      repoRoot,
      kubeconfigPath: operatorKubeconfig,
      namespace: ns.name,
      concurrency: o.concurrency,
      logFile: join(workDir, 'operator.log'),
      from: o.operatorFrom,
      ...(o.cpuProf ? { cpuProfDir: workDir } : {}),
      ...(o.operatorNodeFlags === undefined ? {} : { nodeFlags: o.operatorNodeFlags }),
      controlPlaneDir: cluster.cp.dir,
    });
    setOperatorPid(operator.pid);
    const op = operator;
    log(`operator running (pid ${op.pid}): ${op.info.command}`);
    if (op.info.staleSources && op.info.staleSources.length > 0) {
      log(`warning: dist/ is older than ${op.info.staleSources.length} source file(s) (${op.info.staleSources.slice(0, 5).join(', ')}…): the built operator may not be the current code`);
    }
    r.operator = {
      ...op.info,
      concurrency: o.concurrency,
      rssAfterReadyMb: null,
      rssAfterIdleMb: null,
      rssAtEndMb: null,
      cpuSeconds: { converge: null, idle: null, updateWave: null, total: null },
      counters: {},
      helpers: [],
      logFile: relative(repoRoot, op.logFile),
    };
    const rep = r.operator;

    const client = new KubeClient(admin, { timeoutMs: 60_000, userAgent: 'mcp-runtime-bench' });
    tracker = new ClusterTracker(client, ns.name);
    await tracker.start(signal);
    const t = tracker;

    log(`converge: creating ${o.n} MCPServers (${o.createConcurrency} concurrent POSTs)`);
    const converge = await run.phase('converge', () =>
      quietBefore('converge').then(() => runConverge({ burst: b, admin, namespace: ns.name, n: o.n, createConcurrency: o.createConcurrency, tracker: t, operator: op, timeoutMs, signal, log, cpuProcesses: [...cluster!.cp.processes, { name: OPERATOR_PROCESS, pid: op.pid }] })),
    );
    if (converge) {
      r.convergeSeconds = converge.convergeSeconds;
      r.readySeconds = converge.readySeconds;
      rep.cpuSeconds.converge = converge.operatorCpuSeconds;
      rep.rssAfterReadyMb = op.stats()?.rssMb ?? null;
      const memory = await op.scrape().then(operatorMemory).catch(() => undefined);
      if (memory !== undefined) {
        rep.memoryAfterReady = memory;
        log(`  operator memory after Ready: RSS ${rep.rssAfterReadyMb ?? '—'} MB, heap ${memory.heapUsedMb ?? '—'}/${memory.heapTotalMb ?? '—'} MB used/total; caches ${memory.caches.map((c) => `${c.informer} ${c.objects} objects ${c.jsonKb} KB JSON`).join(', ')}`);
      }
      const sa = (d: typeof converge.untilReady) => d.requestsByFlowSchema['service-accounts'] ?? 0;
      const operatorWrites = Object.entries(converge.untilReady.writesByVerbResource)
        .filter(([k]) => /^APPLY (deployments|services|ingresses|middlewares)|^PATCH mcpservers\.[^ ]*\/status$/.test(k))
        .reduce((sum, [, v]) => sum + v, 0);
      r.converge = {
        createBurstSeconds: converge.createBurstSeconds,
        ...(converge.cpu === undefined ? {} : { cpu: converge.cpu }),
        childSeconds: converge.childSeconds,
        untilChildren: converge.untilChildren,
        untilReady: converge.untilReady,
        operatorRequestsPerServerUntilChildren: round2(sa(converge.untilChildren) / o.n),
        operatorRequestsPerServerUntilReady: round2(sa(converge.untilReady) / o.n),
        operatorWritesPerServerUntilReady: round2(operatorWrites / o.n),
        ...(converge.operatorRequestsByMethod ? { operatorRequestsByMethod: converge.operatorRequestsByMethod } : {}),
        lag: converge.lag,
      };
      r.cacheFootprint = cacheFootprint(t);

      signal.throwIfAborted();
    }
    // The second floor right after converge, on the cluster converge left (its servers and pods
    // in place, the operator running but with nothing to do): the two floors then bracket
    // converge's own cluster state. Timed after the update wave instead, it ran on a cluster with
    // 1,000 more ReplicaSets and took up to 2.3x the first floor for the same requests.
    if (bracket && converge) await floor('keepalive', 'after', true);
    if (converge && !o.convergeOnly) {
      log(`idle: waiting for the control plane to go quiet (at most ${o.idleSettleMaxSeconds} s), then watching writes for ${o.idleSeconds} s`);
      const idle = await run.phase('idle', () =>
        runIdle({ admin, operator: op, idleSeconds: o.idleSeconds, maxSettleSeconds: o.idleSettleMaxSeconds, signal, log }),
      );
      if (idle) {
        r.idleWrites = idle.idleWrites;
        r.idleOperatorWrites = idle.idleOperatorWrites;
        rep.cpuSeconds.idle = idle.operatorCpuSeconds;
        r.idle = {
          settleSeconds: idle.settleSeconds,
          settleTimedOut: idle.settleTimedOut,
          settleWritesByVerbResource: idle.settle.writesByVerbResource,
          excludedHeartbeatWrites: idle.excludedHeartbeatWrites,
          operatorRequests: idle.operatorRequests,
          writesByVerbResource: idle.delta.writesByVerbResource,
          idleOperatorWritesSource: idle.idleOperatorWritesSource,
          ...(idle.operatorRequestsByMethod ? { operatorRequestsByMethod: idle.operatorRequestsByMethod } : {}),
        };
        log(`  ${idle.idleWrites} writes in the window (${idle.excludedHeartbeatWrites} heartbeats excluded), operator requests ${idle.operatorRequests}`);
      }
      rep.rssAfterIdleMb = op.stats()?.rssMb ?? null;

      signal.throwIfAborted();
      log(`update wave: changing ${o.n} servers`);
      const wave = await run.phase('update wave', () =>
        runUpdateWave({ burst: b, admin, namespace: ns.name, n: o.n, createConcurrency: o.createConcurrency, tracker: t, operator: op, timeoutMs, signal, log }),
      );
      if (wave) {
        r.updateWaveSeconds = wave.updateWaveSeconds;
        rep.cpuSeconds.updateWave = wave.operatorCpuSeconds;
        r.updateWave = {
          patchBurstSeconds: wave.patchBurstSeconds,
          observedSeconds: wave.observedSeconds,
          delta: wave.delta,
          operatorRequestsPerServer: round2((wave.delta.requestsByFlowSchema['service-accounts'] ?? 0) / o.n),
          ...(wave.operatorRequestsByMethod ? { operatorRequestsByMethod: wave.operatorRequestsByMethod } : {}),
        };
      }
    }

    const final = op.stats();
    r.peakRssMb = final?.peakRssMb ?? null;
    rep.rssAtEndMb = final?.rssMb ?? null;
    rep.cpuSeconds.total = final?.cpuSeconds ?? null;
    rep.helpers = op.helpers();
    rep.counters = await op.scrape().then(operatorCounters).catch(() => ({}));
    await tracker.stop();
    tracker = undefined;
    await op.stop();
    operator = undefined;
    setOperatorPid(undefined);
    if (o.cpuProf) {
      const profile = readdirSync(workDir).find((f) => f.endsWith('.cpuprofile'));
      if (profile !== undefined) rep.cpuProfile = relative(repoRoot, join(workDir, profile));
    }

    // Without converge there is nothing to bracket; the keepalive floor then still runs once more.
    const after = o.floorClients.filter((c) => !(bracket && r.convergeSeconds !== null && c === 'keepalive'));
    for (const [i, floorClient] of after.entries()) await floor(floorClient, 'after', i < after.length - 1);

    const keepalive = floors.filter((f) => f.client === 'keepalive').map((f) => f.floorSeconds);
    const floorRef = keepalive.length > 0 ? keepalive : floors.map((f) => f.floorSeconds);
    r.floorSeconds = floorRef.length > 0 ? round2(floorRef.reduce((a, v) => a + v, 0) / floorRef.length) : null;
    const kubeClientFloor = floors.find((f) => f.client === 'kubeclient');
    if (kubeClientFloor && keepalive.length > 0) r.floorKubeClientSeconds = kubeClientFloor.floorSeconds;
    if (r.convergeSeconds !== null && r.floorSeconds) r.ratio = round2(r.convergeSeconds / r.floorSeconds);
  } finally {
    burst?.close();
    await tracker?.stop().catch(() => {});
    if (operator !== undefined) {
      await operator.stop().catch(() => {});
      setOperatorPid(undefined);
    }
    if (cluster !== undefined) {
      log('stopping the control plane');
      await cluster.cp.stop();
    }
  }
}

