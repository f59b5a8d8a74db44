/**
 * Decides whether a live object already matches what we would apply, so that a reconcile that
 * changes nothing sends no write. Server-side apply only owns the fields we send, so "matches"
 * means: every field of the desired object is present and equal in the live one (the API server
 * adds defaults and other managers add fields; neither is drift).
 */

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

/** Go's omitempty drops these, so a live object without the field matches them. */
function isZeroValue(value: unknown): boolean {
  if (value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}

/** Returns the path of the first desired field the live object lacks or differs in, or undefined. */
export function firstDifference(desired: unknown, live: unknown, path = '', key = ''): string | undefined {
  if (live === undefined && isZeroValue(desired)) return undefined;
  if (QUANTITY_KEYS.has(key) && sameQuantity(desired, live)) return undefined;
  if (Array.isArray(desired)) {
    // Lists are owned whole by server-side apply unless they are map-lists; comparing them
    // element by element (same length) is exact for both kinds in what we render.
    if (!Array.isArray(live) || live.length !== desired.length) return path || '.';
    for (let i = 0; i < desired.length; i++) {
      const diff = firstDifference(desired[i], live[i], `${path}[${i}]`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return path || '.';
    for (const [k, value] of Object.entries(desired)) {
      const diff = firstDifference(value, (live as Record<string, unknown>)[k], `${path}.${k}`, k);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  return desired === live ? undefined : path || '.';
}

export function needsApply(desired: unknown, live: unknown | undefined): boolean {
  return live === undefined || firstDifference(desired, live) !== undefined;
}
