/**
 * What the runtime needs to know about a kind to list, watch and write it without discovery:
 * its apiVersion, kind, plural resource name and scope. Custom resources describe themselves
 * the same way (e.g. from the CRD's group, version, kind and plural constants).
 */
export interface ResourceType {
  /** `v1` for the core group, otherwise `group/version`. */
  apiVersion: string;
  kind: string;
  /** Lower-case plural resource name, as in the URL (`deployments`). */
  plural: string;
  namespaced: boolean;
}

/** The API group of an apiVersion ('' for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `deployments.apps`, `configmaps`: how RBAC and logs name a resource. */
export function resourceName(type: ResourceType): string {
  const group = groupOf(type.apiVersion);
  return group === '' ? type.plural : `${type.plural}.${group}`;
}

export interface PathOptions {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * URL path of a collection or object. Without a namespace, a namespaced type yields the
 * cluster-wide collection (`/apis/apps/v1/deployments`), used for all-namespace list/watch.
 */
export function resourcePath(type: ResourceType, options: PathOptions = {}): string {
  const prefix = type.apiVersion.includes('/') ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  const ns =
    type.namespaced && options.namespace !== undefined && options.namespace !== ''
      ? `/namespaces/${encodeURIComponent(options.namespace)}`
      : '';
  let path = `${prefix}${ns}/${type.plural}`;
  if (options.name !== undefined) path += `/${encodeURIComponent(options.name)}`;
  if (options.subresource !== undefined) path += `/${options.subresource}`;
  return path;
}

/** Built-in kinds the runtime and the MCPServer controller use. */
export const ConfigMaps: ResourceType = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
export const Secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
export const Services: ResourceType = { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true };
export const Namespaces: ResourceType = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };
export const Pods: ResourceType = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
export const Deployments: ResourceType = { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true };
export const Ingresses: ResourceType = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses', namespaced: true };
export const NetworkPolicies: ResourceType = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true };
export const Leases: ResourceType = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', namespaced: true };
export const EndpointSlices: ResourceType = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true };
export const Events: ResourceType = { apiVersion: 'events.k8s.io/v1', kind: 'Event', plural: 'events', namespaced: true };
/** Traefik's strip-prefix Middleware CRD (traefik.io/v1alpha1). */
export const TraefikMiddlewares: ResourceType = {
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'Middleware',
  plural: 'middlewares',
  namespaced: true,
};

export const TraefikIngressRoutes: ResourceType = {
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'IngressRoute',
  plural: 'ingressroutes',
  namespaced: true,
};

/** cert-manager's Certificate (cert-manager.io/v1): only served where cert-manager is installed. */
export const CertManagerCertificates: ResourceType = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  plural: 'certificates',
  namespaced: true,
};

export const BUILTIN_TYPES: readonly ResourceType[] = [
  ConfigMaps,
  Secrets,
  Services,
  Namespaces,
  Pods,
  Deployments,
  Ingresses,
  NetworkPolicies,
  Leases,
  Events,
];
