// Human-readable ages for server listings (a library concern: `server list` and `server status` build rows with them).

/** kubectl-style age: 42s, 5m, 3h, 2d, 1y (largest unit only; minutes and seconds under 10 minutes). */
export function formatAge(timestamp: string | undefined, now: number = Date.now()): string {
  if (timestamp === undefined) return '-';
  const then = Date.parse(timestamp);
  if (Number.isNaN(then)) return '-';
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 || hours >= 8 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  if (days < 365) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}
