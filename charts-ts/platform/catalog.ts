/**
 * The catalog: `mcp-runtime catalog serve` (the MCP Registry API, `GET /v0.1/servers`, over
 * every MCPServer with its live state) as a Deployment of the platform image, a ClusterIP
 * Service and an Ingress for `/v0.1` (the API) and `/` (the catalog page) on the platform host,
 * next to the servers' own paths: those (`/<name>/mcp`) are longer prefixes, and the longest
 * matching prefix wins, so `/` only catches what no server claims.
 *
 * Read-only by construction: its ClusterRole grants get/list/watch on mcpservers and nothing
 * else; it needs no leader election, so its replicas all serve. Restricted Pod Security like
 * every platform pod.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { GROUP, PLURAL } from '../../src/api/v1alpha1/index.js';
import { defaultPullPolicy, parseImageReference } from '../../src/images/reference.js';
import { componentLabels, componentSelectorLabels } from '../lib/labels.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpMount, tmpVolume } from '../lib/security.js';

export const CATALOG_NAME = 'mcp-runtime-catalog';
export const CATALOG_PORT = 8080;
/** The Registry API's path prefix (spec version 2025-12-01). */
export const CATALOG_API_PATH = '/v0.1';
export { DEFAULT_NAME_PREFIX as DEFAULT_CATALOG_NAME_PREFIX } from '../../src/catalog/names.js';
import { DEFAULT_NAME_PREFIX } from '../../src/catalog/names.js';
/** The catalog page (HTML) at the platform host's root. */
export const CATALOG_PAGE_PATH = '/';

export interface CatalogProps {
  /** Namespace of the catalog. No default (the platform uses the operator's). */
  readonly namespace: string;
  /** Image with the `mcp-runtime` CLI (the platform image). No default. */
  readonly image: string;
  /** Reverse-DNS prefix of registry names: `<prefix>.<namespace>/<server>`. Default `local.mcp-runtime`. */
  readonly namePrefix?: string;
  /** Host of the Ingress rule. Default: any host. */
  readonly host?: string;
  /** IngressClass. Default `traefik`. */
  readonly ingressClass?: string;
  /** Pods. Default 2 (no leader: every replica serves). */
  readonly replicas?: number;
  /** Container resources. Default requests 50m / 96Mi, limits 250m / 256Mi. */
  readonly resources?: k8s.ResourceRequirements;
}

/** The catalog's permissions: reading MCPServers, nothing more. */
export const CATALOG_RULES = [{ apiGroups: [GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch'] }] as const;

export class Catalog extends Construct {
  constructor(scope: Construct, id: string, props: CatalogProps) {
    super(scope, id);
    const { namespace } = props;
    const labels = componentLabels(CATALOG_NAME);
    const selector = componentSelectorLabels(CATALOG_NAME);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: CATALOG_NAME, namespace, labels }, automountServiceAccountToken: true });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: CATALOG_NAME, labels },
      rules: CATALOG_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: CATALOG_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CATALOG_NAME },
      subjects: [{ kind: 'ServiceAccount', name: CATALOG_NAME, namespace }],
    });

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: CATALOG_NAME, namespace, labels },
      spec: {
        replicas: props.replicas ?? 2,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: CATALOG_NAME,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: 'catalog',
                image: props.image,
                imagePullPolicy: defaultPullPolicy(parseImageReference(props.image)),
                command: ['mcp-runtime', 'catalog', 'serve', '--listen', `:${CATALOG_PORT}`, '--name-prefix', props.namePrefix ?? DEFAULT_NAME_PREFIX],
                ports: [{ name: 'http', containerPort: CATALOG_PORT, protocol: 'TCP' }],
                livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') }, periodSeconds: 20, initialDelaySeconds: 5 },
                readinessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, initialDelaySeconds: 2 },
                resources: props.resources ?? {
                  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('96Mi') },
                  limits: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('256Mi') },
                },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [tmpMount()],
              },
            ],
            volumes: [tmpVolume()],
          },
        },
      },
    });

    new k8s.KubeService(this, 'Service', {
      metadata: { name: CATALOG_NAME, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    new k8s.KubeIngress(this, 'Ingress', {
      metadata: { name: CATALOG_NAME, namespace, labels },
      spec: {
        ingressClassName: props.ingressClass ?? 'traefik',
        rules: [
          {
            ...(props.host === undefined ? {} : { host: props.host }),
            http: {
              paths: [CATALOG_API_PATH, CATALOG_PAGE_PATH].map((path) => ({
                path,
                pathType: 'Prefix',
                backend: { service: { name: CATALOG_NAME, port: { name: 'http' } } },
              })),
            },
          },
        ],
      },
    });
  }
}
