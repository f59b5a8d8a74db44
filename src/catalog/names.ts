/**
 * Registry names. The MCP Registry requires `reverse-DNS-namespace/server-name` with exactly one
 * `/` (pattern `^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$`, at most 200 characters). A server
 * `weather` in namespace `team-a` under the platform prefix `io.example.mcp` is
 * `io.example.mcp.team-a/weather`: namespace and name are DNS-1123 labels, so they always fit.
 */

/** Used when the platform sets no prefix (`local.mcp-runtime`: a name that claims no real domain). */
export const DEFAULT_NAME_PREFIX = 'local.mcp-runtime';

// Dot-separated labels of letters, digits and '-'. 200 - 1 ('.') - 63 (namespace) - 1 ('/') - 63 (name) = 72.
const PREFIX = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
export const MAX_PREFIX_LENGTH = 72;

/** Why a prefix is unusable, or undefined when it is fine. */
export function namePrefixProblem(prefix: string): string | undefined {
  if (prefix.length === 0) return 'must not be empty';
  if (prefix.length > MAX_PREFIX_LENGTH) return `must be at most ${MAX_PREFIX_LENGTH} characters (registry names are at most 200)`;
  if (!PREFIX.test(prefix)) return "must be a reverse-DNS name: labels of letters, digits and '-' separated by '.', e.g. io.example.mcp";
  return undefined;
}

export function registryName(prefix: string, namespace: string, name: string): string {
  return `${prefix}.${namespace}/${name}`;
}

/** The pattern of ServerDetail.name in the official schema. */
export const REGISTRY_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
