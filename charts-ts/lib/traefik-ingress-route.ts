/**
 * Traefik's `IngressRoute` (traefik.io/v1alpha1), typed for what the gateway route uses: HTTP
 * routes with a rule, middlewares and Kubernetes Services (possibly in another namespace, which
 * Traefik allows only with `providers.kubernetescrd.allowCrossNamespace`). Hand-written like
 * the Middleware (see traefik-middleware.ts).
 */
import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';

export interface TraefikObjectReference {
  readonly name: string;
  /** Default: the IngressRoute's namespace. */
  readonly namespace?: string;
}

export interface TraefikRoute {
  readonly kind: 'Rule';
  /** Traefik rule syntax, e.g. Host(`a`) && PathPrefix(`/x`). */
  readonly match: string;
  readonly middlewares?: readonly TraefikObjectReference[];
  readonly services: readonly (TraefikObjectReference & { readonly port: number | string })[];
}

export interface TraefikIngressRouteProps {
  readonly metadata: ApiObjectMetadata & { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly entryPoints: readonly string[];
    readonly routes: readonly TraefikRoute[];
    /** TLS on the route: `{}` for the default certificate (the TLSStore's), or a Secret in the route's namespace. */
    readonly tls?: { readonly secretName?: string };
  };
}

export class TraefikIngressRoute extends ApiObject {
  static readonly GVK: GroupVersionKind = { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute' };

  constructor(scope: Construct, id: string, props: TraefikIngressRouteProps) {
    super(scope, id, { ...TraefikIngressRoute.GVK, metadata: props.metadata, spec: props.spec });
  }
}
