/**
 * How a server's route tells the gateway which MCPServer a request is for: Traefik's route for
 * `/<name>/mcp` sets this header (a `headers` Middleware overwrites whatever a client sent), and
 * the gateway looks the server up by it. Pure; shared by the constructs and the gateway.
 */
export const SERVER_HEADER = 'X-Mcp-Runtime-Server';

/** The header's value: `namespace/name`, the MCPServer's key. */
export const serverHeaderValue = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * RFC 9728's well-known prefix: a protected server's metadata is routed at this prefix followed
 * by the server's path (`/.well-known/oauth-protected-resource/weather/mcp`).
 */
export const WELL_KNOWN_PRM = '/.well-known/oauth-protected-resource';

/** A protected server's metadata path: the prefix, then its public path without a trailing slash. */
export const metadataPath = (ingressPath: string): string => `${WELL_KNOWN_PRM}${ingressPath.replace(/\/+$/, '')}`;

/**
 * RFC 9728's bare well-known path, for a client that knows only the host. Every protected server's
 * route also sends this exact path on its host to the gateway, without naming a server (several
 * may share the host); the gateway answers for whichever protected servers are routed on that host.
 */
export const isRootMetadataPath = (path: string): boolean => path === WELL_KNOWN_PRM;

/**
 * Whether a route for `ingressHost` takes a request for `requestHost` — what the route's rule
 * (charts-ts/server/gateway-route.ts) matches: the host itself in any letter case, one label for a
 * `*.` wildcard, any host when the server names none. The request's port is ignored, as Traefik does.
 */
export function routeHostMatches(ingressHost: string | undefined, requestHost: string): boolean {
  if (ingressHost === undefined) return true;
  const host = requestHost.replace(/:\d+$/, '').toLowerCase();
  const wanted = ingressHost.toLowerCase();
  if (!wanted.startsWith('*.')) return host === wanted;
  const suffix = wanted.slice(1);
  return host.endsWith(suffix) && host.length > suffix.length && !host.slice(0, -suffix.length).includes('.');
}
