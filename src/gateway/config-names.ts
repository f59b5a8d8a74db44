/**
 * The gateway's environment variables, ports and key-file location, named once: the platform
 * construct (charts-ts/platform/gateway.ts) sets exactly these and the gateway process reads them.
 * Pure; no imports.
 */
export const GATEWAY_ENV = {
  listen: 'GATEWAY_LISTEN',
  adminListen: 'GATEWAY_ADMIN_LISTEN',
  sessionKeysDir: 'GATEWAY_SESSION_KEYS_DIR',
  auditPayloads: 'GATEWAY_AUDIT_PAYLOADS',
  drainSeconds: 'GATEWAY_DRAIN_SECONDS',
  publicUrl: 'GATEWAY_PUBLIC_URL',
  namespaces: 'WATCH_NAMESPACES',
  podName: 'POD_NAME',
} as const;

/** Port of the proxy (what Traefik routes to). */
export const GATEWAY_PORT = 8080;
/** Port of /metrics, /healthz and /readyz (never routed publicly). */
export const GATEWAY_ADMIN_PORT = 9090;
/** Where the session-key Secret is mounted. */
export const GATEWAY_SESSION_KEYS_MOUNT = '/etc/mcp-gateway/session-keys';
/** The container's entry: the built gateway in the platform image (`dist/src/gateway/main.js`). */
export const GATEWAY_ENTRY = '/app/dist/src/gateway/main.js';
/**
 * Seconds a stopping replica keeps serving before it closes its listener: long enough for
 * the endpoint removal to reach Traefik (which reloads with a ~2 s throttle).
 */
export const DEFAULT_DRAIN_SECONDS = 5;
