/**
 * `tsx bench/profile-summary.ts <file.cpuprofile> [top]`: where a V8 CPU profile (node
 * --cpu-prof, or `npm run bench -- --cpu-prof`) spent its time: self time by function and by
 * package/file, and total (inclusive) time by file. A quick read without DevTools.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** `node_modules/<pkg>` (scoped too), `src/…` / `charts-ts/…` file, or `(native)`. */
export function bucketOf(url: string): string {
  if (url === '') return '(native/V8)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `pkg ${nm[1]}`;
  if (url.startsWith('node:')) return url;
  const own = /\/((?:dist\/)?(?:src|charts-ts|bin|imports)\/.*)$/.exec(url);
  return own ? (own[1] as string) : url;
}

export function summarize(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const selfByFn = new Map<string, number>();
  const selfByBucket = new Map<string, number>();
  const inclusiveByBucket = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const f = node.callFrame;
    const fn = `${f.functionName || '(anonymous)'} ${bucketOf(f.url)}:${f.lineNumber + 1}`;
    selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + us);
    selfByBucket.set(bucketOf(f.url), (selfByBucket.get(bucketOf(f.url)) ?? 0) + us);
    // Inclusive per bucket: count each bucket once per stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const b = bucketOf(byId.get(cur)?.callFrame.url ?? '');
      if (!seen.has(b)) {
        seen.add(b);
        inclusiveByBucket.set(b, (inclusiveByBucket.get(b) ?? 0) + us);
      }
    }
  }
  const rows = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return [
    `sampled ${(total / 1e6).toFixed(2)} s over ${((profile.endTime - profile.startTime) / 1e6).toFixed(2)} s wall`,
    `\nself time by function:\n${rows(selfByFn)}`,
    `\nself time by package/file:\n${rows(selfByBucket)}`,
    `\ninclusive time by package/file:\n${rows(inclusiveByBucket)}`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25)));
}
