/**
 * `npm run bench:memory`: the operator's memory as the number of servers grows, so the cost per
 * server is visible (issue #19 asks for RSS at 100, 1,000 and 5,000 servers).
 *
 * One local control plane, the operator started as the platform runs it (see
 * operator-process.ts), servers added in steps (default 100, 1,000, 5,000). After each step the
 * benchmark waits until every server so far has its status written (observedGeneration current,
 * phase Ready) and the operator has sent no request for `--quiet-seconds`, then reads the
 * operator's VmRSS and VmHWM (/proc) and its heap and cache metrics. The servers run no pods
 * (`replicas: 0`): the operator caches the same objects either way, and 5,000 simulated pods
 * would only make the control plane, not the operator, the subject. Results:
 * bench/results/memory-scale.{md,json} with the machine, load, command and commit.
 * With `--heap-snapshots`, a V8 heap snapshot is also taken with no server and after each step and
 * summarized by node type and constructor (heap-snapshots.{md,json}; heap-capture.ts).
 *
 * Exit codes: 0 done, 1 a step failed (nothing is written to memory-scale.*), 2 wrong usage,
 * 130 interrupted.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ExitCode } from '../src/cli/exit-codes.js';
import { signalGroup } from '../src/local-cluster/process.js';
import { KubeClient } from '../src/runtime/index.js';
import { benchNamespace, repoRootOf, startBenchCluster, writeOperatorKubeconfig, type BenchCluster } from './cluster.js';
import { captureHeapSnapshot, heapSnapshotFlags } from './heap-capture.js';
import { heapStepsMarkdown, type HeapStep } from './heap-snapshot.js';
import { keepAliveClient } from './http.js';
import { currentLoad, machineInfo } from './machine.js';
import { growthPerServer, MEMORY_USAGE, memoryMarkdown, parseMemoryOptions, type MemoryOptions, type MemoryScaleResults, type MemoryStep } from './memory-scale-report.js';
import { OPERATOR_NODE_FLAGS, operatorMemory, operatorRequestsByMethod, startOperatorProcess, type OperatorProcess } from './operator-process.js';
import { runPool, seconds, sleep } from './pool.js';
import { describeGit, gitState, shellQuote } from './provenance.js';
import { mcpServerManifest, serverName, serversPath } from './servers.js';
import { ClusterTracker } from './tracker.js';
import { runEntry } from './entry.js';

const log = (line: string) => console.log(`[bench:memory] ${line}`);

/**
 * Until the operator's own request count stays the same for `quietSeconds` (polled each second);
 * after `maxSeconds` it says what kept changing and goes on.
 */
async function operatorQuiet(op: OperatorProcess, quietSeconds: number, signal: AbortSignal, maxSeconds = 120): Promise<boolean> {
  const counts = async () => operatorRequestsByMethod(await op.scrape()) ?? {};
  const sum = (c: Record<string, number>) => Object.values(c).reduce((a, v) => a + v, 0);
  const started = performance.now();
  let last = await counts();
  let stableSince = performance.now();
  while (performance.now() - stableSince < quietSeconds * 1000) {
    await sleep(1000, signal);
    const now = await counts();
    if (sum(now) !== sum(last)) {
      if (performance.now() - started > maxSeconds * 1000) {
        log(`  the operator was not quiet for ${quietSeconds} s within ${maxSeconds} s (requests by method ${JSON.stringify(last)} → ${JSON.stringify(now)}); sampling anyway`);
        return false;
      }
      last = now;
      stableSince = performance.now();
    }
  }
  return true;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let parsed: MemoryOptions | 'help';
  try {
    parsed = parseMemoryOptions(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${MEMORY_USAGE}`);
    return ExitCode.USAGE;
  }
  if (parsed === 'help') {
    console.log(MEMORY_USAGE);
    return ExitCode.OK;
  }
  const o = parsed;
  const repoRoot = repoRootOf();
  const date = new Date().toISOString();
  const machine = machineInfo();
  const git = await gitState(repoRoot);
  const command = argv.length === 0 ? 'npm run bench:memory' : `npm run bench:memory -- ${argv.map(shellQuote).join(' ')}`;
  const workDir = join(repoRoot, 'bench', 'results', 'tmp', `memory-${date.replace(/[:.]/g, '-')}`);
  mkdirSync(workDir, { recursive: true });
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => abort.abort(new Error(`interrupted by ${sig}`)));
  let cluster: BenchCluster | undefined;
  let operator: OperatorProcess | undefined;
  let tracker: ClusterTracker | undefined;
  process.on('exit', () => {
    if (operator !== undefined) signalGroup(operator.pid, 'SIGKILL');
  });
  const steps: Omit<MemoryStep, 'kbPerServer'>[] = [];
  const heapSteps: HeapStep[] = [];
  let baselineRssMb: number | null = null;
  let operatorCommand = '';
  try {
    log(`${command}: steps ${o.steps.join(', ')}; commit ${describeGit(git)}; load ${machine.loadAverageAtStart.join(' ')}`);
    cluster = await startBenchCluster(1, log);
    const admin = cluster.admin;
    const ns = await benchNamespace('bench-memory', admin);
    const kubeconfigPath = join(workDir, 'operator.kubeconfig');
    await writeOperatorKubeconfig(ns.name, admin, kubeconfigPath);
    operator = await startOperatorProcess({
      repoRoot,
      kubeconfigPath,
      namespace: ns.name,
      concurrency: o.concurrency,
      logFile: join(workDir, 'operator.log'),
      from: 'auto',
      controlPlaneDir: cluster.cp.dir,
      ...(o.heapSnapshots ? { nodeFlags: [...OPERATOR_NODE_FLAGS, ...heapSnapshotFlags(workDir)] } : {}),
    });
    const op = operator;
    const snapshot = async (servers: number): Promise<void> => {
      if (!o.heapSnapshots) return;
      const { file, summary } = await captureHeapSnapshot(op, workDir, abort.signal);
      // The summary is what is kept; the snapshots are 10x the heap's size.
      rmSync(file, { force: true });
      heapSteps.push({ servers, summary });
      log(`heap snapshot at ${servers} servers: ${(summary.totalBytes / 1024 / 1024).toFixed(1)} MiB in ${summary.nodes} nodes`);
    };
    operatorCommand = op.info.command;
    log(`operator running (pid ${op.pid}): ${op.info.command}`);
    tracker = new ClusterTracker(new KubeClient(admin, { timeoutMs: 60_000, userAgent: 'mcp-runtime-bench' }), ns.name);
    await tracker.start(abort.signal);
    await operatorQuiet(op, o.quietSeconds, abort.signal);
    baselineRssMb = op.stats()?.rssMb ?? null;
    log(`no servers: RSS ${baselineRssMb} MiB`);
    await snapshot(0);
    const burst = await keepAliveClient(admin, 16);
    let created = 0;
    try {
      for (const target of o.steps) {
        const t0 = performance.now();
        const current = (s: { metadata?: { generation?: number }; status?: Record<string, unknown> }) =>
          s.status?.observedGeneration === s.metadata?.generation && s.status?.phase === 'Ready';
        const done = tracker.waitForCount(`${target} servers with current status`, tracker.servers, target, current, {
          timeoutMs: o.timeoutMinutes * 60_000,
          signal: abort.signal,
          onProgress: (n) => log(`  ${n}/${target} servers current`),
        });
        done.catch(() => {});
        const names = Array.from({ length: target - created }, (_, i) => serverName(created + i));
        await runPool(names, 16, async (name) => {
          const manifest = mcpServerManifest(ns.name, name) as { spec: Record<string, unknown> };
          await burst.request('POST', serversPath(ns.name), { ...manifest, spec: { ...manifest.spec, replicas: 0 } });
        }, abort.signal);
        created = target;
        const at = await done;
        const quiet = await operatorQuiet(op, o.quietSeconds, abort.signal);
        const stats = op.stats();
        const memory = operatorMemory(await op.scrape());
        steps.push({ servers: target, rssMb: stats?.rssMb ?? Number.NaN, peakRssMb: stats?.peakRssMb ?? Number.NaN, memory, convergeSeconds: seconds(at.at - t0), quiet });
        log(`${target} servers: RSS ${stats?.rssMb} MiB (peak ${stats?.peakRssMb}), heap ${memory.heapUsedMb}/${memory.heapTotalMb} MiB`);
        await snapshot(target);
      }
    } finally {
      burst.close();
    }
  } catch (error) {
    console.error(`[bench:memory] FAILED: ${(error as Error).message}`);
    return abort.signal.aborted ? 130 : 1;
  } finally {
    await tracker?.stop().catch(() => {});
    await operator?.stop().catch(() => {});
    operator = undefined;
    if (cluster !== undefined) await cluster.cp.stop();
  }
  const dir = o.output ?? join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  if (o.heapSnapshots) {
    const tables = heapStepsMarkdown(heapSteps);
    const heading = [
      '# Operator heap by number of servers (V8 heap snapshots)',
      '',
      `\`${command}\` · commit ${describeGit(git)} · ${date}`,
      '',
      `Operator: \`${operatorCommand}\`. Self sizes from one snapshot with no server and one after each step (sampled as memory-scale samples: every status current, then a wait for the operator to go quiet); each snapshot starts with a full GC, so these are live bytes. RSS after the first snapshot is not the operator's own (the snapshot leaves native memory), so this run writes no memory-scale.*.`,
      '',
    ];
    writeFileSync(join(dir, 'heap-snapshots.md'), `${heading.join('\n')}${tables}`);
    const top = (s: HeapStep) => ({ servers: s.servers, totalBytes: s.summary.totalBytes, nodes: s.summary.nodes, byType: s.summary.byType, byName: s.summary.byName.slice(0, 60) });
    writeFileSync(join(dir, 'heap-snapshots.json'), `${JSON.stringify({ kind: 'heap-snapshots', command, git, machine, date, operatorCommand, steps: heapSteps.map(top) }, null, 2)}\n`);
    console.log(`\n${tables}`);
    log(`wrote ${relative(process.cwd(), join(dir, 'heap-snapshots.md'))} and .json`);
    return 0;
  }
  const growth = growthPerServer(steps);
  const results: MemoryScaleResults = {
    kind: 'memory-scale',
    command,
    git,
    machine,
    date,
    endedAt: new Date().toISOString(),
    loadAverageAtEnd: currentLoad(),
    operatorCommand,
    baselineRssMb,
    steps: steps.map((s, i) => ({ ...s, kbPerServer: growth[i] ?? null })),
  };
  writeFileSync(join(dir, 'memory-scale.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'memory-scale.md'), memoryMarkdown(results));
  console.log(`\n${memoryMarkdown(results)}`);
  log(`wrote ${relative(process.cwd(), join(dir, 'memory-scale.md'))} and .json`);
  return 0;
}

runEntry(main);
