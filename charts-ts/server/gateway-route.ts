/**
 * A server's public path routed through the platform gateway: a Traefik IngressRoute for
 * `ingressPath` (and `ingressHost`) to the gateway's Service, and a `headers` Middleware that
 * names the server to the gateway (SERVER_HEADER, `namespace/name`; Traefik replaces any value a
 * client sent). The path-rewrite Middleware, when the paths differ, runs first, so the gateway
 * forwards the path the container serves. Traefik still owns the public route; the gateway owns
 * the choice of pod. With spec.tls.issuer, a cert-manager Certificate for the host fills the route's Secret.
 */
import { Construct } from 'constructs';
import { metadataPath, SERVER_HEADER, serverHeaderValue, WELL_KNOWN_PRM } from '../../src/gateway/routing-header.js';
import { CertManagerCertificate } from '../lib/cert-manager-certificate.js';
import { TraefikIngressRoute } from '../lib/traefik-ingress-route.js';
import { WEB_ENTRYPOINT, WEBSECURE_ENTRYPOINT } from './annotations.js';
import { TraefikMiddleware } from '../lib/traefik-middleware.js';
import type { GatewayRoute, ResolvedServer } from './resolve.js';

export interface ServerGatewayRouteProps {
  /** The server with every default applied, its `route` of kind `gateway`. */
  readonly server: ResolvedServer & { readonly route: GatewayRoute };
}

/** Traefik's rule for a Kubernetes `Prefix` path: the path itself or anything below it, per path element. */
export function prefixRule(path: string, host: string | undefined): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const paths = trimmed === '/' ? 'PathPrefix(`/`)' : `(Path(\`${trimmed}\`) || PathPrefix(\`${trimmed}/\`))`;
  if (host === undefined) return paths;
  return `${hostRule(host)} && ${paths}`;
}

/** Traefik's rule for exactly one path (and the host, if any). */
export function exactRule(path: string, host: string | undefined): string {
  const paths = `Path(\`${path}\`)`;
  if (host === undefined) return paths;
  return `${hostRule(host)} && ${paths}`;
}

const hostRule = (host: string): string =>
  // A `*.example.com` host matches one label, as in an Ingress.
  host.startsWith('*.') ? `HostRegexp(\`^[^.]+${host.slice(1).replace(/\./g, '\\.')}$\`)` : `Host(\`${host}\`)`;

export class ServerGatewayRoute extends Construct {
  constructor(scope: Construct, id: string, props: ServerGatewayRouteProps) {
    super(scope, id);
    const s = props.server;
    const { gateway, headerMiddlewareName } = s.route;
    new TraefikMiddleware(this, 'ServerHeader', {
      metadata: { name: headerMiddlewareName, namespace: s.namespace, labels: { ...s.labels } },
      spec: { headers: { customRequestHeaders: { [SERVER_HEADER]: serverHeaderValue(s.namespace, s.name) } } },
    });
    // cert-manager's ingress-shim watches Ingresses only: an IngressRoute gets its Certificate here.
    const issuer = s.tls?.issuer;
    if (issuer !== undefined && s.tls?.secretName !== undefined && s.ingressHost !== undefined) {
      new CertManagerCertificate(this, 'Certificate', {
        metadata: { name: s.name, namespace: s.namespace, labels: { ...s.labels } },
        spec: { secretName: s.tls.secretName, dnsNames: [s.ingressHost], issuerRef: { name: issuer.name, kind: issuer.kind, group: 'cert-manager.io' } },
      });
    }
    new TraefikIngressRoute(this, 'Resource', {
      metadata: { name: s.name, namespace: s.namespace, labels: { ...s.labels } },
      spec: {
        entryPoints: [s.tls === undefined ? WEB_ENTRYPOINT : WEBSECURE_ENTRYPOINT],
        // Empty: Traefik's default certificate (the platform's TLSStore); else the server's Secret.
        ...(s.tls === undefined ? {} : { tls: s.tls.secretName === undefined ? {} : { secretName: s.tls.secretName } }),
        routes: [
          {
            kind: 'Rule',
            match: prefixRule(s.ingressPath, s.ingressHost),
            middlewares: [...(s.middlewareName === undefined ? [] : [{ name: s.middlewareName }]), { name: headerMiddlewareName }],
            services: [{ name: gateway.name, namespace: gateway.namespace, port: gateway.port }],
          },
          // RFC 9728: a protected server's metadata, at its path behind the well-known prefix
          // (the gateway answers it; the path is not rewritten).
          ...(s.protectedResource
            ? [
                {
                  kind: 'Rule' as const,
                  match: exactRule(metadataPath(s.ingressPath), s.ingressHost),
                  middlewares: [{ name: headerMiddlewareName }],
                  services: [{ name: gateway.name, namespace: gateway.namespace, port: gateway.port }],
                },
                // RFC 9728's root fallback on the server's host. Every protected server on the host
                // has this same rule to the same gateway, so no server header: whichever route Traefik
                // picks, the gateway answers for the host (isRootMetadataPath, rootMetadata).
                {
                  kind: 'Rule' as const,
                  match: exactRule(WELL_KNOWN_PRM, s.ingressHost),
                  services: [{ name: gateway.name, namespace: gateway.namespace, port: gateway.port }],
                },
              ]
            : []),
        ],
      },
    });
  }
}
