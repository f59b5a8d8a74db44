import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { heapStepsMarkdown, summarizeHeapSnapshot, type HeapSnapshotJson } from '../../../bench/heap-snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'heap-snapshot-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real snapshot from a small node process holding `count` instances of a class named Marker. */
function snapshotWith(count: number): HeapSnapshotJson {
  const file = join(dir, `markers-${count}.heapsnapshot`);
  const script = `class Marker { constructor(i) { this.i = i; this.label = 'm' + i; } }
globalThis.kept = Array.from({ length: ${count} }, (_, i) => new Marker(i));
require('node:v8').writeHeapSnapshot(${JSON.stringify(file)});`;
  execFileSync(process.execPath, ['-e', script]);
  return JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotJson;
}

describe('heap snapshot summary', () => {
  it('counts the instances of a constructor in a real V8 snapshot, and its bytes grow with them', () => {
    const small = summarizeHeapSnapshot(snapshotWith(1_000));
    const large = summarizeHeapSnapshot(snapshotWith(11_000));
    const markers = (s: typeof small) => s.byName.find((b) => b.key === 'object: Marker');
    expect(markers(small)?.count).toBe(1_000);
    expect(markers(large)?.count).toBe(11_000);
    // Each Marker has at least a map pointer and two fields.
    expect(markers(large)!.bytes - markers(small)!.bytes).toBeGreaterThanOrEqual(10_000 * 12);
    // The buckets partition the heap: by type and by name, they add up to the total.
    for (const s of [small, large]) {
      expect(s.byType.reduce((a, b) => a + b.bytes, 0)).toBe(s.totalBytes);
      expect(s.byName.reduce((a, b) => a + b.bytes, 0)).toBe(s.totalBytes);
    }
    // Strings are grouped by type: their names are their contents ('m1', 'm2', …).
    expect(large.byName.some((b) => b.key.startsWith('string: m'))).toBe(false);
    const markdown = heapStepsMarkdown([{ servers: 0, summary: small }, { servers: 10_000, summary: large }]);
    expect(markdown).toMatch(/\| object: Marker \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
  }, 60_000);

  it('refuses JSON that is not a heap snapshot, saying what is missing', () => {
    const broken = { snapshot: { meta: { node_fields: ['id'], node_types: [[]] } }, nodes: [1], strings: [] } as HeapSnapshotJson;
    expect(() => summarizeHeapSnapshot(broken)).toThrow('node_fields lacks type, name or self_size');
    const uneven = { snapshot: { meta: { node_fields: ['type', 'name', 'self_size'], node_types: [['object']] } }, nodes: [0, 0], strings: [''] } as HeapSnapshotJson;
    expect(() => summarizeHeapSnapshot(uneven)).toThrow('not a multiple of 3 fields');
  });
});
