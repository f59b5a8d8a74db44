/**
 * The gateway: between Traefik and the servers, it sends each request to a ready pod of its
 * server (endpoints from the API server, not DNS round-robin), pins a session to the pod that
 * issued it by sealing the pod's identity into the session id the client holds (no shared
 * store: any replica opens any id with the key Secret), measures every method and tool, and
 * writes one audit line per tools/call. Servers reach it through their IngressRoute
 * (charts-ts/server/gateway-route.ts).
 *
 * Its own namespace (restricted Pod Security), a ServiceAccount that may only read MCPServers and
 * EndpointSlices, N stateless replicas spread over nodes, a PodDisruptionBudget, and rolling
 * updates that never drop below N ready replicas. The session-key Secret is not rendered here:
 * `setup` creates it with a random key (`GatewaySessionKeys`), so no key is ever in a manifest.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { GROUP, PLURAL } from '../../src/api/v1alpha1/index.js';
import {
  DEFAULT_DRAIN_SECONDS,
  GATEWAY_ADMIN_PORT,
  GATEWAY_ENTRY,
  GATEWAY_ENV,
  GATEWAY_PORT,
  GATEWAY_SESSION_KEYS_MOUNT,
} from '../../src/gateway/config-names.js';
import { defaultPullPolicy, parseImageReference } from '../../src/images/reference.js';
import { componentLabels, componentSelectorLabels } from '../lib/labels.js';
import { NON_ROOT_UID, restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpMount, tmpVolume } from '../lib/security.js';
import type { GatewayService } from '../server/settings.js';

export const GATEWAY_NAME = 'mcp-gateway';
/** The Secret with the session-sealing keys (`current`, `previous`). */
export const GATEWAY_SESSION_KEYS_SECRET = 'mcp-gateway-session-keys';
/** The Service port servers' IngressRoutes send to. */
export const GATEWAY_SERVICE_PORT = 80;

/** What the gateway reads: servers (port, path, opt-outs) and their endpoints. Nothing else. */
export const GATEWAY_RULES = [
  { apiGroups: [GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
] as const;

/** The Service an operator's MCP_GATEWAY_SERVICE names. */
export const gatewayService = (namespace: string): GatewayService => ({ namespace, name: GATEWAY_NAME, port: GATEWAY_SERVICE_PORT });

export interface GatewayProps {
  /** Namespace. No default (the platform uses `mcp-gateway`). */
  readonly namespace: string;
  /** Image with the built gateway at GATEWAY_ENTRY (the platform image). No default. */
  readonly image: string;
  /** Pods. Default 2 (no leader: every replica serves any session). */
  readonly replicas?: number;
  /** Put tools/call arguments and results in the audit log. Default false (they may hold personal data). */
  readonly auditPayloads?: boolean;
  /** The platform's public origin for protected servers' URLs (GATEWAY_PUBLIC_URL). Default: none (the host each request names). */
  readonly publicUrl?: string;
  /** Seconds a stopping pod keeps serving (GATEWAY_DRAIN_SECONDS). Default 5. */
  readonly drainSeconds?: number;
  /** Container resources. Default requests 100m / 96Mi, limits 1 CPU / 256Mi. */
  readonly resources?: k8s.ResourceRequirements;
}

export class Gateway extends Construct {
  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    const { namespace } = props;
    const labels = componentLabels(GATEWAY_NAME);
    const selector = componentSelectorLabels(GATEWAY_NAME);
    const drainSeconds = props.drainSeconds ?? DEFAULT_DRAIN_SECONDS;

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: GATEWAY_NAME, namespace, labels }, automountServiceAccountToken: true });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: GATEWAY_NAME, labels },
      rules: GATEWAY_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: GATEWAY_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: GATEWAY_NAME },
      subjects: [{ kind: 'ServiceAccount', name: GATEWAY_NAME, namespace }],
    });

    const adminPort = k8s.IntOrString.fromString('admin');
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: GATEWAY_NAME, namespace, labels },
      spec: {
        replicas: props.replicas ?? 2,
        selector: { matchLabels: selector },
        // Never fewer ready replicas than asked for while a new version rolls out.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: GATEWAY_NAME,
            enableServiceLinks: false,
            // fsGroup: the key files are group-readable only (0440), by this group.
            securityContext: restrictedPodSecurityContext({ fsGroup: NON_ROOT_UID }),
            // Drain, then let open streams finish.
            terminationGracePeriodSeconds: drainSeconds + 25,
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
            ],
            containers: [
              {
                name: 'gateway',
                image: props.image,
                imagePullPolicy: defaultPullPolicy(parseImageReference(props.image)),
                command: ['node', GATEWAY_ENTRY],
                env: [
                  { name: GATEWAY_ENV.listen, value: `:${GATEWAY_PORT}` },
                  { name: GATEWAY_ENV.adminListen, value: `:${GATEWAY_ADMIN_PORT}` },
                  { name: GATEWAY_ENV.sessionKeysDir, value: GATEWAY_SESSION_KEYS_MOUNT },
                  { name: GATEWAY_ENV.auditPayloads, value: String(props.auditPayloads ?? false) },
                  { name: GATEWAY_ENV.drainSeconds, value: String(drainSeconds) },
                  ...(props.publicUrl === undefined ? [] : [{ name: GATEWAY_ENV.publicUrl, value: props.publicUrl }]),
                  { name: GATEWAY_ENV.podName, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                ports: [
                  { name: 'http', containerPort: GATEWAY_PORT, protocol: 'TCP' },
                  { name: 'admin', containerPort: GATEWAY_ADMIN_PORT, protocol: 'TCP' },
                ],
                livenessProbe: { httpGet: { path: '/healthz', port: adminPort }, periodSeconds: 20, initialDelaySeconds: 5 },
                // Not ready until the server and endpoint caches are synced; not ready again while
                // draining. One slow answer (a GC pause, a busy node) must not take a replica out of
                // the Service: every MCP call goes through the gateway. Draining does not need a
                // quick failure: a terminating pod's endpoint takes no new requests from Traefik
                // (it is fenced) whatever its readiness says.
                readinessProbe: { httpGet: { path: '/readyz', port: adminPort }, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 3 },
                resources: props.resources ?? {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('96Mi') },
                  limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('256Mi') },
                },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [tmpMount(), { name: 'session-keys', mountPath: GATEWAY_SESSION_KEYS_MOUNT, readOnly: true }],
              },
            ],
            volumes: [tmpVolume(), { name: 'session-keys', secret: { secretName: GATEWAY_SESSION_KEYS_SECRET, defaultMode: 0o440 } }],
          },
        },
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: { name: GATEWAY_NAME, namespace, labels },
      spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    new k8s.KubeService(this, 'Service', {
      metadata: { name: GATEWAY_NAME, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [
          { name: 'http', port: GATEWAY_SERVICE_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' },
          { name: 'metrics', port: GATEWAY_ADMIN_PORT, targetPort: adminPort, protocol: 'TCP' },
        ],
      },
    });
  }
}

export interface GatewaySessionKeysProps {
  readonly namespace: string;
  /** Base64 keys (32 bytes each): `current` seals new sessions, `previous` still opens older ones. */
  readonly keys: { readonly current: string; readonly previous?: string };
}

/** The session-key Secret. Rendered only by `setup` (and `gateway rotate-keys`) with keys made at that moment, never by `synth`. */
export class GatewaySessionKeys extends Construct {
  constructor(scope: Construct, id: string, props: GatewaySessionKeysProps) {
    super(scope, id);
    new k8s.KubeSecret(this, 'Resource', {
      metadata: { name: GATEWAY_SESSION_KEYS_SECRET, namespace: props.namespace, labels: componentLabels(GATEWAY_NAME) },
      type: 'Opaque',
      stringData: { current: props.keys.current, ...(props.keys.previous === undefined ? {} : { previous: props.keys.previous }) },
    });
  }
}
