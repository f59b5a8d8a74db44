/**
 * docs/architecture.md's import rules, enforced: each layer imports only the layers below it.
 * Reads the import statements of every TypeScript file under src/ and charts-ts/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = resolve('.');

/** Layer of a file, by its folder (the first match wins). */
const LAYERS: readonly [prefix: string, layer: string][] = [
  ['src/api/', 'api'],
  ['src/images/', 'pure'],
  // Registry names: pure, so setup can check a catalog prefix before rendering anything.
  ['src/catalog/names.ts', 'pure'],
  // The client snippet builders are pure (no I/O, no imports of ours): the catalog page shows them.
  ['src/clients/clients.ts', 'pure'],
  ['src/clients/snippets.ts', 'pure'],
  // What the constructs and the gateway must agree on: the route's header, env names and ports.
  ['src/gateway/routing-header.ts', 'pure'],
  ['src/gateway/config-names.ts', 'pure'],
  ['charts-ts/', 'constructs'],
  ['src/runtime/', 'kube-access'],
  ['src/kube/', 'kube-access'],
  ['src/operator/', 'operator'],
  ['src/local-cluster/', 'local-cluster'],
  ['src/catalog/', 'catalog'],
  ['src/gateway/', 'gateway'],
  ['src/cli/', 'cli'],
  ['src/commands/', 'cli'],
  ['src/index.ts', 'cli'],
  ['src/clients/', 'library'],
  ['src/', 'library'],
];

/** Which layers each layer may import (its own included). */
const ALLOWED: Record<string, readonly string[]> = {
  api: ['api'],
  pure: ['api', 'pure'],
  constructs: ['api', 'pure', 'constructs'],
  'kube-access': ['kube-access'],
  operator: ['api', 'pure', 'constructs', 'kube-access', 'operator'],
  library: ['api', 'pure', 'constructs', 'kube-access', 'library', 'local-cluster', 'gateway'],
  catalog: ['api', 'pure', 'kube-access', 'catalog'],
  gateway: ['api', 'pure', 'kube-access', 'gateway'],
  cli: ['api', 'pure', 'constructs', 'kube-access', 'operator', 'library', 'catalog', 'gateway', 'cli', 'local-cluster'],
  'local-cluster': ['local-cluster'],
};

function layerOf(path: string): string | undefined {
  return LAYERS.find(([prefix]) => path === prefix || path.startsWith(prefix))?.[1];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/g)) found.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) found.push(m[1]!);
  return found;
}

/** Every import that crosses a layer boundary the wrong way, as `file -> target`. */
function violations(): string[] {
  const out: string[] = [];
  for (const file of [...files(join(ROOT, 'src')), ...files(join(ROOT, 'charts-ts'))]) {
    const from = relative(ROOT, file);
    const fromLayer = layerOf(from);
    if (fromLayer === undefined) continue;
    for (const spec of imports(file)) {
      const to = relative(ROOT, resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      const toLayer = layerOf(to);
      if (toLayer === undefined) continue; // imports/, generated types
      if (!ALLOWED[fromLayer]!.includes(toLayer)) out.push(`${from} (${fromLayer}) -> ${to} (${toLayer})`);
    }
  }
  return out.sort();
}

describe('architecture: import rules of docs/architecture.md', () => {
  it('finds imports (the scan is not blind)', () => {
    expect(imports(join(ROOT, 'src/operator/reconciler.ts')).length).toBeGreaterThan(3);
    expect(layerOf('src/operator/reconciler.ts')).toBe('operator');
    expect(layerOf('src/pipeline/deploy.ts')).toBe('library');
    expect(layerOf('src/clients/snippets.ts')).toBe('pure');
    expect(layerOf('src/clients/write-config.ts')).toBe('library');
    expect(layerOf('src/catalog/handler.ts')).toBe('catalog');
  });

  it('no layer imports a layer above it', () => {
    expect(violations()).toEqual([]);
  });
});
