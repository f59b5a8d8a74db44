/**
 * The operator: ServiceAccount, RBAC, a 2-replica Deployment (leader election picks the active
 * one; the other takes over within a lease period), a PodDisruptionBudget that keeps one running
 * through node drains, and a metrics Service.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { defaultPullPolicy, parseImageReference } from '../../src/images/reference.js';
import { componentLabels, componentSelectorLabels } from '../lib/labels.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpMount, tmpVolume } from '../lib/security.js';
import { DEFAULT_INGRESS_CLASS, DEFAULT_PULL_SECRET_NAME, formatGatewayService, OPERATOR_ENTRY, OPERATOR_ENV, OPERATOR_NODE_FLAGS, type GatewayService } from '../server/settings.js';
import { OperatorRbac } from './operator-rbac.js';

export const OPERATOR_NAME = 'mcp-runtime-operator';
export const OPERATOR_METRICS_PORT = 8080;
export const OPERATOR_HEALTH_PORT = 8081;

export interface OperatorRegistryConfig {
  /** PROVISIONED_REGISTRY_URL. No default. */
  readonly url: string;
  /** PROVISIONED_REGISTRY_USERNAME. Default: none. */
  readonly username?: string;
  /** PROVISIONED_REGISTRY_SECRET_NAME, the pull Secret the operator writes. Default `mcp-runtime-registry-creds`. */
  readonly pullSecretName?: string;
  /** Secret (key `password`) the operator reads PROVISIONED_REGISTRY_PASSWORD from. No default. */
  readonly passwordSecret: string;
}

export interface OperatorProps {
  /** Namespace of the operator. No default. */
  readonly namespace: string;
  /** Operator image. No default. */
  readonly image: string;
  /** Number of pods. Default 2. */
  readonly replicas?: number;
  /** MCP_DEFAULT_INGRESS_HOST. Default: unset. */
  readonly defaultIngressHost?: string;
  /** DEFAULT_INGRESS_CLASS. Default `traefik`. */
  readonly defaultIngressClass?: string;
  /** INGRESS_READINESS: when a server counts as routed (strict: the controller published an address). Default: unset (strict). */
  readonly ingressReadiness?: 'strict' | 'permissive';
  /** The provisioned (external) registry. Default: none (servers use the in-cluster registry). */
  readonly registry?: OperatorRegistryConfig;
  /** Container resources. Default requests 100m / 128Mi, limits 500m / 512Mi. */
  readonly resources?: k8s.ResourceRequirements;
  /** MCP_GATEWAY_SERVICE: the gateway servers are routed through. Default: none (routes go to the pods). */
  readonly gateway?: GatewayService;
  /** MCP_INGRESS_NAMESPACE: the ingress controller's namespace, let into servers not behind the gateway. Default: unset (`traefik`). */
  readonly ingressNamespace?: string;
  /** MCP_INGRESS_TLS: server routes go to the HTTPS entry point. Default false. */
  readonly ingressTls?: boolean;
}

export class Operator extends Construct {
  constructor(scope: Construct, id: string, props: OperatorProps) {
    super(scope, id);
    const { namespace } = props;
    const labels = componentLabels(OPERATOR_NAME);
    const selector = componentSelectorLabels(OPERATOR_NAME);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: OPERATOR_NAME, namespace, labels } });
    new OperatorRbac(this, 'Rbac', {
      serviceAccountName: OPERATOR_NAME,
      namespace,
      name: OPERATOR_NAME,
      pullSecretName: props.registry?.pullSecretName ?? DEFAULT_PULL_SECRET_NAME,
    });

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: OPERATOR_NAME, namespace, labels },
      spec: {
        replicas: props.replicas ?? 2,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: OPERATOR_NAME,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(),
            // Spread the replicas over nodes so one node failure does not take both.
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } } },
                ],
              },
            },
            containers: [
              {
                name: 'operator',
                image: props.image,
                imagePullPolicy: defaultPullPolicy(parseImageReference(props.image)),
                command: ['node', ...OPERATOR_NODE_FLAGS, OPERATOR_ENTRY],
                env: operatorEnv(props),
                ports: [
                  { name: 'metrics', containerPort: OPERATOR_METRICS_PORT, protocol: 'TCP' },
                  { name: 'health', containerPort: OPERATOR_HEALTH_PORT, protocol: 'TCP' },
                ],
                livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('health') }, periodSeconds: 20, initialDelaySeconds: 5 },
                readinessProbe: { httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('health') }, periodSeconds: 10, initialDelaySeconds: 3 },
                resources: props.resources ?? {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('512Mi') },
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

    new k8s.KubePodDisruptionBudget(this, 'Pdb', {
      metadata: { name: OPERATOR_NAME, namespace, labels },
      spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    new k8s.KubeService(this, 'MetricsService', {
      metadata: { name: `${OPERATOR_NAME}-metrics`, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'metrics', port: OPERATOR_METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
      },
    });
  }
}

function operatorEnv(props: OperatorProps): k8s.EnvVar[] {
  const env: k8s.EnvVar[] = [
    // Identity and namespace for leader election; the namespace also opens server NetworkPolicies to the verifier.
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: OPERATOR_ENV.operatorNamespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: OPERATOR_ENV.defaultIngressClass, value: props.defaultIngressClass ?? DEFAULT_INGRESS_CLASS },
  ];
  if (props.defaultIngressHost !== undefined) env.push({ name: OPERATOR_ENV.defaultIngressHost, value: props.defaultIngressHost });
  if (props.ingressReadiness !== undefined) env.push({ name: OPERATOR_ENV.ingressReadiness, value: props.ingressReadiness });
  if (props.gateway !== undefined) env.push({ name: OPERATOR_ENV.gatewayService, value: formatGatewayService(props.gateway) });
  if (props.ingressNamespace !== undefined) env.push({ name: OPERATOR_ENV.ingressNamespace, value: props.ingressNamespace });
  if (props.ingressTls === true) env.push({ name: OPERATOR_ENV.ingressTls, value: 'true' });
  const registry = props.registry;
  if (registry !== undefined) {
    env.push({ name: OPERATOR_ENV.registryUrl, value: registry.url });
    if (registry.username !== undefined) env.push({ name: OPERATOR_ENV.registryUsername, value: registry.username });
    env.push({ name: OPERATOR_ENV.registrySecretName, value: registry.pullSecretName ?? DEFAULT_PULL_SECRET_NAME });
    // Never inline: read from a Secret that `registry provision` creates. Optional, so the
    // operator still starts (without pull credentials) before that Secret exists.
    env.push({
      name: OPERATOR_ENV.registryPassword,
      valueFrom: { secretKeyRef: { name: registry.passwordSecret, key: 'password', optional: true } },
    });
  }
  return env;
}
