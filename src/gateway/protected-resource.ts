/**
 * A protected server as OAuth sees it (RFC 9728): its public resource URL, where its metadata
 * lives, and the metadata document. URLs are built from the public host, scheme and path (a
 * route's X-Forwarded-* headers, or configuration), never from a pod's address. Pure.
 */
import type { AuthSpec } from '../api/v1alpha1/index.js';
import { metadataPath, routeHostMatches } from './routing-header.js';

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

/** The request's host as the edge saw it (Traefik forwards the client's Host and sets X-Forwarded-Host). */
export function requestHost(request: PublicRequest): string | undefined {
  const host = first(request.forwardedHost) ?? request.host;
  return host === undefined || !HOST.test(host) ? undefined : host.toLowerCase();
}

/** A protected server the gateway routes, under its key (`namespace/name`). */
export type KeyedProtectedServer = ProtectedServer & { readonly key: string };

export interface RootMetadataAnswer {
  readonly status: 200 | 404;
  readonly body: Record<string, unknown>;
}

/**
 * The answer at the bare well-known path (RFC 9728's root fallback) on the request's host. The
 * servers routed there are those whose ingressHost matches it, else (none does) those routed on
 * any host. Exactly one: its metadata, the same document as at its path-inserted URL. Several:
 * 404 with each one's path-inserted metadata URL (a client learns its own from the 401's
 * WWW-Authenticate anyway). None: 404.
 */
export function rootMetadata(servers: readonly KeyedProtectedServer[], request: PublicRequest, configured: URL | undefined): RootMetadataAnswer {
  const host = requestHost(request);
  if (host === undefined) return { status: 404, body: { error: 'no_protected_resource', error_description: 'The request names no usable Host' } };
  const named = servers.filter((s) => s.ingressHost !== undefined && routeHostMatches(s.ingressHost, host));
  const on = named.length > 0 ? named : servers.filter((s) => s.ingressHost === undefined);
  const described = on.flatMap((server) => {
    const origin = publicOrigin(server, request, configured);
    return origin === undefined ? [] : [{ server, origin }];
  });
  if (described.length === 0) return { status: 404, body: { error: 'no_protected_resource', error_description: `No protected MCP server is routed on ${host}` } };
  if (described.length === 1) {
    const { server, origin } = described[0]!;
    return { status: 200, body: metadataDocument(server, origin, server.key) };
  }
  return {
    status: 404,
    body: {
      error: 'several_protected_resources',
      error_description: `${described.length} protected MCP servers are routed on ${host}; each one's metadata is at its own URL (the WWW-Authenticate of its 401 names it)`,
      resource_metadata: described.map(({ server, origin }) => metadataUrl(server, origin)).sort(),
    },
  };
}
