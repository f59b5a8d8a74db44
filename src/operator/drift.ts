/**
 * Decides whether a live object already matches what we would apply, so that a reconcile that
 * changes nothing sends no write. Two checks, because each alone misses a case:
 *
 * - the applied digest: a hash of the last object we applied, kept in an annotation on the
 *   child. A field removed from the spec (an env var, an annotation, a probe) is absent from the
 *   desired object, so no walk over the desired keys can see that the live object still has it;
 *   the digest changes, and the next server-side apply (which drops fields our manager owned
 *   but no longer sends) removes it;
 * - the field walk: every field of the desired object is present and equal in the live one
 *   (the API server adds defaults and other managers add fields; neither is drift), which
 *   catches edits made by others to fields we own.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../kube/equal.js';

/** Annotation on every child: the digest of the object the operator last applied. */
export const APPLIED_DIGEST_ANNOTATION = 'mcp.agent-hellboy.io/applied-digest';

type Metadata = { annotations?: Record<string, string>; [field: string]: unknown };
interface WithMetadata {
  metadata: Metadata;
}

/** The digest of an object as rendered (before the digest annotation is added). */
export function appliedDigest(object: unknown): string {
  return createHash('sha256').update(canonicalJson(object)).digest('base64url').slice(0, 22);
}

/** The object to apply: the rendered one, annotated with its own digest. */
export function withAppliedDigest<T extends WithMetadata>(object: T): T {
  const annotations = { ...(object.metadata.annotations ?? {}), [APPLIED_DIGEST_ANNOTATION]: appliedDigest(object) };
  return { ...object, metadata: { ...object.metadata, annotations } };
}

/** The digest recorded on a live object, if any. */
export function recordedDigest(live: unknown): string | undefined {
  return (live as { metadata?: Metadata } | undefined)?.metadata?.annotations?.[APPLIED_DIGEST_ANNOTATION];
}

// The API server canonicalizes quantities ("0.5" is stored as "500m", "1024Mi" as "1Gi").
const QUANTITY_KEYS = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function quantityValue(text: string): number | undefined {
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(text);
  if (match === null) return undefined;
  const factor = SUFFIX[match[2] ?? ''];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

function sameQuantity(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' && typeof a !== 'number') return false;
  if (typeof b !== 'string' && typeof b !== 'number') return false;
  const x = quantityValue(String(a));
  const y = quantityValue(String(b));
  return x !== undefined && y !== undefined && Math.abs(x - y) <= Math.abs(x) * 1e-9;
}

function isNamedMapList(list: readonly unknown[]): boolean {
  return list.length > 0 && list.every((item) => item !== null && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string');
}

/** Go's omitempty drops these, so a live object without the field matches them. */
function isZeroValue(value: unknown): boolean {
  if (value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * The paths of desired fields the live object lacks or differs in (at most `limit`, in the
 * desired object's key order).
 */
export function differences(desired: unknown, live: unknown, limit = 8): string[] {
  const found: string[] = [];
  walk(desired, live, '', '', found, limit);
  return found;
}

function walk(desired: unknown, live: unknown, path: string, key: string, found: string[], limit: number): void {
  if (found.length >= limit) return;
  if (live === undefined && isZeroValue(desired)) return;
  if (QUANTITY_KEYS.has(key) && sameQuantity(desired, live)) return;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) {
      found.push(path || '.');
      return;
    }
    if (isNamedMapList(desired)) {
      // A map-list keyed by name (containers, env, ports, volumes, pull secrets): server-side
      // apply owns our entries, not the list, so entries others add (a sidecar injected by a
      // webhook, an env var set by hand) are theirs and not drift. Ours are matched by name.
      desired.forEach((item, i) => {
        const match = live.find((l: unknown) => (l as { name?: unknown } | null)?.name === (item as { name: string }).name);
        if (match === undefined) found.push(`${path}[${i}]`);
        else walk(item, match, `${path}[${i}]`, '', found, limit);
      });
      return;
    }
    // Other lists are atomic: owned whole, compared element by element.
    if (live.length !== desired.length) {
      found.push(path || '.');
      return;
    }
    desired.forEach((item, i) => walk(item, live[i], `${path}[${i}]`, '', found, limit));
    return;
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) {
      found.push(path || '.');
      return;
    }
    for (const [k, value] of Object.entries(desired)) walk(value, (live as Record<string, unknown>)[k], `${path}.${k}`, k, found, limit);
    return;
  }
  if (desired !== live) found.push(path || '.');
}

/** Returns the path of the first desired field the live object lacks or differs in, or undefined. */
export function firstDifference(desired: unknown, live: unknown): string | undefined {
  return differences(desired, live, 1)[0];
}


/**
 * Why `live` must be re-applied to become `desired` (which carries its digest annotation), or
 * undefined when it already matches. Paths in `ignored` are fields the API server is known not
 * to keep for this digest (see FieldsNotKept); they are not drift.
 */
export function driftOf(desired: WithMetadata, live: unknown, ignored: ReadonlySet<string> = new Set()): string | undefined {
  const want = recordedDigest(desired);
  if (want !== undefined && recordedDigest(live) !== want) return 'changed since the last apply';
  return differences(desired, live).find((path) => !ignored.has(path));
}
