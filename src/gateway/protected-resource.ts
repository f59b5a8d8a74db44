/**
 * A protected server as OAuth sees it (RFC 9728): its public resource URL, where its metadata
 * lives, and the metadata document. URLs are built from the public host, scheme and path (a
 * route's X-Forwarded-* headers, or configuration), never from a pod's address. Pure.
 */
import type { AuthSpec } from '../api/v1alpha1/index.js';
import { metadataPath } from './routing-header.js';

/** What the edge says about the address the client used (Traefik sets these, overwriting a client's own). */
export interface PublicRequest {
  readonly forwardedProto?: string;
  readonly forwardedHost?: string;
  readonly host?: string;
}

export interface ProtectedServer {
  readonly ingressPath: string;
  readonly ingressHost?: string;
  readonly auth: AuthSpec;
}

const first = (v: string | undefined) => v?.split(',')[0]?.trim() || undefined;
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The origin clients reach the server at: spec.ingressHost with the scheme the edge saw, else the
 * gateway's configured public URL, else what the edge forwarded. Undefined when nothing sane is known.
 */
export function publicOrigin(server: Pick<ProtectedServer, 'ingressHost'>, request: PublicRequest, configured: URL | undefined): string | undefined {
  const proto = first(request.forwardedProto)?.toLowerCase();
  const scheme = proto === 'https' || proto === 'http' ? proto : undefined;
  if (server.ingressHost !== undefined && !server.ingressHost.startsWith('*.')) return `${scheme ?? configured?.protocol.slice(0, -1) ?? 'http'}://${server.ingressHost}`;
  if (configured !== undefined) return configured.origin;
  const host = first(request.forwardedHost) ?? request.host;
  if (host === undefined || !HOST.test(host)) return undefined;
  return `${scheme ?? 'http'}://${host.toLowerCase()}`;
}

/** The resource identifier tokens must name (RFC 8707): spec.auth.audience, else the public URL. */
export function resourceOf(server: ProtectedServer, origin: string): string {
  return server.auth.audience ?? `${origin}${server.ingressPath}`;
}

/** Where the metadata is: the well-known prefix inserted before the server's path (RFC 9728 §3.1). */
export function metadataUrl(server: ProtectedServer, origin: string): string {
  return `${origin}${metadataPath(server.ingressPath)}`;
}

/** The RFC 9728 document. */
export function metadataDocument(server: ProtectedServer, origin: string, name: string): Record<string, unknown> {
  return {
    resource: resourceOf(server, origin),
    authorization_servers: [server.auth.issuer],
    ...(server.auth.scopes === undefined || server.auth.scopes.length === 0 ? {} : { scopes_supported: [...server.auth.scopes] }),
    bearer_methods_supported: ['header'],
    resource_name: name,
  };
}
