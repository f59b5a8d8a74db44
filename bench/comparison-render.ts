/** A Comparison as console text and as a markdown section. Pure. */
import { NOISE_PERCENT, type ComparedFigure, type Comparison, type RunSummary } from './comparison.js';
import type { Figure } from './figures.js';

/** Four significant digits, whole numbers from 1,000 up: enough to see a 1 % change. */
export function formatValue(v: number): string {
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return String(Math.round(v));
  return String(Number(v.toPrecision(4)));
}

export function formatChange(f: ComparedFigure): string {
  if (f.changePercent === null) return f.new === f.old ? '0 %' : 'from 0';
  if (f.changePercent === 0) return '0 %';
  const sign = f.changePercent > 0 ? '+' : f.changePercent < 0 ? '−' : '';
  return `${sign}${Math.abs(f.changePercent).toFixed(1)} %`;
}

const load = (l: number[] | null) => (l === null ? '?' : l.join('/'));

function runLine(r: RunSummary, code: (s: string) => string = (s) => s): string {
  return [
    r.date ?? 'date not recorded',
    `commit ${r.commit}`,
    r.command === null ? 'command not recorded' : code(r.command),
    `n=${r.n ?? '?'}`,
    `load (1/5/15 min) ${load(r.loadAtStart)} at start, ${load(r.loadAtEnd)} at end`,
  ].join(' · ');
}

const NOISE_NOTE = `changes beyond ±${NOISE_PERCENT} % (about the run-to-run noise on this machine; see bench/README.md) are marked !`;

function tally(c: Comparison): string {
  const flagged = c.figures.filter((f) => f.beyondNoise);
  const count = (v: string) => flagged.filter((f) => f.verdict === v).length;
  return `${c.figures.length} figures in both runs; beyond ±${NOISE_PERCENT} %: ${count('better')} better, ${count('worse')} worse${count('n/a') > 0 ? `, ${count('n/a')} without a direction` : ''}`;
}

const figureList = (figures: Figure[]) => figures.map((f) => `${f.key} ${formatValue(f.value)}${f.unit ? ` ${f.unit}` : ''}`).join(', ');

export function comparisonText(c: Comparison): string {
  const rows = c.figures.map((f) => [f.key, f.unit, formatValue(f.old), '→', formatValue(f.new), formatChange(f), f.verdict, f.beyondNoise ? '!' : '']);
  const header = ['figure', 'unit', 'old', '', 'new', 'change', 'verdict', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Names and units left-aligned, numbers right-aligned.
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => ([0, 1, 6, 7].includes(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [
    `Compared with ${c.old.label}`,
    `  old: ${runLine(c.old)}`,
    `  new: ${runLine(c.new)}`,
    ...c.warnings.map((w) => `  note: ${w}`),
    `  ${NOISE_NOTE}`,
    '',
    ...[header, ...rows].map((r) => `  ${line(r)}`),
    '',
    `  ${tally(c)}`,
  ];
  if (c.added.length > 0) out.push(`  added (new run only): ${figureList(c.added)}`);
  if (c.removed.length > 0) out.push(`  removed (old run only): ${figureList(c.removed)}`);
  return out.join('\n');
}

const inlineCode = (s: string) => `\`${s}\``;

export function comparisonMarkdown(c: Comparison): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const out = [
    '## Compared with the previous run\n',
    `Against \`${c.old.label}\`.\n`,
    `- old: ${runLine(c.old, inlineCode)}`,
    `- new: ${runLine(c.new, inlineCode)}`,
    ...c.warnings.map((w) => `- note: ${w}`),
    `- ${NOISE_NOTE.replace(' are marked !', ' are marked **!**')}`,
    '',
    '| figure | unit | old | new | change | verdict | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...c.figures.map((f) => `| ${cell(f.key)} | ${f.unit} | ${formatValue(f.old)} | ${formatValue(f.new)} | ${formatChange(f)} | ${f.verdict} | ${f.beyondNoise ? '**!**' : ''} |`),
    '',
    tally(c),
  ];
  if (c.added.length > 0) out.push('', `Added (new run only): ${figureList(c.added)}`);
  if (c.removed.length > 0) out.push('', `Removed (old run only): ${figureList(c.removed)}`);
  return `${out.join('\n')}\n`;
}
