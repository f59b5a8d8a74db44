/**
 * Schema of `.mcp/metadata.yaml`, the small file teams write. Field shapes are borrowed from the
 * MCPServer spec so that one rule (say, what a port is) has one definition.
 */
import { z } from 'zod';
import {
  DEFAULT_SERVER_NAMESPACE,
  MCPServerSpecSchema,
  ProbeSchema,
  ResourcesSchema,
  SPEC_CROSS_FIELD_RULES,
  refineWithRules,
  dnsLabel,
  ingressPath,
} from '../api/v1alpha1/index.js';

const spec = MCPServerSpecSchema.shape;

/** A route may be written without its leading '/'; it is added before validation. */
const route = z
  .string({ error: 'must be a path such as /my-server/mcp' })
  .transform((value) => (value.startsWith('/') ? value : `/${value}`))
  .pipe(ingressPath())
  .describe("Public path. Default /<name>/mcp; a missing leading '/' is added.");

export const BuildSchema = z
  .strictObject({
    context: z.string().min(1).optional().describe('Build context, relative to the metadata folder\'s parent. Default ".".'),
    dockerfile: z.string().min(1).optional().describe('Dockerfile, relative to the context. Default "Dockerfile".'),
    platform: z.string().min(1).optional().describe('Target platform, e.g. linux/amd64.'),
  })
  .describe('How `mcp-runtime server build` builds the image.');

export const MetadataServerSchema = refineWithRules(
  z.strictObject({
    name: dnsLabel().describe('Server name: a DNS-1123 label. It names the Kubernetes objects and the URL path.'),
    namespace: dnsLabel().default(DEFAULT_SERVER_NAMESPACE).describe(`Namespace. Default ${DEFAULT_SERVER_NAMESPACE}.`),
    description: z.string().max(100).optional().describe('One line on what the server does (catalog text).'),
    image: spec.image.optional().describe('Container image; filled in by `mcp-runtime server build`.'),
    imageTag: spec.imageTag,
    route: route.optional(),
    port: spec.port,
    servicePort: spec.servicePort,
    containerPath: spec.containerPath,
    replicas: spec.replicas,
    resources: ResourcesSchema.optional(),
    envVars: spec.envVars,
    secretEnvVars: spec.secretEnvVars,
    ingressHost: spec.ingressHost,
    ingressClass: spec.ingressClass,
    ingressAnnotations: spec.ingressAnnotations,
    registryOverride: spec.registryOverride,
    useProvisionedRegistry: z.boolean().optional(),
    imagePullSecrets: spec.imagePullSecrets,
    imagePullPolicy: spec.imagePullPolicy,
    probe: ProbeSchema.optional(),
    build: BuildSchema.optional(),
  }),
  SPEC_CROSS_FIELD_RULES,
).describe('One MCP server.');

const fileShape = <T extends z.ZodType>(server: T) =>
  z
    .strictObject({
      version: z.literal('v1', { error: 'must be v1' }).default('v1').describe('File format version. Only v1 exists.'),
      servers: z
        .array(server, { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a list of servers') })
        .min(1, { error: 'must list at least one server' })
        .describe('The servers this file describes.'),
    })
    .describe('mcp-runtime metadata: the MCP servers of a repository (.mcp/metadata.yaml).');

export const MetadataFileSchema = fileShape(MetadataServerSchema);
/** The file with its servers left unchecked: the loader validates each server on its own. */
export const MetadataFileEnvelopeSchema = fileShape(z.unknown());

export type MetadataServer = z.output<typeof MetadataServerSchema>;
export type MetadataFile = z.output<typeof MetadataFileSchema>;
