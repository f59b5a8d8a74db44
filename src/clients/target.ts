/** From an MCPServer object to what a client needs: its public URL and whether it asks for credentials. */
import { requiresAuthorization } from '../api/v1alpha1/index.js';
import { UsageError } from '../kube/errors.js';
import type { ServerObject } from '../servers/servers.js';
import type { ConnectTarget } from './clients.js';
import { NoPublicUrlError } from './errors.js';

/**
 * The server's public URL. status.url is absolute when the platform has an ingress host, and
 * only the path (`/weather/mcp`) when it has none (the operator cannot know the address clients
 * use then): `baseUrl` supplies the scheme and host.
 */
export function publicUrl(server: ServerObject, baseUrl?: string): string {
  const url = server.status?.url;
  if (url === undefined || url === '') throw new NoPublicUrlError(server.metadata.namespace, server.metadata.name);
  if (/^https?:\/\//i.test(url)) return url;
  if (baseUrl === undefined) {
    throw new UsageError(
      `MCPServer ${server.metadata.namespace}/${server.metadata.name} is served at the path ${url} without a host (the platform has no ingress host): ` +
        'pass --base-url with the address clients reach the ingress at, e.g. --base-url http://localhost:8080',
    );
  }
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new UsageError(`--base-url ${JSON.stringify(baseUrl)} is not a URL; expected e.g. http://localhost:8080`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`--base-url must be an http:// or https:// URL, not ${base.protocol}`);
  // The base's own path is kept as a prefix (an ingress mounted under /mcp-platform, say).
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${url.startsWith('/') ? url : `/${url}`}`;
}

export function connectTarget(server: ServerObject, baseUrl?: string): ConnectTarget {
  return { name: server.metadata.name, url: publicUrl(server, baseUrl), authRequired: requiresAuthorization(server.spec, server.status) };
}
