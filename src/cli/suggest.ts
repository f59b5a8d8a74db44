/** "Did you mean ...?" for a mistyped command: the known command nearest by edit distance. */

/** Levenshtein distance (insertions, deletions, substitutions), two rows of memory. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The nearest command, when it is near enough to be a plausible typo (at most half its length away). */
export function closestCommand(typed: string, commands: readonly string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const id of commands) {
    const distance = editDistance(typed, id);
    if (best === undefined || distance < best.distance) best = { id, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(best.id.length / 2)) ? best.id : undefined;
}
