import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { MCPServerSpecSchema, mcpServerCrd, type JsonSchema } from '../../../src/api/v1alpha1/index.js';

type Node = JsonSchema;
const crd = mcpServerCrd() as { spec: { versions: { schema: { openAPIV3Schema: Node } }[] } };
const root = crd.spec.versions[0]!.schema.openAPIV3Schema;
const specSchema = (root.properties as Record<string, Node>).spec!;

// Keywords a structural schema may not use anywhere (apiextensions.k8s.io/v1 rules).
const FORBIDDEN = ['$ref', 'definitions', '$schema', 'anyOf', 'oneOf', 'allOf', 'not', 'nullable', 'uniqueItems', 'patternProperties', 'dependencies', 'additionalItems', 'propertyNames', 'const'];

/** Visits every schema node (not data inside default/enum/validations) with its path. */
function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries((node.properties as Record<string, Node>) ?? {})) walk(child, `${path}.${name}`, visit);
  if (node.items !== undefined) walk(node.items as Node, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties as Node, `${path}{}`, visit);
}

describe('the generated CRD schema is structural', () => {
  it('types every node and uses no forbidden keyword', () => {
    const untyped: string[] = [];
    const forbidden: string[] = [];
    let nodes = 0;
    walk(root, '', (node, path) => {
      nodes += 1;
      if (typeof node.type !== 'string' && node['x-kubernetes-preserve-unknown-fields'] !== true) untyped.push(path);
      for (const key of FORBIDDEN) if (key in node) forbidden.push(`${path}: ${key}`);
      if (node.properties !== undefined && node.additionalProperties !== undefined) forbidden.push(`${path}: properties + additionalProperties`);
    });
    expect(nodes).toBeGreaterThan(40);
    expect(untyped).toEqual([]);
    expect(forbidden).toEqual([]);
  });

  it('declares the status subresource, names and printer columns', () => {
    const version = (mcpServerCrd().spec as { versions: Node[] }).versions[0]!;
    expect(version.subresources).toEqual({ status: {} });
    expect((mcpServerCrd().spec as Node).names).toMatchObject({ kind: 'MCPServer', plural: 'mcpservers', shortNames: ['mcps'], categories: ['mcp'] });
    expect((version.additionalPrinterColumns as { name: string }[]).map((c) => c.name)).toEqual(['Phase', 'Ready', 'Verified', 'Tools', 'URL', 'Image', 'Replicas', 'Age']);
  });

  it('carries the cross-field rules as CEL', () => {
    const rules = (specSchema['x-kubernetes-validations'] as { rule: string }[]).map((r) => r.rule);
    expect(rules).toEqual([expect.stringContaining("self.imageTag.matches("), "!has(self.tls) || !has(self.tls.issuer) || (has(self.ingressHost) && self.ingressHost != '')"]);
    const probe = (specSchema.properties as Record<string, Node>).probe!;
    expect(probe['x-kubernetes-validations']).toEqual([expect.objectContaining({ rule: "!has(self.type) || self.type != 'http' || has(self.path)" })]);
  });

  it('is exactly the committed crds/ file', async () => {
    const committed = parse(await readFile('crds/mcp.agent-hellboy.io_mcpservers.yaml', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(mcpServerCrd())));
  });
});

/** Collects the path and value of every `.default()` / `.prefault()` in a zod schema. */
function zodDefaults(schema: z.ZodType, path: string, out: Map<string, unknown>): void {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
      out.set(path, def.defaultValue);
      zodDefaults(def.innerType as z.ZodType, path, out);
      return;
    case 'optional':
    case 'nullable':
    case 'readonly':
      zodDefaults(def.innerType as z.ZodType, path, out);
      return;
    case 'pipe':
      zodDefaults(def.in as z.ZodType, path, out);
      return;
    case 'object':
      for (const [name, child] of Object.entries(def.shape as Record<string, z.ZodType>)) zodDefaults(child, `${path}.${name}`, out);
      return;
    case 'array':
      zodDefaults(def.element as z.ZodType, `${path}[]`, out);
      return;
    default:
      return;
  }
}

/** The API server's structural defaulting: fill missing fields from `default`, recursively. */
function applyCrdDefaults(schema: Node, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => applyCrdDefaults(schema.items as Node, v));
  if (value === null || typeof value !== 'object' || schema.properties === undefined) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [name, child] of Object.entries(schema.properties as Record<string, Node>)) {
    if (out[name] === undefined && child.default !== undefined) out[name] = structuredClone(child.default);
    if (out[name] !== undefined) out[name] = applyCrdDefaults(child, out[name]);
  }
  return out;
}

describe('zod defaults and CRD defaults agree', () => {
  it('every zod default appears as a schema default at the same path', () => {
    const defaults = new Map<string, unknown>();
    zodDefaults(MCPServerSpecSchema, '', defaults);
    expect(defaults.size).toBeGreaterThanOrEqual(10);
    const schemaDefaults = new Map<string, unknown>();
    walk(specSchema, '', (node, path) => {
      if ('default' in node) schemaDefaults.set(path, node.default);
    });
    expect(Object.fromEntries(schemaDefaults)).toEqual(Object.fromEntries(defaults));
  });

  it.each([
    [{ image: 'x' }],
    [{ image: 'x', resources: { limits: { cpu: '2' } }, probe: { type: 'none' } }],
    [{ image: 'x', envVars: [{ name: 'A' }], replicas: 0 }],
  ])('defaulting %j gives the same object both ways', (input) => {
    expect(applyCrdDefaults(specSchema, input)).toEqual(MCPServerSpecSchema.parse(input));
  });
});
