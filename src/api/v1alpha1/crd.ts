/**
 * Builds the MCPServer CustomResourceDefinition from the zod schema. Pure: the generator writes
 * the result to `crds/`, and the platform chart embeds the same object, so the CRD a cluster
 * gets from `setup` is byte-for-byte the reviewed file.
 */
import { z } from 'zod';
import { MCPServerSpecSchema, MCPServerStatusSchema } from './mcpserver.js';
import { CATEGORIES, CRD_NAME, GROUP, KIND, LIST_KIND, PLURAL, SHORT_NAMES, SINGULAR, VERSION } from './group.js';
import { DNS1123_LABEL } from './formats.js';

export type JsonSchema = { [key: string]: unknown };

// zod writes Number.MAX_SAFE_INTEGER bounds on every int; they add nothing for the API server.
const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/**
 * Turns zod's OpenAPI 3.0 output into a structural schema the API server accepts: drops
 * keywords CRDs forbid or do not need, and the meaningless safe-integer bounds.
 */
export function toStructural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStructural);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node as JsonSchema)) {
    if (key === '$schema' || key === 'id' || key === '$id') continue;
    if ((key === 'maximum' || key === 'minimum') && SAFE_INTEGER_BOUNDS.has(value as number)) continue;
    if (key === 'additionalProperties' && value === false) continue;
    // Inside `default` and `enum` values are data, not schema: copy them as they are.
    out[key] = key === 'default' || key === 'enum' || key === 'x-kubernetes-validations' ? value : toStructural(value);
  }
  return out;
}

export function openApiSchema(schema: z.ZodType): JsonSchema {
  return toStructural(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'throw' })) as JsonSchema;
}

const NAME_RULE = DNS1123_LABEL.source;

export function mcpServerCrd(): JsonSchema {
  const spec = openApiSchema(MCPServerSpecSchema);
  const status = openApiSchema(MCPServerStatusSchema);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: CRD_NAME,
      labels: { 'app.kubernetes.io/part-of': 'mcp-runtime', 'app.kubernetes.io/managed-by': 'mcp-runtime' },
    },
    spec: {
      group: GROUP,
      names: { kind: KIND, listKind: LIST_KIND, plural: PLURAL, singular: SINGULAR, shortNames: [...SHORT_NAMES], categories: [...CATEGORIES] },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Verified', type: 'string', jsonPath: '.status.conditions[?(@.type=="Verified")].status' },
            { name: 'Tools', type: 'integer', jsonPath: '.status.mcp.toolCount' },
            { name: 'URL', type: 'string', jsonPath: '.status.url' },
            { name: 'Image', type: 'string', jsonPath: '.spec.image' },
            { name: 'Replicas', type: 'integer', jsonPath: '.status.readyReplicas', priority: 1 },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'MCPServer runs one MCP server (Streamable HTTP) behind the shared ingress at /<name>/mcp.',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec,
                status,
              },
              'x-kubernetes-validations': [
                {
                  // The name becomes a Service name and a URL path segment, so it must be a DNS label.
                  rule: `self.metadata.name.size() <= 63 && self.metadata.name.matches(r'${NAME_RULE}')`,
                  message: 'metadata.name must be a DNS-1123 label of at most 63 characters (it names the Service and the URL path)',
                },
              ],
            },
          },
        },
      ],
    },
  };
}
