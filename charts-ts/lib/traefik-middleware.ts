/**
 * Traefik's `Middleware` (traefik.io/v1alpha1), typed for the kinds we use. Hand-written
 * instead of `cdk8s import`: the CRD we install is minimal (crds/third-party/), so an import
 * would model nothing.
 */
import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';

export interface TraefikMiddlewareSpec {
  /** Removes a literal prefix from the request path (and sets X-Forwarded-Prefix). Default: none. */
  readonly stripPrefix?: { readonly prefixes: readonly string[] };
  /** Rewrites the path with an RE2 regex and a `$1`-style replacement. Default: none. */
  readonly replacePathRegex?: { readonly regex: string; readonly replacement: string };
  /** Sets request headers, replacing what the client sent under the same name. Default: none. */
  readonly headers?: { readonly customRequestHeaders: Readonly<Record<string, string>> };
}

export interface TraefikMiddlewareProps {
  /** Name and namespace are required: a router refers to `<namespace>-<name>@kubernetescrd`. */
  readonly metadata: ApiObjectMetadata & { readonly name: string; readonly namespace: string };
  /** Exactly one middleware kind. */
  readonly spec: TraefikMiddlewareSpec;
}

export class TraefikMiddleware extends ApiObject {
  static readonly GVK: GroupVersionKind = { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware' };

  constructor(scope: Construct, id: string, props: TraefikMiddlewareProps) {
    super(scope, id, { ...TraefikMiddleware.GVK, metadata: props.metadata, spec: props.spec });
  }
}
