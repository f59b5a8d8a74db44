/**
 * Exact comparison of Kubernetes quantities, so the CLI rejects "requests above limits" with
 * the same answer the API server gives (floating point would call 0.1 and 100m different).
 * A quantity is held as a fraction `num / den` of BigInts.
 */
import { QUANTITY } from './formats.js';

interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Parses a quantity in its serialized form; undefined when it is not one. */
export function parseQuantity(text: string): Fraction | undefined {
  if (!QUANTITY.test(text)) return undefined;
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text);
  if (match === null) return undefined;
  const [, sign, whole = '', fractional = '', suffix = ''] = match;
  let num = BigInt(`${whole}${fractional}` || '0');
  let den = 10n ** BigInt(fractional.length);
  let exp10 = 0;
  if (suffix in BINARY_SUFFIX) num *= 2n ** BigInt(BINARY_SUFFIX[suffix]!);
  else if (suffix in DECIMAL_SUFFIX) exp10 = DECIMAL_SUFFIX[suffix]!;
  else exp10 = Number(suffix.slice(1)); // e/E exponent
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  return { num: sign === '-' ? -num : num, den };
}

/** -1, 0 or 1 as a < b, a == b, a > b; undefined when either is not a quantity. */
export function compareQuantities(a: string, b: string): -1 | 0 | 1 | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return undefined;
  const left = x.num * y.den;
  const right = y.num * x.den;
  return left < right ? -1 : left > right ? 1 : 0;
}
