/** Command-line flags of `npm run bench` (node:util parseArgs). */
import { parseArgs } from 'node:util';
import type { FloorClient } from './floor.js';
import { OPERATOR_NODE_FLAGS, type OperatorSource } from './operator-process.js';

export interface BenchOptions {
  n: number;
  smoke: boolean;
  idleSeconds: number;
  idleSettleMaxSeconds: number;
  concurrency: number;
  createConcurrency: number;
  nodes: number | undefined;
  operatorFrom: 'auto' | OperatorSource;
  cpuProf: boolean;
  /** Only the floors and converge (no idle window, no update wave): a quick A/B of converge. */
  convergeOnly: boolean;
  /** Node flags of the operator process; default the Deployment's (OPERATOR_NODE_FLAGS). */
  operatorNodeFlags: string[] | undefined;
  floorClients: FloorClient[];
  timeoutMinutes: number;
  skipCluster: boolean;
  skipOffline: boolean;
  output: string | undefined;
  /**
   * --compare: compare with a results file after the run. `previous` = the previous committed
   * run of the same kind (HEAD's latest.json, or smoke.json for --smoke).
   */
  compare: { file: string } | 'previous' | undefined;
}

export const USAGE = `Usage: npm run bench -- [flags]

  --n <count>                 MCPServers to create (default 1000; --smoke: 20)
  --smoke                     small and quick, same code path (n=20, 5 s idle window); writes results/smoke.*
  --idle-seconds <s>          idle window after convergence (default 60; --smoke: 5)
  --idle-settle-max-seconds <s>  wait at most this long for the control plane to go quiet before the window (default 300; --smoke: 30)
  --concurrency <c>           operator --concurrency and the floor's concurrency (default 4, the operator's default)
  --create-concurrency <c>    concurrent POSTs/PATCHes of the burst and the update wave (default 16)
  --nodes <count>             simulated nodes (default: enough for every pod of the run)
  --operator-from <auto|dist|src>  the operator container's entry built (dist/src/operator/main.js) or from
                              the TypeScript sources via tsx (src/operator/main.ts); auto = dist if built
  --cpu-prof                  write a V8 CPU profile of the operator into bench/results/tmp/<run>/ (the profiler
                              skews RSS and CPU, so such runs write there too, never latest.*)
  --converge-only             only the floors and converge (no idle window, no update wave): a quick A/B; such
                              runs write into bench/results/tmp/<run>/, never latest.*
  --operator-node-flags=<f>   the operator's node flags, space-separated ("" for none; default the Deployment's,
                              ${OPERATOR_NODE_FLAGS.join(' ')}); other than the default, written to tmp/<run>/ too
  --floor-clients <list>      keepalive,kubeclient (default both). keepalive is the floor: timed right before and right
                              after converge (floorSeconds = mean); kubeclient = the operator's own client, at the end
  --timeout-minutes <m>       give up waiting for a phase after this long (default 30)
  --skip-cluster              only the offline timings (synth, generate, --help)
  --skip-offline              only the cluster phases
  --output <dir>              results folder (default bench/results)
  --compare [FILE]            after the run, print each figure against FILE (old → new, change in %, better/worse,
                              ! beyond the noise) and add that section to the report. Without FILE: the previous
                              committed run, git HEAD's bench/results/latest.json (smoke.json for --smoke), else
                              the working tree's copy. Checked before the run starts.
  --help
`;

function int(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}`);
  return value;
}

/**
 * `--compare` takes an optional value, which parseArgs cannot express: `--compare FILE` and
 * `--compare=FILE` name a file; `--compare` followed by a flag or nothing means the previous run.
 */
function takeCompare(argv: string[]): { rest: string[]; compare: BenchOptions['compare'] } {
  const rest: string[] = [];
  let compare: BenchOptions['compare'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--compare') {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        compare = { file: next };
        i++;
      } else compare = 'previous';
    } else if (arg.startsWith('--compare=')) {
      const file = arg.slice('--compare='.length);
      if (file === '') throw new Error('--compare= needs a file name (or use --compare alone for the previous committed run)');
      compare = { file };
    } else rest.push(arg);
  }
  return { rest, compare };
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { rest, compare } = takeCompare(argv);
  const { values } = parseArgs({
    args: rest,
    options: {
      n: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      'idle-seconds': { type: 'string' },
      'idle-settle-max-seconds': { type: 'string' },
      concurrency: { type: 'string' },
      'create-concurrency': { type: 'string' },
      nodes: { type: 'string' },
      'operator-from': { type: 'string', default: 'auto' },
      'cpu-prof': { type: 'boolean', default: false },
      'converge-only': { type: 'boolean', default: false },
      'operator-node-flags': { type: 'string' },
      'floor-clients': { type: 'string', default: 'keepalive,kubeclient' },
      'timeout-minutes': { type: 'string' },
      'skip-cluster': { type: 'boolean', default: false },
      'skip-offline': { type: 'boolean', default: false },
      output: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const smoke = values.smoke;
  const from = values['operator-from'];
  if (from !== 'auto' && from !== 'dist' && from !== 'src') throw new Error(`--operator-from must be auto, dist or src, got ${from}`);
  const floorClients = values['floor-clients'].split(',').map((s) => s.trim()).filter(Boolean);
  for (const c of floorClients) if (c !== 'keepalive' && c !== 'kubeclient') throw new Error(`--floor-clients: unknown client ${c}`);
  if (floorClients.length === 0) throw new Error('--floor-clients needs at least one client');
  return {
    n: int('n', values.n, smoke ? 20 : 1000),
    smoke,
    idleSeconds: int('idle-seconds', values['idle-seconds'], smoke ? 5 : 60, 0),
    idleSettleMaxSeconds: int('idle-settle-max-seconds', values['idle-settle-max-seconds'], smoke ? 30 : 300, 0),
    concurrency: int('concurrency', values.concurrency, 4),
    createConcurrency: int('create-concurrency', values['create-concurrency'], 16),
    nodes: values.nodes === undefined ? undefined : int('nodes', values.nodes, 1),
    operatorFrom: from,
    cpuProf: values['cpu-prof'],
    convergeOnly: values['converge-only'],
    operatorNodeFlags: values['operator-node-flags']?.split(' ').filter(Boolean),
    floorClients: floorClients as FloorClient[],
    timeoutMinutes: int('timeout-minutes', values['timeout-minutes'], 30),
    skipCluster: values['skip-cluster'],
    skipOffline: values['skip-offline'],
    output: values.output,
    compare,
  };
}
