/**
 * The measured figures of a results file, each with the direction that counts as better, so
 * two runs can be compared figure by figure. Reads the JSON loosely: files of older (or newer)
 * schema versions simply have fewer (or more) figures; nothing here throws on a missing field.
 */

/** lower: seconds, MB, bytes, writes, requests, ratios. higher: throughput. unknown: no verdict. */
export type Better = 'lower' | 'higher' | 'unknown';

export interface Figure {
  /** JSON path, e.g. `convergeSeconds`, `converge.childSeconds.Deployment`, `floor[keepalive/before].floorSeconds`. */
  key: string;
  unit: string;
  better: Better;
  value: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const numberAt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const objectAt = (o: Json, key: string): Json => (isObject(o[key]) ? o[key] : {});

/** Top-level figures, in the report's order. */
const TOP_LEVEL: [key: string, unit: string][] = [
  ['convergeSeconds', 's'],
  ['readySeconds', 's'],
  ['floorSeconds', 's'],
  ['ratio', '×'],
  ['requestRatio', '×'],
  ['idleWrites', 'writes'],
  ['idleOperatorWrites', 'writes'],
  ['updateWaveSeconds', 's'],
  ['peakRssMb', 'MB'],
  ['synthSeconds', 's'],
  ['generate1000Seconds', 's'],
  ['helpSeconds', 's'],
  ['floorKubeClientSeconds', 's'],
  ['durationSeconds', 's'],
];

/** Nested figures: [path of objects, key, unit]. */
const NESTED: [path: string[], key: string, unit: string][] = [
  [['converge'], 'createBurstSeconds', 's'],
  [['converge'], 'operatorRequestsPerServerUntilChildren', 'requests'],
  [['converge'], 'operatorRequestsPerServerUntilReady', 'requests'],
  [['converge'], 'operatorWritesPerServerUntilReady', 'writes'],
  [['converge', 'lag'], 'p50Ms', 'ms'],
  [['converge', 'lag'], 'p99Ms', 'ms'],
  [['updateWave'], 'patchBurstSeconds', 's'],
  [['updateWave'], 'observedSeconds', 's'],
  [['updateWave'], 'operatorRequestsPerServer', 'requests'],
  [['idle'], 'settleSeconds', 's'],
  [['operator'], 'rssAfterReadyMb', 'MB'],
  [['operator'], 'rssAfterIdleMb', 'MB'],
  [['operator'], 'rssAtEndMb', 'MB'],
  [['operator', 'cpuSeconds'], 'converge', 's'],
  [['operator', 'cpuSeconds'], 'idle', 's'],
  [['operator', 'cpuSeconds'], 'updateWave', 's'],
  [['operator', 'cpuSeconds'], 'total', 's'],
  [['synth'], 'firstSeconds', 's'],
  [['generate', 'inProcess'], 'medianSeconds', 's'],
  [['generate', 'inProcess'], 'firstSeconds', 's'],
  [['cluster'], 'startupMs', 'ms'],
  [['cpuBreakdown'], 'cpuRatio', '×'],
  [['cpuBreakdown'], 'ratioWithoutOperatorCpu', '×'],
];

/**
 * Top-level keys that describe the run rather than measure it, or hold figures read above.
 * Any other top-level key (a figure added after this file was written) is picked up generically.
 */
const NOT_GENERIC = new Set([
  'schemaVersion', 'n', 'machine', 'date', 'endedAt', 'smoke', 'command', 'argv', 'git', 'concurrency', 'createConcurrency',
  'idleWindowSeconds', 'loadAverageAtEnd', 'errors', 'targets',
  'cluster', 'operator', 'converge', 'idle', 'updateWave', 'floor', 'synth', 'generate', 'help', 'cacheFootprint', 'cpuBreakdown',
  ...TOP_LEVEL.map(([key]) => key),
]);

/** Direction and unit from a key's name, for figures not listed above. */
export function guessFromName(key: string): { better: Better; unit: string } {
  if (/(PerSecond|Throughput|Rps|Qps)$/i.test(key)) return { better: 'higher', unit: '/s' };
  const lower: [RegExp, string][] = [
    [/Seconds$/i, 's'],
    [/Ms$/, 'ms'],
    [/Mb$/i, 'MB'],
    [/Bytes$/i, 'bytes'],
    [/Writes$/i, 'writes'],
    [/Requests$/i, 'requests'],
    [/ratio$/i, '×'],
  ];
  for (const [pattern, unit] of lower) if (pattern.test(key)) return { better: 'lower', unit };
  return { better: 'unknown', unit: '' };
}

/** Numeric leaves under a generic key (objects only: arrays have no stable keys to match on). */
function genericLeaves(prefix: string, value: unknown, out: Figure[]): void {
  const n = numberAt(value);
  const name = prefix.slice(prefix.lastIndexOf('.') + 1);
  if (n !== undefined) out.push({ key: prefix, value: n, ...guessFromName(name) });
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) genericLeaves(`${prefix}.${k}`, v, out);
}

/** Every figure present (non-null) in one results file. */
export function figuresOf(results: Json): Figure[] {
  const out: Figure[] = [];
  const add = (key: string, value: unknown, unit: string, better: Better = 'lower') => {
    const n = numberAt(value);
    if (n !== undefined) out.push({ key, unit, better, value: n });
  };
  for (const [key, unit] of TOP_LEVEL) add(key, results[key], unit);
  for (const [kind, seconds] of Object.entries(objectAt(objectAt(results, 'converge'), 'childSeconds'))) {
    add(`converge.childSeconds.${kind}`, seconds, 's');
  }
  for (const [path, key, unit] of NESTED) {
    const parent = path.reduce<Json>((o, k) => objectAt(o, k), results);
    add(`${path.join('.')}.${key}`, parent[key], unit);
  }
  const cli = objectAt(objectAt(results, 'generate'), 'cli');
  if (cli.ok !== false) add('generate.cli.medianSeconds', cli.medianSeconds, 's');
  if (Array.isArray(results.floor)) {
    for (const f of results.floor) {
      if (!isObject(f) || typeof f.client !== 'string' || typeof f.when !== 'string') continue;
      add(`floor[${f.client}/${f.when}].floorSeconds`, f.floorSeconds, 's');
      add(`floor[${f.client}/${f.when}].settledSeconds`, f.settledSeconds, 's');
    }
  }
  for (const [kind, footprint] of Object.entries(objectAt(results, 'cacheFootprint'))) {
    if (!isObject(footprint)) continue;
    add(`cacheFootprint.${kind}.meanJsonBytes`, footprint.meanJsonBytes, 'bytes');
    add(`cacheFootprint.${kind}.meanManagedFieldsBytes`, footprint.meanManagedFieldsBytes, 'bytes');
  }
  for (const [key, value] of Object.entries(results)) if (!NOT_GENERIC.has(key)) genericLeaves(key, value, out);
  return out;
}
