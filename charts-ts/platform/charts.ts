/**
 * The platform as cdk8s charts, one per concern; each becomes one file of `synth` output. No
 * chart has a namespace (cdk8s would stamp it on cluster-scoped kinds too): namespaced objects
 * name their own.
 */
import { App, Chart } from 'cdk8s';
import type { RenderedObject } from '../server/render.js';
import { McpServerCrd, TraefikCrds } from './crds.js';
import { PlatformNamespaces } from './namespaces.js';
import { Operator } from './operator.js';
import { Catalog } from './catalog.js';
import { Gateway, gatewayService } from './gateway.js';
import { NAMESPACES, resolvePlatformOptions, type PlatformOptions } from './options.js';
import { InClusterRegistry } from './registry.js';
import { Traefik } from './traefik.js';

/** Chart names, in apply order; also the file names (`<name>.yaml`) of `synth`. */
export const PLATFORM_CHARTS = ['namespaces', 'crds', 'operator', 'registry', 'traefik', 'gateway'] as const;
export type PlatformChartName = (typeof PLATFORM_CHARTS)[number];

const chart = (app: App, name: PlatformChartName) => new Chart(app, name, { disableResourceNameHashes: true });

/** Adds the platform's charts to `app` (in apply order) and returns them. */
export function addPlatformCharts(app: App, options: PlatformOptions = {}): Chart[] {
  const o = resolvePlatformOptions(options);
  const internalRegistry = o.registry === 'internal';
  const traefik = o.ingress === 'traefik';
  const charts: Chart[] = [];

  const namespaces = chart(app, 'namespaces');
  new PlatformNamespaces(namespaces, 'Namespaces', {
    names: [
      NAMESPACES.operator,
      ...(internalRegistry ? [NAMESPACES.registry] : []),
      ...(traefik ? [NAMESPACES.traefik] : []),
      ...(o.gateway ? [NAMESPACES.gateway] : []),
      NAMESPACES.servers,
    ],
  });
  charts.push(namespaces);

  const crds = chart(app, 'crds');
  new McpServerCrd(crds, 'McpServer');
  if (traefik) new TraefikCrds(crds, 'Traefik');
  charts.push(crds);

  const operator = chart(app, 'operator');
  new Operator(operator, 'Operator', {
    namespace: NAMESPACES.operator,
    image: o.operatorImage,
    defaultIngressClass: o.defaultIngressClass,
    ...(o.defaultIngressHost === undefined ? {} : { defaultIngressHost: o.defaultIngressHost }),
    ...(o.ingressReadiness === undefined ? {} : { ingressReadiness: o.ingressReadiness }),
    ...(o.registry === 'internal' ? {} : { registry: o.registry }),
    ...(o.gateway ? { gateway: gatewayService(NAMESPACES.gateway) } : {}),
    // Server NetworkPolicies let the ingress controller in; with `--ingress none` the user's
    // controller lives wherever they installed it (the operator's MCP_INGRESS_NAMESPACE).
    ...(traefik ? { ingressNamespace: NAMESPACES.traefik } : {}),
    ingressTls: o.tlsSecretName !== undefined,
  });
  if (o.catalog) {
    new Catalog(operator, 'Catalog', {
      namespace: NAMESPACES.operator,
      image: o.operatorImage,
      namePrefix: o.catalogNamePrefix,
      ingressClass: o.defaultIngressClass,
      ...(o.defaultIngressHost === undefined ? {} : { host: o.defaultIngressHost }),
    });
  }
  charts.push(operator);

  if (internalRegistry) {
    const registry = chart(app, 'registry');
    new InClusterRegistry(registry, 'Registry', {
      namespace: NAMESPACES.registry,
      image: o.registryImage,
      storageSize: o.registryStorageSize,
      ...(o.registryStorageClass === undefined ? {} : { storageClass: o.registryStorageClass }),
      allowedNamespaces: [NAMESPACES.registry, NAMESPACES.operator],
      allowedCidrs: o.registryAllowedCidrs,
      ...(o.registryClusterIP === undefined ? {} : { clusterIP: o.registryClusterIP }),
    });
    charts.push(registry);
  }

  if (traefik) {
    const ingress = chart(app, 'traefik');
    new Traefik(ingress, 'Traefik', {
      namespace: NAMESPACES.traefik,
      variant: o.ingressVariant,
      image: o.traefikImage,
      serviceType: o.traefikServiceType,
      allowCrossNamespace: o.gateway,
      ...(o.tlsSecretName === undefined ? {} : { tlsSecretName: o.tlsSecretName }),
    });
    charts.push(ingress);
  }

  if (o.gateway) {
    const gateway = chart(app, 'gateway');
    new Gateway(gateway, 'Gateway', {
      namespace: NAMESPACES.gateway,
      image: o.gatewayImage,
      replicas: o.gatewayReplicas,
      auditPayloads: o.gatewayAuditPayloads,
      ...(o.gatewayPublicUrl === undefined ? {} : { publicUrl: o.gatewayPublicUrl }),
    });
    charts.push(gateway);
  }
  return charts;
}

export interface PlatformFile {
  /** Chart name; `synth` writes it to `<name>.yaml`. */
  readonly name: PlatformChartName;
  readonly objects: RenderedObject[];
}

/** The platform as plain objects, per chart, in apply order. Pure and deterministic. */
export function renderPlatform(options: PlatformOptions = {}): PlatformFile[] {
  const app = new App();
  return addPlatformCharts(app, options).map((c) => ({ name: c.node.id as PlatformChartName, objects: c.toJson() as RenderedObject[] }));
}
