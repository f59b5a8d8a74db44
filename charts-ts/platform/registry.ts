/**
 * The in-cluster image registry (`registry:2`): a PVC, a single-replica Deployment, a ClusterIP
 * Service on 5000 and a NetworkPolicy.
 *
 * Do better than the original: no NodePort (an unauthenticated registry must not be reachable
 * from outside the cluster). The NetworkPolicy admits only
 *  - pods in the `registry` namespace (the in-cluster push helper of `registry push --mode in-cluster`),
 *  - pods in the operator namespace (`mcp-runtime`),
 *  - `allowedCidrs` (typically the node network: kubelets pull from the node, not from a pod).
 * Kubernetes always allows traffic from the node a pod runs on, so pulls on the registry's own
 * node work without a CIDR; pulls from other nodes need the node CIDR in `allowedCidrs`.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { defaultPullPolicy, parseImageReference } from '../../src/images/reference.js';
import { componentLabels, componentSelectorLabels } from '../lib/labels.js';
import { NON_ROOT_UID, restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpMount, tmpVolume } from '../lib/security.js';

export const REGISTRY_NAME = 'registry';
export const REGISTRY_PORT = 5000;

export interface InClusterRegistryProps {
  /** Namespace. No default (the platform uses `registry`). */
  readonly namespace: string;
  /** Image. Default `registry:2`. */
  readonly image?: string;
  /** Volume size. Default `10Gi`. */
  readonly storageSize?: string;
  /** StorageClass. Default: the cluster's default class. */
  readonly storageClass?: string;
  /** Namespaces whose pods may connect. Default: `namespace` only. */
  readonly allowedNamespaces?: readonly string[];
  /** CIDRs that may connect (e.g. the node network). Default: none. */
  readonly allowedCidrs?: readonly string[];
  /** Fixed ClusterIP of the Service (nodes told the address in advance, e.g. kind's). Default: allocated. */
  readonly clusterIP?: string;
}

export class InClusterRegistry extends Construct {
  constructor(scope: Construct, id: string, props: InClusterRegistryProps) {
    super(scope, id);
    const { namespace } = props;
    const labels = componentLabels(REGISTRY_NAME);
    const selector = componentSelectorLabels(REGISTRY_NAME);
    const image = props.image ?? 'registry:2';
    const claim = `${REGISTRY_NAME}-data`;

    new k8s.KubePersistentVolumeClaim(this, 'Data', {
      metadata: { name: claim, namespace, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(props.storageClass === undefined ? {} : { storageClassName: props.storageClass }),
        resources: { requests: { storage: k8s.Quantity.fromString(props.storageSize ?? '10Gi') } },
      },
    });

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: REGISTRY_NAME, namespace, labels },
      spec: {
        replicas: 1,
        // A ReadWriteOnce volume cannot be attached to the old and the new pod at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // fsGroup makes the volume writable for the non-root user registry:2 runs as here.
            securityContext: restrictedPodSecurityContext({ fsGroup: NON_ROOT_UID }),
            containers: [
              {
                name: 'registry',
                image,
                imagePullPolicy: defaultPullPolicy(parseImageReference(image)),
                env: [
                  { name: 'REGISTRY_HTTP_ADDR', value: `:${REGISTRY_PORT}` },
                  { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/var/lib/registry' },
                  { name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true' },
                ],
                ports: [{ name: 'registry', containerPort: REGISTRY_PORT, protocol: 'TCP' }],
                livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('registry') }, periodSeconds: 20 },
                readinessProbe: { httpGet: { path: '/v2/', port: k8s.IntOrString.fromString('registry') }, periodSeconds: 10 },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                  limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('512Mi') },
                },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [{ name: 'data', mountPath: '/var/lib/registry' }, tmpMount()],
              },
            ],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }, tmpVolume()],
          },
        },
      },
    });

    new k8s.KubeService(this, 'Service', {
      metadata: { name: REGISTRY_NAME, namespace, labels },
      spec: {
        type: 'ClusterIP',
        ...(props.clusterIP === undefined ? {} : { clusterIp: props.clusterIP }),
        selector,
        ports: [{ name: 'registry', port: REGISTRY_PORT, targetPort: k8s.IntOrString.fromString('registry'), protocol: 'TCP' }],
      },
    });

    const namespaces = props.allowedNamespaces ?? [namespace];
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: REGISTRY_NAME, namespace, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces] }] } },
              ...(props.allowedCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
            ],
            ports: [{ port: k8s.IntOrString.fromNumber(REGISTRY_PORT), protocol: 'TCP' }],
          },
        ],
      },
    });
  }
}
