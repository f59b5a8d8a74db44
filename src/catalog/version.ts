/**
 * The version a server has in the catalog. The registry wants one exact version (never `latest`,
 * never a range). In order:
 * 1. `spec.catalog.version`, when set;
 * 2. the tag of the deployed image (`status.image`, else the spec's image and imageTag), unless
 *    it is `latest` or absent; a leading `v` before a digit is dropped (`v1.2.0` → `1.2.0`);
 * 3. the version the server reports over MCP (`status.mcp.serverInfo.version`), unless `latest`;
 * 4. `0.0.0-sha256-<first 12 hex digits>` when the image is pinned by digest;
 * 5. `0.0.0-gen<metadata.generation>`: changes exactly when the spec changes.
 */
import { CATALOG_VERSION } from '../api/v1alpha1/mcpserver.js';
import type { ImageReference } from '../images/reference.js';

export interface VersionSources {
  specVersion?: string;
  image?: ImageReference;
  serverVersion?: string;
  generation?: number;
}

function usable(version: string | undefined): version is string {
  return version !== undefined && version !== 'latest' && version.length <= 255 && CATALOG_VERSION.test(version);
}

export function catalogVersion(sources: VersionSources): string {
  if (usable(sources.specVersion)) return sources.specVersion;
  const tag = sources.image?.tag?.replace(/^v(?=\d)/, '');
  if (usable(tag)) return tag;
  if (usable(sources.serverVersion)) return sources.serverVersion;
  const digest = /^sha256:([0-9a-f]{12})/.exec(sources.image?.digest ?? '');
  if (digest !== null) return `0.0.0-sha256-${digest[1]}`;
  return `0.0.0-gen${sources.generation ?? 0}`;
}
