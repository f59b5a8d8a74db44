/**
 * Two runs compared figure by figure: old → new, the change in %, better or worse, and whether
 * the change is larger than run-to-run noise. Pure: the callers read the files.
 */
import { figuresOf, type Better, type Figure } from './figures.js';

/**
 * Changes within ±15 % are not flagged. That is about the spread of repeated timings of the same
 * code inside one committed run (generate 1,000: 1.19–1.40 s; --help: 0.18–0.23 s; medians move
 * less than single runs), so one run each cannot resolve less. The cluster phases are noisier
 * still: on this shared 2-core machine the floor before and after the operator phases differed
 * by 40–70 % within the committed full runs, and bench/README.md reports up to 2× between runs
 * at different load. A flag on seconds therefore means "compare the load averages", not
 * "regression"; on load-independent counts (requests per server, idle writes, bytes) it is
 * usually real.
 */
export const NOISE_PERCENT = 15;

/**
 * A gap of one in the 1-minute load at start is one more busy process competing for the
 * machine's cores (2 here): enough to move absolute seconds beyond the noise threshold, so the
 * comparison says so above the table.
 */
export const LOAD_GAP_WARNING = 1;

export type Verdict = 'better' | 'worse' | 'same' | 'n/a';

export interface ComparedFigure {
  key: string;
  unit: string;
  better: Better;
  old: number;
  new: number;
  /** null when old is 0 (no finite percentage). */
  changePercent: number | null;
  verdict: Verdict;
  /** |change| > NOISE_PERCENT, or any change away from 0 (e.g. idle writes 0 → 3). */
  beyondNoise: boolean;
}

/** What a results file says about its own run, for the comparison's header lines. */
export interface RunSummary {
  label: string;
  date: string | null;
  commit: string;
  command: string | null;
  n: number | null;
  smoke: boolean | null;
  schemaVersion: number;
  loadAtStart: number[] | null;
  loadAtEnd: number[] | null;
}

export interface Comparison {
  old: RunSummary;
  new: RunSummary;
  figures: ComparedFigure[];
  /** In the new run only / in the old run only (or null on the other side: not measured). */
  added: Figure[];
  removed: Figure[];
  /** Why absolute figures may not be comparable (different n, smoke vs full, schema). */
  warnings: string[];
}

function verdictOf(better: Better, oldValue: number, newValue: number): Verdict {
  if (oldValue === newValue) return 'same';
  if (better === 'unknown') return 'n/a';
  return (newValue < oldValue) === (better === 'lower') ? 'better' : 'worse';
}

export function compareFigure(old: Figure, now: Figure): ComparedFigure {
  const changePercent = old.value === 0 ? null : ((now.value - old.value) / Math.abs(old.value)) * 100;
  return {
    key: now.key,
    unit: now.unit,
    better: now.better,
    old: old.value,
    new: now.value,
    changePercent,
    verdict: verdictOf(now.better, old.value, now.value),
    beyondNoise: changePercent === null ? now.value !== old.value : Math.abs(changePercent) > NOISE_PERCENT,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numbers = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);

export function summarizeRun(label: string, results: Record<string, unknown>): RunSummary {
  const git = isObject(results.git) ? results.git : undefined;
  const commit =
    git === undefined
      ? 'not recorded'
      : typeof git.commit === 'string'
        ? `${git.commit}${git.dirty === true ? ' + uncommitted changes' : ''}`
        : `unknown (${typeof git.reason === 'string' ? git.reason : 'no reason given'})`;
  const machine = isObject(results.machine) ? results.machine : {};
  return {
    label,
    date: typeof results.date === 'string' ? results.date : null,
    commit,
    command: typeof results.command === 'string' ? results.command : null,
    n: typeof results.n === 'number' ? results.n : null,
    smoke: typeof results.smoke === 'boolean' ? results.smoke : null,
    schemaVersion: typeof results.schemaVersion === 'number' ? results.schemaVersion : 1,
    loadAtStart: numbers(machine.loadAverageAtStart),
    loadAtEnd: numbers(results.loadAverageAtEnd),
  };
}

export function compareResults(old: { label: string; results: Record<string, unknown> }, now: { label: string; results: Record<string, unknown> }): Comparison {
  const oldFigures = new Map(figuresOf(old.results).map((f) => [f.key, f]));
  const newFigures = figuresOf(now.results);
  const newKeys = new Set(newFigures.map((f) => f.key));
  const figures: ComparedFigure[] = [];
  const added: Figure[] = [];
  for (const f of newFigures) {
    const before = oldFigures.get(f.key);
    if (before === undefined) added.push(f);
    else figures.push(compareFigure(before, f));
  }
  const removed = [...oldFigures.values()].filter((f) => !newKeys.has(f.key));

  const o = summarizeRun(old.label, old.results);
  const n = summarizeRun(now.label, now.results);
  const warnings: string[] = [];
  if (o.n !== n.n) warnings.push(`the runs have different n (${o.n ?? '?'} → ${n.n ?? '?'}): absolute figures do not compare; per-server figures and ratios roughly do`);
  if (o.smoke !== null && n.smoke !== null && o.smoke !== n.smoke) warnings.push(`one run is a smoke run and the other is not (smoke ${o.smoke} → ${n.smoke})`);
  const [oldLoad, newLoad] = [o.loadAtStart?.[0], n.loadAtStart?.[0]];
  if (oldLoad !== undefined && newLoad !== undefined && Math.abs(newLoad - oldLoad) >= LOAD_GAP_WARNING) {
    warnings.push(`the 1-min load at start differed (${oldLoad} → ${newLoad}): seconds move with load; ratios and per-server counts much less`);
  }
  if (o.schemaVersion !== n.schemaVersion) warnings.push(`results schema ${o.schemaVersion} → ${n.schemaVersion}: figures only one of them records are listed as added/removed`);
  return { old: o, new: n, figures, added, removed, warnings };
}
