/**
 * `npm run bench:gateway`: what users feel on a real node (real kubelet, real Traefik, the
 * gateway's real pods). In one run, side by side:
 *
 * - one tool call's latency (p50, p99) and throughput, at 1 and at 50 concurrent sessions, on
 *   three paths: the pod directly, Traefik straight to the pods (the platform's route with
 *   spec.gateway.enabled: false, to an identical pod of a second server), and Traefik + the
 *   gateway (the server's own route, to the first pod). The three are interleaved in rounds so
 *   load drifts hit all of them alike; the report prints the gateway's added p50 in ms and the
 *   p99 and throughput ratios;
 * - `deploy → first tool call answered through /<name>/mcp` for new servers whose image the node
 *   already has, deployed one after another (`--first-calls`, default 5): median and slowest;
 * - the gateway's resident memory before and after 1,000 sessions are opened through it (it keeps
 *   no per-session state: the id the client holds carries it).
 *
 * Never fails on a number: targets are printed as met / MISSED. Writes bench/results/gateway-latest.{json,md}
 * (or gateway-smoke.* with --smoke).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { waitFor } from '../src/local-cluster/index.js';
import { mcpServers, NAMESPACE } from '../test/integration/e2e/mcpservers.js';
import { startRealCluster, type RealCluster } from '../test/integration/e2e/real-node-cluster.js';
import { currentLoad, machineInfo } from './machine.js';
import { percentile } from './percentile.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    calls: { type: 'string' },
    sessions: { type: 'string', default: '50' },
    'open-sessions': { type: 'string' },
    'first-calls': { type: 'string' },
  },
});
const SMOKE = values.smoke === true;
/** Rounds of interleaved blocks: per path, `calls` sequential calls on one session, then `calls / 10` calls on each of `sessions` sessions at once. */
const ROUNDS = Number(values.rounds ?? (SMOKE ? 2 : 6));
const CALLS_PER_BLOCK = Number(values.calls ?? (SMOKE ? 30 : 150));
const SESSIONS = Number(values.sessions);
const OPEN_SESSIONS = Number(values['open-sessions'] ?? (SMOKE ? 100 : 1000));
/** New servers deployed one after another for deploy → first call: one sample hides a probe period missed (10 s). */
const FIRST_CALLS = Number(values['first-calls'] ?? (SMOKE ? 1 : 5));

type PathName = 'pod' | 'traefik' | 'gateway';
const PATHS: readonly PathName[] = ['pod', 'traefik', 'gateway'];

interface Sample {
  latenciesMs: number[];
  failures: string[];
  calls: number;
  wallMs: number;
}

interface PathFigures {
  calls: number;
  failed: number;
  firstFailure?: string;
  p50Ms: number;
  p99Ms: number;
  callsPerSecond: number;
}

const log = (line: string) => console.log(`   ${line}`);
const ms = (x: number) => Math.round(x * 1000) / 1000;

async function connect(url: string, fetchImpl: typeof fetch): Promise<Client> {
  const client = new Client({ name: 'mcp-runtime-bench', version: '0.1.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: fetchImpl }));
  return client;
}

/** Sequential calls; a failed one is counted in `failures` (with its message), never retried. */
async function timedCalls(client: Client, n: number, into: number[], failures: string[] = []): Promise<void> {
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    try {
      const r = await client.callTool({ name: 'convert_temperature', arguments: { value: i, from: 'celsius', to: 'kelvin' } });
      if (r.isError === true) failures.push(`tool error: ${JSON.stringify(r.content)}`);
      else into.push(performance.now() - started);
    } catch (error) {
      failures.push(String((error as Error).cause ?? error));
    }
  }
}

/** Resident memory (MiB) of every gateway process on this host (the pods' node processes). */
function gatewayRssMiB(): number {
  let kb = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('/app/dist/src/gateway/main.js')) continue;
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      // the process ended while we looked
    }
  }
  return Math.round((kb / 1024) * 10) / 10;
}

async function main(): Promise<void> {
  const started = new Date();
  const loadStart = currentLoad();
  console.log(`bench:gateway ${SMOKE ? '(smoke) ' : ''}— rounds ${ROUNDS}, ${CALLS_PER_BLOCK} calls per block, ${SESSIONS} concurrent sessions, ${OPEN_SESSIONS} open sessions`);
  const c: RealCluster = await startRealCluster(log);
  try {
    const servers = mcpServers(c.kc);
    const spec = (extra: Record<string, unknown> = {}) => ({
      image: c.image('weather'),
      port: 8088,
      replicas: 1,
      stateless: true,
      probe: { type: 'http', path: '/healthz' },
      ...extra,
    });
    await servers.create('weather', spec({ ingressPath: '/weather/mcp' }));
    await servers.waitFor('weather', 'Ready', (s) => s.phase === 'Ready');

    // Deploy → first call: the image is on the node now (weather pulled it).
    const firstCallSamples: number[] = [];
    for (let i = 0; i < FIRST_CALLS; i++) {
      const name = `firstcall-${i}`;
      const deployStarted = performance.now();
      await servers.create(name, spec({ ingressPath: `/${name}/mcp` }));
      const first = await waitFor(
        `the first tool call answered through /${name}/mcp`,
        async () => {
          const client = await connect(`${c.base}/${name}/mcp`, c.fetch);
          const r = await client.callTool({ name: 'convert_temperature', arguments: { value: 1, from: 'celsius', to: 'kelvin' } });
          await client.close();
          return r;
        },
        { timeoutMs: 120_000, intervalMs: 100 },
      );
      if (first.isError === true) throw new Error(`the first call to ${name} failed`);
      firstCallSamples.push(Math.round(performance.now() - deployStarted) / 1000);
    }
    const sortedFirstCalls = [...firstCallSamples].sort((a, b) => a - b);
    const deployToFirstCallSeconds = percentile(sortedFirstCalls, 50);
    const deployToFirstCallMaxSeconds = percentile(sortedFirstCalls, 100);
    log(`deploy → first tool call through the route: median ${deployToFirstCallSeconds} s, max ${deployToFirstCallMaxSeconds} s (${firstCallSamples.join(', ')} s)`);

    // Traefik straight to the pods: the platform's own route with the gateway turned off, to an
    // identical pod (same image, node and resources) of a second server.
    await servers.create('weather-direct', spec({ ingressPath: '/weather-direct/mcp', gateway: { enabled: false } }));
    await servers.waitFor('weather-direct', 'Ready', (s) => s.phase === 'Ready');
    const k8s = await import('@kubernetes/client-node');
    const pods = (await c.kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=weather' })).items;
    const podIP = pods[0]?.status?.podIP;
    if (podIP === undefined) throw new Error('no weather pod IP');
    const urls: Record<PathName, string> = {
      pod: `http://${podIP}:8088/mcp`,
      traefik: `${c.base}/weather-direct/mcp`,
      gateway: `${c.base}/weather/mcp`,
    };
    // The route's host name resolves to 127.0.0.1 (c.fetch); the pod IP is reached as it is.
    const fetchFor = (p: PathName): typeof fetch => (p === 'pod' ? fetch : c.fetch);
    for (const path of PATHS) {
      await waitFor(`a session on the ${path} path (${urls[path]})`, () => connect(urls[path], fetchFor(path)).then((cl) => cl.close().then(() => 'ok'), (e: unknown) => String(e)), {
        until: (outcome) => outcome === 'ok',
        timeoutMs: 30_000,
        intervalMs: 250,
      });
    }

    const emptySamples = (): Record<PathName, Sample> => ({
      pod: { latenciesMs: [], failures: [], calls: 0, wallMs: 0 },
      traefik: { latenciesMs: [], failures: [], calls: 0, wallMs: 0 },
      gateway: { latenciesMs: [], failures: [], calls: 0, wallMs: 0 },
    });
    const samples: Record<number, Record<PathName, Sample>> = { 1: emptySamples(), [SESSIONS]: emptySamples() };
    // One long-lived session per path for c=1 and SESSIONS per path for c=SESSIONS, as clients keep them.
    const single = Object.fromEntries(await Promise.all(PATHS.map(async (p) => [p, await connect(urls[p], fetchFor(p))] as const))) as Record<PathName, Client>;
    const many = Object.fromEntries(
      await Promise.all(PATHS.map(async (p) => [p, await Promise.all(Array.from({ length: SESSIONS }, () => connect(urls[p], fetchFor(p))))] as const)),
    ) as Record<PathName, Client[]>;
    for (const p of PATHS) await timedCalls(single[p], 20, []); // warm-up: JIT, keep-alive connections
    const perSession = Math.max(1, Math.round(CALLS_PER_BLOCK / 10));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no path always runs first.
      const order = PATHS.map((_, i) => PATHS[(i + round) % PATHS.length]!);
      for (const p of order) {
        const s1 = samples[1]![p];
        const t0 = performance.now();
        await timedCalls(single[p], CALLS_PER_BLOCK, s1.latenciesMs, s1.failures);
        s1.wallMs += performance.now() - t0;
        s1.calls += CALLS_PER_BLOCK;

        const sN = samples[SESSIONS]![p];
        const t1 = performance.now();
        await Promise.all(many[p].map((client) => timedCalls(client, perSession, sN.latenciesMs, sN.failures)));
        sN.wallMs += performance.now() - t1;
        sN.calls += perSession * SESSIONS;
      }
      log(`round ${round + 1}/${ROUNDS} done`);
    }
    for (const p of PATHS) {
      await single[p].close();
      await Promise.all(many[p].map((cl) => cl.close()));
    }

    // Memory per open session: sessions of a stateful server through the gateway. A failure here
    // is reported, not fatal: the latency figures above stand on their own.
    let memory: { rssBeforeMiB: number; rssAfterMiB: number; openSessions: number; miBPer1000Sessions: number } | { error: string };
    try {
      await servers.create('notes', { image: c.image('notes'), port: 8088, replicas: 1, ingressPath: '/notes/mcp', probe: { type: 'http', path: '/healthz' }, envVars: [{ name: 'ALLOWED_ORIGINS', value: '' }] });
      await servers.waitFor('notes', 'Ready', (s) => s.phase === 'Ready');
      await waitFor('a session through /notes/mcp', () => connect(`${c.base}/notes/mcp`, c.fetch).then((cl) => cl.close().then(() => 'ok'), (e: unknown) => String(e)), {
        until: (o) => o === 'ok',
        timeoutMs: 30_000,
        intervalMs: 250,
      });
      const rssBefore = gatewayRssMiB();
      const open: Client[] = [];
      for (let i = 0; i < OPEN_SESSIONS; i += SESSIONS) {
        open.push(...(await Promise.all(Array.from({ length: Math.min(SESSIONS, OPEN_SESSIONS - i) }, () => connect(`${c.base}/notes/mcp`, c.fetch)))));
      }
      const rssAfter = gatewayRssMiB();
      log(`gateway RSS (all replicas): ${rssBefore} MiB before, ${rssAfter} MiB with ${open.length} more open sessions`);
      await Promise.all(open.map((cl) => cl.close()));
      memory = { rssBeforeMiB: rssBefore, rssAfterMiB: rssAfter, openSessions: open.length, miBPer1000Sessions: ms(((rssAfter - rssBefore) / open.length) * 1000) };
    } catch (error) {
      memory = { error: (error as Error).message };
      log(`gateway memory phase failed: ${memory.error}`);
    }

    const figures = Object.fromEntries(
      [1, SESSIONS].map((conc) => [
        `c${conc}`,
        Object.fromEntries(
          PATHS.map((p) => {
            const s = samples[conc]![p];
            const sorted = [...s.latenciesMs].sort((a, b) => a - b);
            return [
              p,
              {
                calls: s.calls,
                failed: s.failures.length,
                ...(s.failures.length === 0 ? {} : { firstFailure: s.failures[0] }),
                p50Ms: ms(percentile(sorted, 50)),
                p99Ms: ms(percentile(sorted, 99)),
                callsPerSecond: Math.round((s.latenciesMs.length / s.wallMs) * 1000 * 10) / 10,
              },
            ];
          }),
        ),
      ]),
    ) as Record<string, Record<PathName, PathFigures>>;
    const ratios = Object.fromEntries(
      Object.entries(figures).map(([level, f]) => [
        level,
        {
          gatewayAddedP50Ms: ms(f.gateway.p50Ms - f.traefik.p50Ms),
          gatewayP99Ratio: ms(f.gateway.p99Ms / f.traefik.p99Ms),
          gatewayThroughputRatio: ms(f.gateway.callsPerSecond / f.traefik.callsPerSecond),
          traefikP50Ratio: ms(f.traefik.p50Ms / f.pod.p50Ms),
          routeP50Ratio: ms(f.gateway.p50Ms / f.pod.p50Ms),
          routeP99Ratio: ms(f.gateway.p99Ms / f.pod.p99Ms),
        },
      ]),
    );
    const results = {
      kind: 'gateway',
      smoke: SMOKE,
      date: started.toISOString(),
      endedAt: new Date().toISOString(),
      command: `npm run bench:gateway --${process.argv.slice(2).length === 0 ? '' : ` ${process.argv.slice(2).join(' ')}`}`.replace(/ --$/, ''),
      machine: machineInfo(),
      load: { start: loadStart, end: currentLoad() },
      settings: { rounds: ROUNDS, callsPerBlock: CALLS_PER_BLOCK, sessions: SESSIONS, openSessions: OPEN_SESSIONS },
      deployToFirstCallSeconds,
      deployToFirstCallMaxSeconds,
      deployToFirstCallSamples: firstCallSamples,
      latency: figures,
      ratios,
      gatewayMemory: memory,
    };
    const targets = [
      ['gateway adds ≤ 1 ms at p50 (1 session)', ratios.c1!.gatewayAddedP50Ms <= 1],
      [`gateway adds ≤ 1 ms at p50 (${SESSIONS} sessions)`, ratios[`c${SESSIONS}`]!.gatewayAddedP50Ms <= 1],
      ['gateway p99 ≤ 1.25 × Traefik-direct (1 session)', ratios.c1!.gatewayP99Ratio <= 1.25],
      [`gateway p99 ≤ 1.25 × Traefik-direct (${SESSIONS} sessions)`, ratios[`c${SESSIONS}`]!.gatewayP99Ratio <= 1.25],
      [`deploy → first call ≤ 15 s (the slowest of ${FIRST_CALLS})`, deployToFirstCallMaxSeconds <= 15],
    ] as const;
    const md = report(results, targets);
    console.log(`\n${md}`);
    const dir = join('bench', 'results');
    await mkdir(dir, { recursive: true });
    const base = SMOKE ? 'gateway-smoke' : 'gateway-latest';
    await writeFile(join(dir, `${base}.json`), `${JSON.stringify({ ...results, targets: Object.fromEntries(targets) }, null, 2)}\n`);
    await writeFile(join(dir, `${base}.md`), `${md}\n`);
  } finally {
    await c.stop();
  }
}

function report(r: { [k: string]: unknown } & { latency: Record<string, Record<PathName, PathFigures>>; ratios: Record<string, Record<string, number>> }, targets: readonly (readonly [string, boolean])[]): string {
  const lines = [
    `# Gateway and route benchmark${r.smoke === true ? ' (smoke)' : ''}`,
    '',
    `| | |`,
    `|---|---|`,
    `| command | \`${String(r.command)}\` |`,
    `| started / ended (UTC) | ${String(r.date)} / ${String(r.endedAt)} |`,
    `| machine | ${JSON.stringify(r.machine)} |`,
    `| load at start / end | ${JSON.stringify(r.load)} |`,
    `| settings | ${JSON.stringify(r.settings)} |`,
    '',
    'One tool call (`convert_temperature`, MCP SDK client, session kept open) on three paths: pod direct and gateway to one pod, Traefik-direct to an identical pod:',
    '',
    '| sessions | path | calls | failed | p50 ms | p99 ms | calls/s |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [level, paths] of Object.entries(r.latency)) {
    for (const p of PATHS) {
      const f = paths[p];
      lines.push(`| ${level.slice(1)} | ${p} | ${f.calls} | ${f.failed}${f.firstFailure === undefined ? '' : ` (${f.firstFailure})`} | ${f.p50Ms} | ${f.p99Ms} | ${f.callsPerSecond} |`);
    }
  }
  lines.push('', '| sessions | gateway adds at p50 (ms) | gateway p99 / Traefik p99 | gateway calls/s / Traefik calls/s | route p50 / pod p50 | route p99 / pod p99 |', '|---|---|---|---|---|---|');
  for (const [level, x] of Object.entries(r.ratios)) {
    lines.push(`| ${level.slice(1)} | ${x.gatewayAddedP50Ms} | ${x.gatewayP99Ratio} | ${x.gatewayThroughputRatio} | ${x.routeP50Ratio} | ${x.routeP99Ratio} |`);
  }
  lines.push('', `deploy → first tool call answered through /<name>/mcp (image on the node), ${String((r.deployToFirstCallSamples as number[]).length)} servers one after another: median **${String(r.deployToFirstCallSeconds)} s**, slowest **${String(r.deployToFirstCallMaxSeconds)} s** (${(r.deployToFirstCallSamples as number[]).join(', ')} s)`);
  lines.push('', `gateway memory (all replicas): ${JSON.stringify(r.gatewayMemory)}`, '', '| target | |', '|---|---|');
  for (const [name, met] of targets) lines.push(`| ${name} | ${met ? 'met' : 'MISSED'} |`);
  return lines.join('\n');
}

await main();
