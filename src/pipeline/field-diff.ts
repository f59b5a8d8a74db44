/**
 * A readable field-level diff of two Kubernetes objects (pure). Leaves are compared by path;
 * list items that carry a `name` (env vars, containers, ports) are matched by name, not by
 * position, so inserting one entry does not show every later entry as changed.
 */
import { jsonEqual } from '../kube/equal.js';

export interface FieldChange {
  /** `spec.replicas`, `spec.envVars[name=FOO].value`, `metadata.labels["app.kubernetes.io/name"]`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Lists whose every item is an object with a unique string `name`. */
function namedItems(list: unknown[]): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const item of list) {
    if (!isPlainObject(item) || typeof item.name !== 'string' || map.has(item.name)) return undefined;
    map.set(item.name, item);
  }
  return map;
}

/** Flattens to path → leaf value. Empty objects and lists are leaves (so `{}` → `{x: 1}` shows). */
export function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value === undefined) return out;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0 && prefix !== '') out.set(prefix, {});
    for (const key of keys) flatten(value[key], prefix + keySegment(key), out);
    return out;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      if (prefix !== '') out.set(prefix, []);
      return out;
    }
    const named = namedItems(value);
    if (named !== undefined) {
      for (const [name, item] of named) {
        // The name is in the path already; an item with nothing but a name is a leaf.
        const { name: _name, ...rest } = item as Record<string, unknown>;
        if (Object.keys(rest).length === 0) out.set(`${prefix}[name=${name}]`, item);
        else flatten(rest, `${prefix}[name=${name}]`, out);
      }
    } else {
      value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, out));
    }
    return out;
  }
  out.set(prefix, value);
  return out;
}

export function diffObjects(before: unknown, after: unknown): FieldChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: FieldChange[] = [];
  const paths = new Set([...a.keys(), ...b.keys()]);
  for (const path of [...paths].sort()) {
    const inA = a.has(path);
    const inB = b.has(path);
    const clean = path.startsWith('.') ? path.slice(1) : path;
    if (inA && !inB) changes.push({ path: clean, kind: 'removed', before: a.get(path) });
    else if (!inA && inB) changes.push({ path: clean, kind: 'added', after: b.get(path) });
    else if (!jsonEqual(a.get(path), b.get(path))) changes.push({ path: clean, kind: 'changed', before: a.get(path), after: b.get(path) });
  }
  return changes;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `  ~ spec.replicas: 1 -> 2`, `  + spec.ingressHost: "a.example.com"`, `  - spec.imageTag: "v1"`. */
export function renderChanges(changes: readonly FieldChange[], indent = '  '): string[] {
  return changes.map((c) => {
    if (c.kind === 'added') return `${indent}+ ${c.path}: ${show(c.after)}`;
    if (c.kind === 'removed') return `${indent}- ${c.path}: ${show(c.before)}`;
    return `${indent}~ ${c.path}: ${show(c.before)} -> ${show(c.after)}`;
  });
}
