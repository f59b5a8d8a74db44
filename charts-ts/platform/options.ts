/**
 * What `setup` / `synth` can choose about the platform, with every default in one place.
 */
import { DEFAULT_SERVER_NAMESPACE } from '../../src/api/v1alpha1/index.js';
import { DEFAULT_INGRESS_CLASS, DEFAULT_PULL_SECRET_NAME } from '../server/settings.js';
import { InvalidPlatformOptionsError, platformOptionProblems } from './option-problems.js';
import { DEFAULT_CATALOG_NAME_PREFIX } from './catalog.js';

export const NAMESPACES = {
  operator: 'mcp-runtime',
  registry: 'registry',
  traefik: 'traefik',
  servers: DEFAULT_SERVER_NAMESPACE,
  gateway: 'mcp-gateway',
} as const;

/**
 * Default operator image. `mcp-runtime synth` passes the image of its own version instead;
 * this constant is what `npx cdk8s synth` and library users get.
 */
export const DEFAULT_OPERATOR_IMAGE = 'ghcr.io/agent-hellboy/mcp-runtime:0.1.0';
export const DEFAULT_REGISTRY_IMAGE = 'registry:2';
export const DEFAULT_TRAEFIK_IMAGE = 'traefik:v3.6';
export const DEFAULT_REGISTRY_STORAGE_SIZE = '10Gi';
/**
 * The Secret (in mcp-runtime) where `registry provision` stores the external registry: keys
 * `url`, `username` and `password`. The operator reads its password from here, so `setup` and
 * `synth` must name this very Secret: one constant for the writer and both readers.
 */
export const PROVISIONED_REGISTRY_SECRET = 'mcp-runtime-registry';
/** The key of the password in PROVISIONED_REGISTRY_SECRET. */
export const PROVISIONED_REGISTRY_PASSWORD_KEY = 'password';
/** Default of ExternalRegistry.passwordSecret: the Secret `registry provision` writes. */
export const DEFAULT_REGISTRY_PASSWORD_SECRET = PROVISIONED_REGISTRY_SECRET;

export interface ExternalRegistry {
  /** Registry host with optional port and path, e.g. `reg.example.com/team`. Required. */
  readonly url: string;
  /** User for pulls and pushes. Default: none (anonymous pulls, no pull Secret). */
  readonly username?: string;
  /** Name of the pull Secret the operator writes into server namespaces. Default `mcp-runtime-registry-creds`. */
  readonly pullSecretName?: string;
  /**
   * Secret in the operator namespace whose key `password` the operator reads
   * (PROVISIONED_REGISTRY_PASSWORD). Created by `registry provision`, never by the chart, so
   * no password is ever in a manifest. Default `mcp-runtime-registry` (PROVISIONED_REGISTRY_SECRET).
   */
  readonly passwordSecret?: string;
}

export interface PlatformOptions {
  /** Ingress controller to install: `traefik` or `none` (bring your own). Default `traefik`. */
  readonly ingress?: 'traefik' | 'none';
  /** Traefik flavour: `prod` (dashboard and API off) or `dev` (insecure dashboard on :8080). Default `prod`. */
  readonly ingressVariant?: 'prod' | 'dev';
  /** `internal` (a registry:2 in namespace `registry`) or an external registry. Default `internal`. */
  readonly registry?: 'internal' | ExternalRegistry;
  /** Operator image. Default DEFAULT_OPERATOR_IMAGE. */
  readonly operatorImage?: string;
  /** MCP_DEFAULT_INGRESS_HOST of the operator. Default: none (servers match any host). */
  readonly defaultIngressHost?: string;
  /** DEFAULT_INGRESS_CLASS of the operator. Default `traefik`. */
  readonly defaultIngressClass?: string;
  /** Size of the internal registry's volume. Default `10Gi`. */
  readonly registryStorageSize?: string;
  /** StorageClass of the internal registry's volume. Default: the cluster's default class. */
  readonly registryStorageClass?: string;
  /**
   * CIDRs (besides pods in `registry` and `mcp-runtime`) allowed to reach the internal registry,
   * typically the node network so kubelets on other nodes can pull. Default: none.
   */
  readonly registryAllowedCidrs?: readonly string[];
  /**
   * Fixed ClusterIP of the internal registry's Service, for nodes whose containerd is told
   * where the registry is before it exists (`cluster provision --provider kind` pins 10.96.0.50).
   * Must lie in the cluster's Service CIDR; a ClusterIP cannot change once set. Default: allocated.
   */
  readonly registryClusterIP?: string;
  /** Internal registry image. Default `registry:2`. */
  readonly registryImage?: string;
  /** Traefik image. Default `traefik:v3.6`. */
  readonly traefikImage?: string;
  /** Type of the Traefik Service. Default `LoadBalancer`. */
  readonly traefikServiceType?: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  /**
   * INGRESS_READINESS of the operator: `strict` (Routed once the ingress controller publishes an
   * address) or `permissive` (once the Ingress exists). Default: unset, which the operator reads as strict.
   */
  readonly ingressReadiness?: 'strict' | 'permissive';
  /** Install the catalog (the MCP Registry API at `/v0.1/servers` and the catalog page at `/` on the platform host). Default true. */
  readonly catalog?: boolean;
  /** Reverse-DNS prefix of catalog names (`<prefix>.<namespace>/<server>`). Default `local.mcp-runtime`. */
  readonly catalogNamePrefix?: string;
  /**
   * Install the gateway (session pinning, per-tool metrics, audit) and route servers through it
   * (a server opts out with spec.gateway.enabled: false). Its routes are Traefik IngressRoutes.
   * Default: true when Traefik is installed, else false.
   */
  readonly gateway?: boolean;
  /** Gateway image (built gateway at /app/dist/src/gateway/main.js). Default: the operator image. */
  readonly gatewayImage?: string;
  /** Gateway pods. Default 2. */
  readonly gatewayReplicas?: number;
  /** Put tools/call arguments and results in the gateway's audit log. Default false. */
  readonly gatewayAuditPayloads?: boolean;
  /**
   * The address clients reach the platform at (scheme and host, e.g. https://mcp.example.com):
   * the origin of protected servers' resource URLs (token audience, RFC 9728 metadata) when a
   * server names no ingressHost. Default: the host each request names, as the edge forwards it.
   */
  readonly gatewayPublicUrl?: string;
  /**
   * HTTPS at the edge: the kubernetes.io/tls Secret (in namespace `traefik`) Traefik serves by
   * default; server routes move to its `websecure` entry point and plain HTTP redirects there.
   * Default: none (plain HTTP, for a local sandbox only).
   */
  readonly tlsSecretName?: string;
}

/** PlatformOptions with every default applied. */
export interface ResolvedPlatformOptions {
  readonly ingress: 'traefik' | 'none';
  readonly ingressVariant: 'prod' | 'dev';
  readonly registry: 'internal' | Required<Omit<ExternalRegistry, 'username'>> & Pick<ExternalRegistry, 'username'>;
  readonly operatorImage: string;
  readonly defaultIngressHost?: string;
  readonly defaultIngressClass: string;
  readonly registryStorageSize: string;
  readonly registryStorageClass?: string;
  readonly registryAllowedCidrs: readonly string[];
  readonly registryClusterIP?: string;
  readonly registryImage: string;
  readonly traefikImage: string;
  readonly traefikServiceType: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  readonly ingressReadiness?: 'strict' | 'permissive';
  readonly catalog: boolean;
  readonly catalogNamePrefix: string;
  readonly gateway: boolean;
  readonly gatewayImage: string;
  readonly gatewayReplicas: number;
  readonly gatewayAuditPayloads: boolean;
  readonly gatewayPublicUrl?: string;
  readonly tlsSecretName?: string;
}

/** Applies the defaults. Throws InvalidPlatformOptionsError (naming each flag) on a malformed option. */
export function resolvePlatformOptions(options: PlatformOptions = {}): ResolvedPlatformOptions {
  const problems = platformOptionProblems(options);
  if (problems.length > 0) throw new InvalidPlatformOptionsError(problems);
  const registry = options.registry ?? 'internal';
  return {
    ingress: options.ingress ?? 'traefik',
    ingressVariant: options.ingressVariant ?? 'prod',
    registry:
      registry === 'internal'
        ? 'internal'
        : {
            url: registry.url,
            ...(registry.username === undefined ? {} : { username: registry.username }),
            pullSecretName: registry.pullSecretName ?? DEFAULT_PULL_SECRET_NAME,
            passwordSecret: registry.passwordSecret ?? DEFAULT_REGISTRY_PASSWORD_SECRET,
          },
    operatorImage: options.operatorImage ?? DEFAULT_OPERATOR_IMAGE,
    ...(options.defaultIngressHost === undefined ? {} : { defaultIngressHost: options.defaultIngressHost }),
    defaultIngressClass: options.defaultIngressClass ?? DEFAULT_INGRESS_CLASS,
    registryStorageSize: options.registryStorageSize ?? DEFAULT_REGISTRY_STORAGE_SIZE,
    ...(options.registryStorageClass === undefined ? {} : { registryStorageClass: options.registryStorageClass }),
    registryAllowedCidrs: options.registryAllowedCidrs ?? [],
    ...(options.registryClusterIP === undefined ? {} : { registryClusterIP: options.registryClusterIP }),
    registryImage: options.registryImage ?? DEFAULT_REGISTRY_IMAGE,
    traefikImage: options.traefikImage ?? DEFAULT_TRAEFIK_IMAGE,
    traefikServiceType: options.traefikServiceType ?? 'LoadBalancer',
    ...(options.ingressReadiness === undefined ? {} : { ingressReadiness: options.ingressReadiness }),
    catalog: options.catalog ?? true,
    catalogNamePrefix: options.catalogNamePrefix ?? DEFAULT_CATALOG_NAME_PREFIX,
    gateway: options.gateway ?? (options.ingress ?? 'traefik') === 'traefik',
    gatewayImage: options.gatewayImage ?? options.operatorImage ?? DEFAULT_OPERATOR_IMAGE,
    gatewayReplicas: options.gatewayReplicas ?? 2,
    gatewayAuditPayloads: options.gatewayAuditPayloads ?? false,
    ...(options.gatewayPublicUrl === undefined ? {} : { gatewayPublicUrl: options.gatewayPublicUrl }),
    ...(options.tlsSecretName === undefined ? {} : { tlsSecretName: options.tlsSecretName }),
  };
}
