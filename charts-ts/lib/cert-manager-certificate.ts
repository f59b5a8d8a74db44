/**
 * cert-manager's `Certificate` (cert-manager.io/v1), typed for what a server route needs: one
 * Secret, the DNS names it is valid for and the issuer that signs it. cert-manager obtains the
 * certificate, writes it into the Secret and renews it. Hand-written like the Traefik kinds (see
 * traefik-middleware.ts): importing cert-manager's CRDs for one small object is not worth it.
 */
import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';

export interface CertManagerCertificateProps {
  readonly metadata: ApiObjectMetadata & { readonly name: string; readonly namespace: string };
  readonly spec: {
    /** The kubernetes.io/tls Secret cert-manager writes, in the Certificate's namespace. No default. */
    readonly secretName: string;
    /** Host names the certificate is valid for (a `*.` wildcard needs a DNS-01 issuer). No default. */
    readonly dnsNames: readonly string[];
    /**
     * The issuer: an `Issuer` in the Certificate's namespace or a `ClusterIssuer`. cert-manager's
     * own defaults apply to what is left out: kind `Issuer`, group `cert-manager.io`.
     */
    readonly issuerRef: { readonly name: string; readonly kind: 'ClusterIssuer' | 'Issuer'; readonly group: 'cert-manager.io' };
  };
}

export class CertManagerCertificate extends ApiObject {
  static readonly GVK: GroupVersionKind = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' };

  constructor(scope: Construct, id: string, props: CertManagerCertificateProps) {
    super(scope, id, { ...CertManagerCertificate.GVK, metadata: props.metadata, spec: props.spec });
  }
}
