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
