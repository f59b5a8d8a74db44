/**
 * An MCPServer manifest, built with the class `cdk8s import` generates from our own CRD
 * (imports/mcp.agent-hellboy.io.ts): the one place MCPServer objects are built, as every other
 * Kubernetes object is built in charts-ts/. `McpServer.manifest()` renders plain JSON without a
 * Chart, so `pipeline generate` stays fast at 1,000 servers.
 */
import { McpServer, type McpServerSpec } from '../../imports/mcp.agent-hellboy.io.js';
import type { MCPServerSpecInput } from '../../src/api/v1alpha1/index.js';

export interface McpServerManifestMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export function mcpServerManifest(metadata: McpServerManifestMetadata, spec: MCPServerSpecInput): Record<string, unknown> {
  // The generated spec type models the same schema (enums as TypeScript enums of the same strings).
  return McpServer.manifest({ metadata: { ...metadata }, spec: spec as unknown as McpServerSpec }) as Record<string, unknown>;
}
