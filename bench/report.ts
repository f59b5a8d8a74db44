/**
 * Targets, the markdown table and the JSON file. Targets are reported (met / missed), never
 * enforced: a benchmark run does not fail on a number.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparisonMarkdown } from './comparison-render.js';
import type { Comparison } from './comparison.js';
import { headerRows } from './report-header.js';
import type { BenchResults, TargetCheck } from './results-types.js';
import { cpuBreakdown } from './phase-cpu.js';

/** Figures computed from others of the same run (also applied when re-rendering an old result). */
/** `bench 3.1, kube-apiserver 40.2, etcd 9.9, …`: a window's CPU by process. */
function windowCpuText(cpu: { benchSeconds: number; components: Record<string, number> }): string {
  return [`bench ${fmt(cpu.benchSeconds)}`, ...Object.entries(cpu.components).map(([name, s]) => `${name} ${fmt(s)}`)].join(', ');
}

export function withDerived(r: BenchResults): BenchResults {
  const operatorRequests = r.converge?.untilChildren.requestsByFlowSchema['service-accounts'];
  const floor = r.floor?.find((f) => f.client === 'keepalive') ?? r.floor?.[0];
  const floorRequests = floor === undefined ? undefined : floor.applies + (floor.statusWrites ?? 0);
  if (operatorRequests !== undefined && floorRequests) r.requestRatio = Math.round((operatorRequests / floorRequests) * 100) / 100;
  const breakdown = cpuBreakdown({
    ratio: r.ratio,
    convergeSeconds: r.convergeSeconds,
    converge: r.converge?.cpu,
    floors: (r.floor ?? []).filter((f) => f.client === 'keepalive'),
    cores: r.machine.cores,
  });
  if (breakdown !== undefined) r.cpuBreakdown = breakdown;
  return r;
}

export function checkTargets(r: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const at = (value: number | null, ok: (v: number) => boolean) => (value === null || Number.isNaN(value) ? null : ok(value));
  const scaleNote = r.n === 1000 ? undefined : `measured at n=${r.n}; the target is for 1,000 servers`;
  const lag = r.converge?.lag;
  return [
    {
      name: 'converge vs floor',
      target: '≤ 1.3× floor',
      value: r.ratio,
      unit: '×',
      met: at(r.ratio, (v) => v <= 1.3),
      note: [
        scaleNote,
        r.floor && r.floor.length > 0 ? `floor runs ${r.floor.map((f) => `${f.client}/${f.when} ${fmt(f.floorSeconds)} s`).join(', ')}` : undefined,
        r.requestRatio !== undefined && r.requestRatio !== null ? `requests per floor request ${fmt(r.requestRatio)} (load-independent)` : undefined,
        r.cpuBreakdown !== undefined ? `CPU ${fmt(r.cpuBreakdown.cpuRatio)}× the floor's; without the operator's own CPU ≈ ${fmt(r.cpuBreakdown.ratioWithoutOperatorCpu)}×` : undefined,
      ].filter(Boolean).join('; '),
    },
    {
      name: 'idle writes',
      target: '0 in the window',
      value: r.idleWrites,
      unit: 'writes',
      met: at(r.idleWrites, (v) => v === 0),
      note:
        `${r.idleWindowSeconds} s window opened ${r.idle ? `${r.idle.settleSeconds} s after Ready, ${r.idle.settleTimedOut ? 'when the settle limit ran out (not quiet)' : 'once 5 s passed without writes'}` : 'after Ready'}; ` +
        `KWOK heartbeats (nodes/status, leases) excluded${r.idleOperatorWrites !== undefined && r.idleOperatorWrites !== null ? `; the operator's own writes: ${r.idleOperatorWrites}` : ''}`,
    },
    {
      name: 'operator lag p99',
      target: '≤ 1 s',
      value: lag === undefined ? null : round3(lag.p99Ms / 1000),
      unit: 's',
      met: at(lag === undefined ? null : lag.p99Ms, (v) => v <= 1000),
      note: [scaleNote, lag === undefined ? undefined : `a server's Deployment ready → the server Ready, over ${lag.servers} servers: p50 ${fmt(lag.p50Ms, 0)} ms, p99 ${fmt(lag.p99Ms, 0)} ms, max ${fmt(lag.maxMs, 0)} ms`].filter(Boolean).join('; '),
    },
    // Issue #19: 1.5× the Go operator's 74 MB peak, measured on this machine.
    { name: 'operator peak RSS', target: '≤ 110 MB at 1,000 servers', value: r.peakRssMb, unit: 'MB', met: at(r.peakRssMb, (v) => v <= 110), ...(scaleNote ? { note: scaleNote } : {}) },
    {
      name: 'deploy → first tool call',
      target: '≤ 15 s',
      value: r.userFacing?.deployToFirstCallMaxSeconds ?? r.userFacing?.deployToFirstCallSeconds ?? null,
      unit: 's',
      met: at(r.userFacing?.deployToFirstCallMaxSeconds ?? r.userFacing?.deployToFirstCallSeconds ?? null, (v) => v <= 15),
      note: r.userFacing
        ? `real node, cached image; ${r.userFacing.deployToFirstCallServers === null ? 'one server' : `the slowest of ${r.userFacing.deployToFirstCallServers} servers deployed one after another (median ${fmt(r.userFacing.deployToFirstCallSeconds, 3)} s)`}; from ${r.userFacing.source} (${r.userFacing.date})`
        : `no ${'bench/results/gateway-latest.json'}: run npm run bench:gateway`,
    },
    { name: 'pipeline generate 1,000', target: '≤ 2 s', value: r.generate1000Seconds, unit: 's', met: at(r.generate1000Seconds, (v) => v <= 2), ...(r.generate ? { note: `measured by ${r.generate.measuredBy === 'cli' ? 'the CLI (node bin/run.js pipeline generate)' : 'the in-process library'}` } : {}) },
    { name: '--help cold start', target: '≤ 0.4 s', value: r.helpSeconds, unit: 's', met: at(r.helpSeconds, (v) => v <= 0.4), note: 'node bin/run.js --help, median of 5' },
  ];
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const fmt = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : String(Math.round(v * 10 ** digits) / 10 ** digits));
const verdict = (met: boolean | null) => (met === null ? 'n/a' : met ? 'met' : 'MISSED');

function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function writesTable(title: string, writes: Record<string, number> | undefined, limit = 25): string {
  if (writes === undefined) return '';
  const rows = Object.entries(writes).slice(0, limit).map(([k, v]) => [k, v]);
  const rest = Object.keys(writes).length - rows.length;
  return `#### ${title}\n\n${rows.length === 0 ? '_none_' : table(['verb resource', 'requests'], rows)}${rest > 0 ? `\n\n(${rest} more)` : ''}\n`;
}

/** The report; with `comparison` (from --compare) it gains a section comparing with that run. */
export function markdown(r: BenchResults, comparison?: Comparison): string {
  const out: string[] = [];
  out.push(`# mcp-runtime benchmark${r.smoke ? ' (smoke)' : ''}\n`);
  out.push(
    table(['run', ''], [
      ...headerRows(r),
      ['Kubernetes (local control plane)', r.cluster ? `${r.cluster.kubernetesVersion}, ${r.cluster.nodes} KWOK node(s), start-up ${fmt(r.cluster.startupMs / 1000)} s` : '—'],
      ['operator', r.operator ? `${r.operator.source === 'dist' ? 'built JS (dist/)' : 'TypeScript via tsx (no dist/)'}${r.operator.staleSources && r.operator.staleSources.length > 0 ? `, **dist older than ${r.operator.staleSources.length} source file(s)**` : ''}` : '—'],
    ]),
  );
  if (r.errors.length > 0) out.push(`\n**Errors:**\n\n${r.errors.map((e) => `- ${e.split('\n')[0]}`).join('\n')}`);
  out.push('\n## Targets\n');
  out.push(table(['metric', 'value', 'target', 'result', 'note'], r.targets.map((t) => [t.name, `${fmt(t.value)} ${t.unit}`, t.target, verdict(t.met), t.note ?? ''])));
  if (comparison) out.push(`\n${comparisonMarkdown(comparison)}`);
  out.push('\n## Figures\n');
  const rows: (string | number)[][] = [
    ['n', r.n, 'MCPServers created in one burst'],
    ['convergeSeconds', fmt(r.convergeSeconds), 'first POST → every Deployment, Service, Ingress and Middleware exists'],
    ['readySeconds', fmt(r.readySeconds), 'first POST → every server status.phase Ready (pods Ready via KWOK)'],
    ['floorSeconds', fmt(r.floorSeconds), 'the same server-side applies and one status write per server from a tight keep-alive client loop, same concurrency and identity (mean of the runs right before and right after converge)'],
    ['ratio', fmt(r.ratio), 'convergeSeconds / floorSeconds'],
    ['requestRatio', fmt(r.requestRatio ?? null), 'operator requests (all verbs) until every child existed / floor requests (applies and status writes): the work ratio, independent of machine load'],
    ['idleWrites', fmt(r.idleWrites, 0), `writes in a ${r.idleWindowSeconds} s window once the control plane went quiet after Ready${r.idle ? ` (${r.idle.settleSeconds} s later)` : ''}; heartbeats excluded`],
    ['idleOperatorWrites', fmt(r.idleOperatorWrites ?? null, 0), `the operator's own writes in that window (${r.idle?.idleOperatorWritesSource ?? 'API server counters by resource'})`],
    ['updateWaveSeconds', fmt(r.updateWaveSeconds), 'env var changed on all N → every server observed and Ready again'],
    ['peakRssMb', fmt(r.peakRssMb, 1), 'operator node process VmHWM over converge, idle and update wave'],
    ['synthSeconds', fmt(r.synthSeconds, 3), 'platform synth (synthPlatform), in-process, median'],
    ['generate1000Seconds', fmt(r.generate1000Seconds, 3), r.generate?.measuredBy === 'cli' ? '`pipeline generate` CLI, 1,000 servers, median' : 'in-process generate, 1,000 servers, median'],
    ['helpSeconds', fmt(r.helpSeconds, 3), '`node bin/run.js --help`, median of 5'],
  ];
  if (r.converge) {
    rows.push(['createBurstSeconds', fmt(r.converge.createBurstSeconds), 'the POST burst itself']);
    for (const [kind, s] of Object.entries(r.converge.childSeconds)) rows.push([`last ${kind}`, fmt(s), 's after the first POST']);
    rows.push(['operator requests / server (until children)', fmt(r.converge.operatorRequestsPerServerUntilChildren), 'all verbs, flow schema service-accounts']);
    rows.push(['operator requests / server (until Ready)', fmt(r.converge.operatorRequestsPerServerUntilReady), 'all verbs']);
    if (r.converge.lag) rows.push(['operator lag p50 / p99 / max', `${fmt(r.converge.lag.p50Ms, 0)} / ${fmt(r.converge.lag.p99Ms, 0)} / ${fmt(r.converge.lag.maxMs, 0)}`, `ms from a server's Deployment becoming ready (rollout complete) to the server showing Ready, both as the benchmark's watches saw them; ${r.converge.lag.servers} servers${r.converge.lag.readyFirst > 0 ? `, ${r.converge.lag.readyFirst} seen Ready first (counted as 0)` : ''}`]);
    const split = (name: string, f: { servers: number; p50Ms: number; p99Ms: number; maxMs: number } | undefined, meaning: string) => {
      if (f !== undefined) rows.push([name, `${fmt(f.p50Ms, 0)} / ${fmt(f.p99Ms, 0)} / ${fmt(f.maxMs, 0)}`, `ms, ${f.servers} servers ${meaning}`]);
    };
    split('… Deployment ready while children were still being created', r.converge.lag?.whileConverging, 'whose Deployment became ready before every child of every server existed (API server saturated by the burst)');
    split('… Deployment ready after that', r.converge.lag?.afterConverged, 'whose Deployment became ready after every child existed');
    rows.push(['operator apply+status writes / server (until Ready)', fmt(r.converge.operatorWritesPerServerUntilReady), 'APPLY of children + PATCH mcpservers/status (events not included: the scheduler writes events.k8s.io too)']);
  }
  if (r.updateWave) {
    rows.push(['update: patch burst', fmt(r.updateWave.patchBurstSeconds), 's']);
    rows.push(['update: observedGeneration caught up', fmt(r.updateWave.observedSeconds), 's (the operator re-applied every Deployment)']);
    rows.push(['update: operator requests / server', fmt(r.updateWave.operatorRequestsPerServer), 'all verbs']);
  }
  if (r.floor) {
    for (const f of r.floor) {
      rows.push([`floor (${f.client}, ${f.when} ${f.client === 'keepalive' ? 'converge' : 'the operator phases'})`, fmt(f.floorSeconds), `${f.applies} applies${f.statusWrites === undefined ? '' : ` + ${f.statusWrites} status writes`}${f.settledSeconds === null ? '' : `; its Deployments all available after ${fmt(f.settledSeconds)} s`}${f.watched === true ? '; the benchmark\'s watches ran, as in converge' : ''}`]);
      if (f.cpu !== undefined) rows.push([`… CPU in that floor`, windowCpuText(f.cpu), 's of CPU in the window']);
    }
  }
  if (r.converge?.cpu !== undefined) rows.push(['… CPU in converge (first POST → every child)', windowCpuText(r.converge.cpu) + (r.operator?.cpuSeconds.converge == null ? '' : `; operator ${fmt(r.operator.cpuSeconds.converge)} from the first POST until Ready`), 's of CPU in the window']);
  if (r.cpuBreakdown !== undefined) {
    const b = r.cpuBreakdown;
    const extra = Object.entries(b.extraByProcess).sort((x, y) => y[1] - x[1]).map(([name, s]) => `${name} ${s >= 0 ? '+' : ''}${fmt(s)}`).join(', ');
    rows.push(['CPU: converge / floor', `${fmt(b.convergeCpuSeconds)} / ${fmt(b.floorCpuSeconds)} = ${fmt(b.cpuRatio)} ×`, `CPU-s of every process in the window (floor: the keep-alive floors' mean); cores busy ${fmt(b.convergeUtilization * 100, 0)} % / ${fmt(b.floorUtilization * 100, 0)} % (near 100 % in both, the time ratio follows the CPU ratio)`]);
    rows.push(['… converge beyond the floor, by process', extra, 'CPU-s']);
    rows.push(['ratio without the operator\'s own CPU', fmt(b.ratioWithoutOperatorCpu), 'ratio × (converge CPU − operator CPU) / converge CPU: the ratio if the operator\'s own CPU were free while the rest of the window stayed (the MCPServer creates, the watches, the control plane\'s steady work); the operator cannot win back more than the difference. An upper estimate: a shorter window would hold less of that steady work']);
  }
  if (r.floorKubeClientSeconds !== undefined) rows.push(['ratio vs KubeClient floor', fmt(r.convergeSeconds !== null && r.floorKubeClientSeconds ? r.convergeSeconds / r.floorKubeClientSeconds : null), 'convergeSeconds / floor with the operator\'s own client']);
  if (r.operator) {
    const c = r.operator.cpuSeconds;
    rows.push(['operator CPU (converge / idle / update / total)', `${fmt(c.converge)} / ${fmt(c.idle)} / ${fmt(c.updateWave)} / ${fmt(c.total)}`, 's of utime+stime of the node process']);
    rows.push(['operator RSS (after Ready / after idle / at end)', `${fmt(r.operator.rssAfterReadyMb, 1)} / ${fmt(r.operator.rssAfterIdleMb, 1)} / ${fmt(r.operator.rssAtEndMb, 1)}`, 'MB VmRSS']);
  }
  if (r.synth) rows.push(['synth first run', fmt(r.synth.firstSeconds, 3), `s incl. module import; ${r.synth.files} files, ${r.synth.objects} objects`]);
  if (r.generate) {
    rows.push(['generate in-process (median / first)', `${fmt(r.generate.inProcess.medianSeconds, 3)} / ${fmt(r.generate.inProcess.firstSeconds, 3)}`, 's; first includes module import']);
    if (r.generate.cli) rows.push(['generate CLI', r.generate.cli.ok ? fmt(r.generate.cli.medianSeconds, 3) : `failed: ${r.generate.cli.error ?? ''}`, r.generate.cli.command]);
  }
  out.push(table(['figure', 'value', 'meaning'], rows));

  if (r.userFacing) {
    const u = r.userFacing;
    out.push('\n## What users feel (real node)\n');
    out.push(
      `From \`${u.command}\` started ${u.date}${u.loadAtStart ? ` at load ${u.loadAtStart.join(' / ')}` : ''} (${u.source}; KWOK pods serve nothing, so these come from the real node with the real Traefik):\n`,
    );
    out.push(
      table(['figure', 'value', 'meaning'], [
        ['deploy → first tool call', `${fmt(u.deployToFirstCallSeconds, 3)} s${u.deployToFirstCallMaxSeconds === null ? '' : ` (median; slowest ${fmt(u.deployToFirstCallMaxSeconds, 3)} s of ${u.deployToFirstCallServers ?? '—'})`}`, 'MCPServer created → first tools/call answered through /<name>/mcp (image already on the node)'],
        ['route p50 / pod p50', `${fmt(u.routeP50Ms, 3)} / ${fmt(u.podP50Ms, 3)} ms → ${fmt(u.routeP50Ratio, 3)} ×`, 'one tool call, one session: through Traefik and the gateway against the pod directly'],
        ['route p99 / pod p99', `${fmt(u.routeP99Ms, 3)} / ${fmt(u.podP99Ms, 3)} ms → ${fmt(u.routeP99Ratio, 3)} ×`, 'the same calls at p99'],
      ]),
    );
  }

  out.push('\n## Write requests (cluster-wide, from the API server\'s apiserver_request_total)\n');
  out.push(
    'Counts include every client: the operator and the floor client are the only ones that APPLY, and the only ServiceAccount ' +
      '(flow schema `service-accounts`); kube-controller-manager, the scheduler and KWOK write pods, replicasets, */status, ' +
      'endpointslices and events with an admin certificate (flow schema `exempt`).\n',
  );
  if (r.converge) {
    out.push(writesTable('Converge: first POST → every child exists', r.converge.untilChildren.writesByVerbResource));
    out.push(writesTable('Converge: first POST → every server Ready', r.converge.untilReady.writesByVerbResource));
    out.push(`Requests by flow schema until Ready: ${JSON.stringify(r.converge.untilReady.requestsByFlowSchema)}\n`);
    if (r.converge.operatorRequestsByMethod) out.push(`The operator's own count of its requests until Ready (rest_client_requests_total): ${JSON.stringify(r.converge.operatorRequestsByMethod)}\n`);
  }
  if (r.idle) {
    out.push(writesTable(`Settling: from Ready until the window opened (${r.idle.settleSeconds} s${r.idle.settleTimedOut ? ', limit reached' : ''}; heartbeats excluded)`, r.idle.settleWritesByVerbResource));
    out.push(writesTable(`Idle window (${r.idleWindowSeconds} s; ${r.idle.excludedHeartbeatWrites} heartbeat writes excluded)`, r.idle.writesByVerbResource));
    out.push(`Operator requests of any verb in the window (flow schema service-accounts): ${r.idle.operatorRequests}; operator writes in the window: ${fmt(r.idleOperatorWrites ?? null, 0)} (from ${r.idle.idleOperatorWritesSource ?? 'API server counters by resource'})${r.idle.operatorRequestsByMethod ? `; its own count by method: ${JSON.stringify(r.idle.operatorRequestsByMethod)}` : ''}\n`);
  }
  if (r.updateWave) {
    out.push(writesTable('Update wave', r.updateWave.delta.writesByVerbResource));
    if (r.updateWave.operatorRequestsByMethod) out.push(`The operator's own count of its requests in the wave: ${JSON.stringify(r.updateWave.operatorRequestsByMethod)}\n`);
  }
  if (r.floor) for (const f of r.floor) out.push(writesTable(`Floor (${f.client}, ${f.when})`, f.delta.writesByVerbResource));

  if (r.cacheFootprint) {
    out.push('\n## What an informer cache holds at this scale\n');
    out.push(
      table(
        ['kind', 'objects', 'mean JSON bytes', 'of which managedFields'],
        Object.entries(r.cacheFootprint).map(([kind, f]) => [kind, f.objects, f.meanJsonBytes, `${f.meanManagedFieldsBytes} (${Math.round((f.meanManagedFieldsBytes / Math.max(1, f.meanJsonBytes)) * 100)}%)`]),
      ),
    );
    out.push('\nMeasured on the benchmark\'s own informers, which list and watch the same objects as the operator\'s (after every server was Ready).\n');
  }

  const memory = r.operator?.memoryAfterReady;
  if (memory) {
    out.push('\n## Where the operator\'s memory is (after every server was Ready)\n');
    out.push(
      `RSS ${fmt(r.operator?.rssAfterReadyMb ?? null, 1)} MB; V8 heap ${fmt(memory.heapUsedMb, 1)} MB used of ${fmt(memory.heapTotalMb, 1)} MB; outside the heap (buffers) ${fmt(memory.externalMb, 1)} MB. ` +
        'Per informer, from the operator\'s own metrics (informer_cache_objects, informer_cache_json_bytes: the JSON length of what it keeps, after field projection):\n',
    );
    out.push(table(['informer', 'objects', 'kept JSON KB', 'bytes per object'], memory.caches.map((c) => [c.informer, c.objects, c.jsonKb, c.objects > 0 ? Math.round((c.jsonKb * 1024) / c.objects) : '—'])));
  }

  if (r.operator) {
    out.push('\n## Operator process\n');
    out.push(`- command: \`${r.operator.command}\``);
    if (r.operator.distBuiltAt) out.push(`- dist built at ${r.operator.distBuiltAt}${r.operator.staleSources && r.operator.staleSources.length > 0 ? `; newer sources: ${r.operator.staleSources.slice(0, 10).join(', ')}${r.operator.staleSources.length > 10 ? ', …' : ''}` : '; no source file is newer'}`);
    out.push(`- counters: ${Object.entries(r.operator.counters).map(([k, v]) => `${k} ${v}`).join(', ') || '—'}`);
    if (r.operator.helpers.length > 0) out.push(`- helper processes (not in RSS/CPU above): ${r.operator.helpers.map((h) => `${h.comm} ${h.rssMb} MB`).join(', ')}`);
    if (r.operator.cpuProfile) out.push(`- CPU profile: ${r.operator.cpuProfile}`);
  }
  out.push('\n## Method\n');
  out.push(
    [
      '- A real kube-apiserver, etcd, kube-controller-manager and kube-scheduler on 127.0.0.1 with KWOK-simulated nodes (`startControlPlane`); pods become Ready through KWOK, so "Ready" includes the control plane\'s own Deployment → ReplicaSet → Pod work (kube-controller-manager\'s client is rate-limited to its default 20 QPS per controller).',
      '- The operator runs as a subprocess started as the platform\'s Deployment starts it (`node dist/src/operator/main.js`, settings in the environment: INGRESS_READINESS=permissive, LEADER_ELECT=false, VERIFY_SERVERS=false, WATCH_NAMESPACES), under its own ServiceAccount bound to the chart\'s ClusterRole (OPERATOR_RULES), watching only the benchmark namespace (Pod Security `restricted`).',
      '- Operator lag: per server, the moment the benchmark\'s watch saw its Deployment\'s rollout complete (the operator\'s own readiness rule) to the moment it saw the server\'s status.phase Ready; the watch delay is common to both and cancels out.',
      '- Progress is observed with list+watch informers (no polling); times are from the first POST to the event that completed the condition.',
      '- Floor (the work the job needs): renderServer\'s objects for the same N servers (NetworkPolicy, Deployment, Service, Middleware, Ingress) with a controller ownerReference to that server\'s MCPServer (created before the clock starts), server-side applied (force, field manager mcp-runtime-operator) into a fresh restricted namespace with the operator\'s token, then one status write per server (merge patch of the status the operator computes for just-created children); `concurrency` servers at a time, the objects of a server applied together as the operator\'s reconciler does, over keep-alive connections, while the benchmark\'s own watches (those that time converge) watch the floor\'s namespace as they watch converge\'s. Timed once right before converge and once right after it (the operator running, idle), each time followed by a wait until the control plane has created those Deployments\' pods; floorSeconds is the mean: the two floors bracket the cluster state converge ran on, and even out load that drifts during the run. Every timed window (each floor, converge) starts once the control plane has been quiet for 5 s (no write but heartbeats), not in the tail of the phase before. The KubeClient variant repeats it through the operator\'s own client (`applyObject`).',
      '- The machine is shared: other work running at the same time slows the API server and moves every figure; compare the load averages.',
      '- Idle: after every server is Ready the benchmark waits until 5 s pass without a write (kube-controller-manager trails with its rate-limited core/v1 Events), at most `--idle-settle-max-seconds`; then counts writes for `--idle-seconds`. KWOK\'s node heartbeats (`nodes/status`, `leases`) are excluded; every other write counts, whoever made it. The settling period\'s writes are listed too.',
      '- RSS is VmHWM and CPU is utime+stime of the operator\'s node process (/proc), not of helper processes.',
    ].join('\n'),
  );
  return `${out.join('\n')}\n`;
}

/** Console summary: every target and the ratios. */
export function summary(r: BenchResults): string {
  const lines = [`n=${r.n} converge ${fmt(r.convergeSeconds)} s, ready ${fmt(r.readySeconds)} s, floor ${fmt(r.floorSeconds)} s → ratio ${fmt(r.ratio)} (request ratio ${fmt(r.requestRatio ?? null)})`];
  if (r.floor) lines.push(`floor runs: ${r.floor.map((f) => `${f.client}/${f.when} ${fmt(f.floorSeconds)} s`).join(', ')}`);
  if (r.floorKubeClientSeconds) lines.push(`floor with the operator's KubeClient ${fmt(r.floorKubeClientSeconds)} s → ratio ${fmt(r.convergeSeconds !== null ? r.convergeSeconds / r.floorKubeClientSeconds : null)}`);
  lines.push(`update wave ${fmt(r.updateWaveSeconds)} s, idle writes ${fmt(r.idleWrites, 0)}, peak RSS ${fmt(r.peakRssMb, 1)} MB, synth ${fmt(r.synthSeconds, 3)} s, generate 1000 ${fmt(r.generate1000Seconds, 3)} s, --help ${fmt(r.helpSeconds, 3)} s`);
  for (const t of r.targets) lines.push(`  ${verdict(t.met).padEnd(6)} ${t.name}: ${fmt(t.value)} ${t.unit} (target ${t.target})${t.note ? ` — ${t.note}` : ''}`);
  return lines.join('\n');
}

/** Writes <prefix>.md/.json (and dated copies for full runs); returns the paths. */
export function writeResults(r: BenchResults, dir: string, names: string[], comparison?: Comparison): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const name of names) {
    writeFileSync(join(dir, `${name}.md`), markdown(r, comparison));
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
    written.push(join(dir, `${name}.md`), join(dir, `${name}.json`));
  }
  return written;
}
