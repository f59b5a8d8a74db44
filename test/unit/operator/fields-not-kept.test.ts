import { describe, expect, it } from '@jest/globals';
import { FieldsNotKept } from '../../../src/operator/fields-not-kept.js';

describe('FieldsNotKept', () => {
  it('holds an entry for its digest and backs off exponentially up to a ceiling', () => {
    const fields = new FieldsNotKept(1_000, 5_000);
    const first = fields.record('ns/a/Middleware/m', 'd1', ['.spec.stripPrefix'], 0);
    expect(first).toMatchObject({ backoffMs: 1_000, retryAt: 1_000, paths: ['.spec.stripPrefix'] });
    expect(fields.current('ns/a/Middleware/m', 'd1')).toBe(first);
    expect(fields.record('ns/a/Middleware/m', 'd1', ['.spec.stripPrefix'], 1_000)).toMatchObject({ backoffMs: 2_000, retryAt: 3_000 });
    expect(fields.record('ns/a/Middleware/m', 'd1', ['.spec.stripPrefix'], 3_000).backoffMs).toBe(4_000);
    expect(fields.record('ns/a/Middleware/m', 'd1', ['.spec.stripPrefix'], 7_000).backoffMs).toBe(5_000);
  });

  it('forgets an entry when the desired object changes, when an apply comes back whole, or when the server goes', () => {
    const fields = new FieldsNotKept(1_000, 5_000);
    fields.record('ns/a/Middleware/m', 'd1', ['.spec'], 0);
    expect(fields.current('ns/a/Middleware/m', 'd2')).toBeUndefined();
    expect(fields.current('ns/a/Middleware/m', 'd1')).toBeUndefined(); // dropped for good
    // A new digest starts the backoff again.
    expect(fields.record('ns/a/Middleware/m', 'd2', ['.spec'], 0).backoffMs).toBe(1_000);
    fields.clear('ns/a/Middleware/m');
    expect(fields.current('ns/a/Middleware/m', 'd2')).toBeUndefined();
    fields.record('ns/a/Middleware/m', 'd2', ['.spec'], 0);
    fields.record('ns/ab/Middleware/m', 'd2', ['.spec'], 0);
    fields.clearPrefix('ns/a/');
    expect(fields.current('ns/a/Middleware/m', 'd2')).toBeUndefined();
    expect(fields.current('ns/ab/Middleware/m', 'd2')).toBeDefined();
  });
});
