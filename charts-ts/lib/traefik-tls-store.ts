/**
 * Traefik's `TLSStore` (traefik.io/v1alpha1). The one named `default` holds the certificate
 * Traefik serves when a route names none: the platform's, from `setup --with-tls`. Hand-written
 * like the Middleware (see traefik-middleware.ts).
 */
import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';

export interface TraefikTlsStoreProps {
  /** Traefik reads only the store named `default`, in any namespace it watches. */
  readonly metadata: ApiObjectMetadata & { readonly name: 'default'; readonly namespace: string };
  /** A kubernetes.io/tls Secret in the store's namespace. */
  readonly spec: { readonly defaultCertificate: { readonly secretName: string } };
}

export class TraefikTlsStore extends ApiObject {
  static readonly GVK: GroupVersionKind = { apiVersion: 'traefik.io/v1alpha1', kind: 'TLSStore' };

  constructor(scope: Construct, id: string, props: TraefikTlsStoreProps) {
    super(scope, id, { ...TraefikTlsStore.GVK, metadata: props.metadata, spec: props.spec });
  }
}
