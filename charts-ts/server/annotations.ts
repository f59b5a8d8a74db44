/**
 * Per-ingress-class Ingress annotations. MCP's Streamable HTTP answers with SSE streams, which
 * must reach the client unbuffered, uncompressed and without an idle cut-off:
 *  - Traefik neither buffers nor compresses unless a middleware says so, and we add none that
 *    does (no `compress`, no `buffering`); its entry point read timeout is raised in the
 *    platform chart (traefik.ts).
 *  - ingress-nginx buffers responses by default and cuts idle upstream reads after 60 s, so we
 *    turn buffering off and allow long reads.
 * The user's `ingressAnnotations` are merged last and win.
 */
export const TRAEFIK_ENTRYPOINTS = 'traefik.ingress.kubernetes.io/router.entrypoints';
export const TRAEFIK_ROUTER_TLS = 'traefik.ingress.kubernetes.io/router.tls';
/** Traefik's entry points: plain HTTP, and HTTPS once the platform has TLS. */
export const WEB_ENTRYPOINT = 'web';
export const WEBSECURE_ENTRYPOINT = 'websecure';
export const TRAEFIK_MIDDLEWARES = 'traefik.ingress.kubernetes.io/router.middlewares';

/** cert-manager's ingress-shim: an Ingress with one of these (and a `tls` list) gets a Certificate for its hosts. */
export const CERT_MANAGER_ISSUER_ANNOTATIONS = {
  ClusterIssuer: 'cert-manager.io/cluster-issuer',
  Issuer: 'cert-manager.io/issuer',
} as const;

/** Seconds an idle SSE stream may stay open behind ingress-nginx. */
export const NGINX_STREAM_TIMEOUT_SECONDS = '3600';

const NGINX_DEFAULTS: Readonly<Record<string, string>> = {
  // The edge speaks plain HTTP until TLS is configured; a redirect would break every client.
  'nginx.ingress.kubernetes.io/ssl-redirect': 'false',
  'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
  'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
  'nginx.ingress.kubernetes.io/proxy-read-timeout': NGINX_STREAM_TIMEOUT_SECONDS,
  'nginx.ingress.kubernetes.io/proxy-send-timeout': NGINX_STREAM_TIMEOUT_SECONDS,
};

/** How a Traefik router names a Middleware CRD object: `<namespace>-<name>@kubernetescrd`. */
export const middlewareReference = (namespace: string, name: string): string => `${namespace}-${name}@kubernetescrd`;

/**
 * @param middleware the `middlewareReference` of the server's path-rewrite Middleware, if any
 * @param issuer spec.tls.issuer: ingress-shim's annotation, whatever the ingress class
 */
export function ingressAnnotations(
  ingressClass: string,
  user: Readonly<Record<string, string>>,
  middleware?: string,
  tls = false,
  issuer?: { readonly name: string; readonly kind: keyof typeof CERT_MANAGER_ISSUER_ANNOTATIONS },
): Record<string, string> {
  const certManager = issuer === undefined ? {} : { [CERT_MANAGER_ISSUER_ANNOTATIONS[issuer.kind]]: issuer.name };
  let defaults: Record<string, string> = {};
  if (ingressClass === 'traefik') {
    defaults = {
      [TRAEFIK_ENTRYPOINTS]: tls ? WEBSECURE_ENTRYPOINT : WEB_ENTRYPOINT,
      ...(tls ? { [TRAEFIK_ROUTER_TLS]: 'true' } : {}),
      ...(middleware === undefined ? {} : { [TRAEFIK_MIDDLEWARES]: middleware }),
    };
  } else if (ingressClass === 'nginx') {
    defaults = { ...NGINX_DEFAULTS };
  }
  return { ...defaults, ...certManager, ...user };
}
