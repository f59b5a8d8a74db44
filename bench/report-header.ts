/**
 * The report's header block: what was run (command, commit, times), on what (machine) and under
 * which load, so a figure can be reproduced and two runs judged against each other.
 */
import { describeGit, shellQuote } from './provenance.js';
import type { BenchResults } from './results-types.js';

type Rows = [string, string | number][];

const seconds = (v: number) => `${Math.round(v)} s`;

export function headerRows(r: BenchResults): Rows {
  const m = r.machine;
  const git = r.git as BenchResults['git'] | undefined;
  const dirty = git && git.commit !== null && git.dirty ? `: ${git.dirtyPaths.map((p) => `\`${p}\``).join(', ')}${git.dirtyCount > git.dirtyPaths.length ? ', …' : ''}` : '';
  return [
    ['command', `\`${r.command}\``],
    ['arguments after bench/run.ts', r.argv && r.argv.length > 0 ? `\`${r.argv.map(shellQuote).join(' ')}\`` : '(none)'],
    ['commit', `${describeGit(git)}${dirty}`],
    ['started (UTC)', r.date],
    ['ended (UTC)', r.endedAt ? `${r.endedAt} (run took ${seconds(r.durationSeconds)})` : `run took ${seconds(r.durationSeconds)}`],
    ['n · operator concurrency · create concurrency', `${r.n} · ${r.concurrency} · ${r.createConcurrency}`],
    ['CPU', `${m.cpuModel}, ${m.cores} cores`],
    ['memory', `${m.memoryGb} GB`],
    ['kernel · platform', `${m.kernel} · ${m.platform}`],
    ['node', m.node],
    ['load average (1/5/15 min) at start', m.loadAverageAtStart.join(' / ')],
    ['load average at end', r.loadAverageAtEnd.join(' / ')],
  ];
}
