/**
 * The platform knobs `setup` and `synth` share: one definition, so both commands offer the same
 * choices under the same names (and a test can check they do).
 */
import { Flags } from '@oclif/core';
import type { PlatformOptions } from '../../charts-ts/platform/options.js';

/** `extra` is merged into each flag (synth passes `exclusive: ['servers']`). */
export function platformFlags(extra: { exclusive?: string[] } = {}) {
  return {
    ingress: Flags.string({ ...extra, options: ['traefik', 'none'], default: 'traefik', description: 'Ingress controller to install (none: bring your own).' }),
    'ingress-variant': Flags.string({
      ...extra,
      options: ['prod', 'dev'],
      default: 'prod',
      aliases: ['ingress-manifest'],
      deprecateAliases: true,
      description: 'Traefik flavour: prod (dashboard and API off) or dev (insecure dashboard on). (--ingress-manifest is a deprecated alias.)',
    }),
    'traefik-service-type': Flags.string({
      ...extra,
      options: ['LoadBalancer', 'NodePort', 'ClusterIP'],
      default: 'LoadBalancer',
      description: "Type of Traefik's Service (NodePort or ClusterIP where no load balancer exists).",
    }),
    'registry-storage-size': Flags.string({ ...extra, default: '10Gi', description: 'Volume size of the in-cluster registry.' }),
    'registry-storage-class': Flags.string({ ...extra, description: "StorageClass of the in-cluster registry's volume. Default: the cluster's default class." }),
    'registry-allow-cidr': Flags.string({
      ...extra,
      multiple: true,
      description: 'CIDR allowed to reach the in-cluster registry, e.g. the node network so kubelets can pull (repeatable).',
    }),
    'registry-cluster-ip': Flags.string({
      ...extra,
      description: "Fixed ClusterIP of the in-cluster registry's Service, inside the Service CIDR (kind clusters from `cluster provision`: 10.96.0.50). Default: allocated.",
    }),
    'ingress-readiness': Flags.string({
      ...extra,
      options: ['strict', 'permissive'],
      description: "Operator's INGRESS_READINESS: strict (Routed once the controller publishes an address) or permissive (once the Ingress exists). Default: strict.",
    }),
    catalog: Flags.boolean({
      ...extra,
      allowNo: true,
      description: 'Install the catalog: the MCP Registry API of every deployed server at /v0.1/servers and the catalog page at / on the platform host (--no-catalog: leave it out). Default on.',
    }),
    'catalog-name-prefix': Flags.string({
      ...extra,
      description: 'Reverse-DNS prefix of catalog names, <prefix>.<namespace>/<server>. Default local.mcp-runtime.',
    }),
    gateway: Flags.boolean({
      ...extra,
      allowNo: true,
      description:
        'Install the gateway between Traefik and the servers (sessions pinned to their pod, per-tool metrics, audit log) and route servers through it (--no-gateway: routes go straight to the pods). Default on with Traefik.',
    }),
    'gateway-image': Flags.string({ ...extra, description: "The gateway's image (the platform image: built gateway at /app/dist/src/gateway/main.js). Default: the operator image." }),
    'gateway-replicas': Flags.integer({ ...extra, min: 1, max: 100, description: 'Gateway pods. Default 2.' }),
    'gateway-audit-payloads': Flags.boolean({
      ...extra,
      allowNo: true,
      description: "Put tools/call arguments and results in the gateway's audit log (--no-gateway-audit-payloads: never). Default off.",
    }),
    'with-tls': Flags.string({
      ...extra,
      helpValue: '<secret>',
      description:
        "HTTPS at the edge: the kubernetes.io/tls Secret in namespace traefik whose certificate Traefik serves; server routes move to the websecure entry point (443) and plain HTTP redirects there. Default: plain HTTP, for a local sandbox only.",
    }),
    'gateway-public-url': Flags.string({
      ...extra,
      description:
        "The address clients reach the platform at, e.g. https://mcp.example.com: the origin of OAuth-protected servers' URLs (token audience, RFC 9728 metadata) for servers without ingressHost. Default: the host each request names.",
    }),
  };
}

/** Flags shared by both of synth's modes and setup. */
export const serverDefaultFlags = {
  'default-ingress-host': Flags.string({ description: 'Host for servers that set none (operator MCP_DEFAULT_INGRESS_HOST). Default: any host.' }),
  'ingress-class': Flags.string({ default: 'traefik', description: 'IngressClass for servers that set none (operator DEFAULT_INGRESS_CLASS).' }),
};

export interface PlatformFlagValues {
  ingress: string;
  'ingress-variant': string;
  'traefik-service-type': string;
  'registry-storage-size': string;
  'registry-storage-class'?: string;
  'registry-allow-cidr'?: string[];
  'registry-cluster-ip'?: string;
  'ingress-readiness'?: string;
  catalog?: boolean;
  'catalog-name-prefix'?: string;
  gateway?: boolean;
  'gateway-image'?: string;
  'gateway-replicas'?: number;
  'gateway-audit-payloads'?: boolean;
  'gateway-public-url'?: string;
  'with-tls'?: string;
  'default-ingress-host'?: string;
  'ingress-class': string;
}

/** The chart options these flags choose (registry and operator image are each command's own). */
export function platformOptionsOf(flags: PlatformFlagValues): Omit<PlatformOptions, 'registry' | 'operatorImage'> {
  return {
    ingress: flags.ingress as 'traefik' | 'none',
    ingressVariant: flags['ingress-variant'] as 'prod' | 'dev',
    traefikServiceType: flags['traefik-service-type'] as 'LoadBalancer' | 'NodePort' | 'ClusterIP',
    registryStorageSize: flags['registry-storage-size'],
    ...(flags['registry-storage-class'] === undefined ? {} : { registryStorageClass: flags['registry-storage-class'] }),
    registryAllowedCidrs: flags['registry-allow-cidr'] ?? [],
    ...(flags['registry-cluster-ip'] === undefined ? {} : { registryClusterIP: flags['registry-cluster-ip'] }),
    ...(flags['ingress-readiness'] === undefined ? {} : { ingressReadiness: flags['ingress-readiness'] as 'strict' | 'permissive' }),
    ...(flags.catalog === undefined ? {} : { catalog: flags.catalog }),
    ...(flags['catalog-name-prefix'] === undefined ? {} : { catalogNamePrefix: flags['catalog-name-prefix'] }),
    ...(flags.gateway === undefined ? {} : { gateway: flags.gateway }),
    ...(flags['gateway-image'] === undefined ? {} : { gatewayImage: flags['gateway-image'] }),
    ...(flags['gateway-replicas'] === undefined ? {} : { gatewayReplicas: flags['gateway-replicas'] }),
    ...(flags['gateway-audit-payloads'] === undefined ? {} : { gatewayAuditPayloads: flags['gateway-audit-payloads'] }),
    ...(flags['gateway-public-url'] === undefined ? {} : { gatewayPublicUrl: flags['gateway-public-url'] }),
    ...(flags['with-tls'] === undefined ? {} : { tlsSecretName: flags['with-tls'] }),
    ...(flags['default-ingress-host'] === undefined ? {} : { defaultIngressHost: flags['default-ingress-host'] }),
    defaultIngressClass: flags['ingress-class'],
  };
}
