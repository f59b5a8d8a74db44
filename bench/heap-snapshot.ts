/**
 * What a V8 heap snapshot (`.heapsnapshot`, as written by `--heapsnapshot-signal`) holds, by
 * node type and by constructor: the evidence for where the operator's heap goes (issue #19).
 * Pure: the caller reads the file and passes the parsed JSON.
 *
 * Self sizes only (no dominator tree): summed over the whole heap they add up to the heap's
 * used size, and comparing snapshots taken at 0, 100 and 1,000 servers shows which kinds of
 * objects grow with servers and which are the cost of the loaded modules.
 */

/** The parts of the snapshot format this reads (V8's `HeapSnapshotJSONSerializer`). */
export interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapBucket {
  /** `type` for strings, numbers and the like; `type: name` where the name says what it is. */
  key: string;
  count: number;
  bytes: number;
}

export interface HeapSummary {
  totalBytes: number;
  nodes: number;
  /** By node type (object, code, string, array, closure, hidden, …), largest first. */
  byType: HeapBucket[];
  /** By type and constructor or internal name, largest first (all of them). */
  byName: HeapBucket[];
}

/** String-like types are grouped by type: their names are the strings' contents. */
const GROUP_BY_TYPE_ONLY = new Set(['string', 'concatenated string', 'sliced string', 'number', 'bigint', 'symbol', 'regexp']);
const NAME_LIMIT = 60;

function add(map: Map<string, HeapBucket>, key: string, bytes: number): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, { key, count: 1, bytes });
  else {
    bucket.count += 1;
    bucket.bytes += bytes;
  }
}

const largestFirst = (m: Map<string, HeapBucket>): HeapBucket[] => [...m.values()].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));

export function summarizeHeapSnapshot(json: HeapSnapshotJson): HeapSummary {
  const fields = json.snapshot.meta.node_fields;
  const types = json.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  if (width === 0 || typeAt < 0 || nameAt < 0 || sizeAt < 0) throw new Error('not a V8 heap snapshot: node_fields lacks type, name or self_size');
  if (json.nodes.length % width !== 0) throw new Error(`not a V8 heap snapshot: ${json.nodes.length} node values is not a multiple of ${width} fields`);
  const byType = new Map<string, HeapBucket>();
  const byName = new Map<string, HeapBucket>();
  let totalBytes = 0;
  for (let i = 0; i < json.nodes.length; i += width) {
    const type = types[json.nodes[i + typeAt]!] ?? 'unknown';
    const bytes = json.nodes[i + sizeAt]!;
    totalBytes += bytes;
    add(byType, type, bytes);
    const name = (json.strings[json.nodes[i + nameAt]!] ?? '').slice(0, NAME_LIMIT);
    add(byName, GROUP_BY_TYPE_ONLY.has(type) ? type : `${type}: ${name}`, bytes);
  }
  return { totalBytes, nodes: json.nodes.length / width, byType: largestFirst(byType), byName: largestFirst(byName) };
}

export interface HeapStep {
  servers: number;
  summary: HeapSummary;
}

const mib = (bytes: number | undefined): string => (bytes === undefined ? '—' : (bytes / 1024 / 1024).toFixed(2));

/**
 * One table by node type and one by name: a column per step (MiB), and the growth per server
 * (KiB) between the first and the last step, so the module cost (the first step, at 0 servers)
 * and the per-server cost read side by side.
 */
export function heapStepsMarkdown(steps: readonly HeapStep[], top = 25): string {
  if (steps.length === 0) return 'No heap snapshot was taken.\n';
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const servers = last.servers - first.servers;
  const table = (title: string, pick: (s: HeapSummary) => HeapBucket[]): string[] => {
    const keys = pick(last.summary).slice(0, top).map((b) => b.key);
    const bytesOf = (s: HeapStep, key: string) => pick(s.summary).find((b) => b.key === key)?.bytes;
    const header = `| ${title} | ${steps.map((s) => `${s.servers} servers MiB`).join(' | ')} | KiB per server |`;
    const rule = `|---|${steps.map(() => '---|').join('')}---|`;
    const rows = keys.map((key) => {
      const grow = servers > 0 ? (((bytesOf(last, key) ?? 0) - (bytesOf(first, key) ?? 0)) / 1024 / servers).toFixed(2) : '—';
      return `| ${key.replace(/\|/g, '\\|')} | ${steps.map((s) => mib(bytesOf(s, key))).join(' | ')} | ${grow} |`;
    });
    return [header, rule, ...rows];
  };
  const totals = `| **all** | ${steps.map((s) => `**${mib(s.summary.totalBytes)}**`).join(' | ')} | ${servers > 0 ? ((last.summary.totalBytes - first.summary.totalBytes) / 1024 / servers).toFixed(2) : '—'} |`;
  const byType = table('node type', (s) => s.byType);
  return [...byType, totals, '', ...table(`type: constructor or name (the largest ${top} at ${last.servers} servers)`, (s) => s.byName), ''].join('\n');
}
