/**
 * Turns a loaded metadata entry into an MCPServer manifest. Pure. Only fields the team wrote
 * (plus the name, namespace, route and the seed's servicePort) are emitted, so the manifest
 * stays short and the CRD's defaults stay the single place defaults live.
 */
import { API_VERSION, KIND, MCPServerManifestSchema, type MCPServerSpecInput } from '../api/v1alpha1/index.js';
import { mcpServerManifest } from '../../charts-ts/server/mcpserver-manifest.js';
import type { MetadataServer } from './schema.js';

export interface MCPServerManifest {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: MCPServerSpecInput;
}

/** Metadata fields copied verbatim into the spec (same name, same meaning). */
const SPEC_FIELDS = [
  'image',
  'imageTag',
  'port',
  'servicePort',
  'containerPath',
  'replicas',
  'resources',
  'envVars',
  'secretEnvVars',
  'ingressHost',
  'ingressClass',
  'ingressAnnotations',
  'registryOverride',
  'useProvisionedRegistry',
  'imagePullSecrets',
  'imagePullPolicy',
  'probe',
] as const satisfies readonly (keyof MetadataServer & keyof MCPServerSpecInput)[];

export class MissingImageError extends Error {}

export function toMCPServerManifest(server: MetadataServer & { route: string }): MCPServerManifest {
  if (server.image === undefined) {
    throw new MissingImageError(
      `server "${server.name}" has no image: run \`mcp-runtime server build ${server.name}\` or set image in its metadata`,
    );
  }
  const spec: Record<string, unknown> = { ingressPath: server.route };
  for (const field of SPEC_FIELDS) if (server[field] !== undefined) spec[field] = server[field];
  const manifest = mcpServerManifest(
    {
      name: server.name,
      namespace: server.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'mcp-runtime', 'app.kubernetes.io/name': server.name },
      ...(server.description !== undefined ? { annotations: { 'mcp.agent-hellboy.io/description': server.description } } : {}),
    },
    spec as MCPServerSpecInput,
  ) as unknown as MCPServerManifest;
  // The metadata schema borrows its field shapes from the spec, so this only fails on a bug.
  MCPServerManifestSchema.parse(manifest);
  return manifest;
}
