/**
 * Traefik as the default ingress controller: ServiceAccount, ClusterRole/Binding, IngressClass
 * `traefik`, Deployment and Service (plus the CRDs, in the CRD chart).
 *
 * Runs under the restricted profile: unprivileged ports (web 8000, traefik 8080) behind a
 * Service on 80, so it needs no NET_BIND_SERVICE and no root.
 *
 * MCP streams: Traefik does not buffer or compress unless a middleware asks (we add none), but
 * since v3 its entry points cut a request after `readTimeout` (60 s) — that includes a
 * long-running SSE response. The web entry point gets STREAM_READ_TIMEOUT instead.
 *
 * Variants: `prod` enables neither API nor dashboard (only /ping for probes); `dev` adds the
 * insecure API and dashboard on :8080, reachable through Service `traefik-dashboard`
 * (ClusterIP: `kubectl -n traefik port-forward svc/traefik-dashboard 8080`).
 */
import { TraefikTlsStore } from '../lib/traefik-tls-store.js';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { defaultPullPolicy, parseImageReference } from '../../src/images/reference.js';
import { componentLabels, componentSelectorLabels } from '../lib/labels.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpMount, tmpVolume } from '../lib/security.js';
import { toPolicyRules, type RbacRule } from './operator-rbac.js';
import { TRAEFIK_GROUP, TRAEFIK_KINDS } from './traefik-crds.js';

export const TRAEFIK_NAME = 'traefik';
export const TRAEFIK_CONTROLLER = 'traefik.io/ingress-controller';
export const TRAEFIK_WEB_PORT = 8000;
export const TRAEFIK_ADMIN_PORT = 8080;
/** The HTTPS entry point's container port (Service port 443), present with `tlsSecretName`. */
export const TRAEFIK_WEBSECURE_PORT = 8443;
/** How long one request (e.g. an SSE stream) may last on the web entry point. */
export const STREAM_READ_TIMEOUT = '3600s';

/** What Traefik v3's ingress and CRD providers read (v3.1+: EndpointSlices and Nodes). */
export const TRAEFIK_RULES: readonly RbacRule[] = [
  // configmaps: the v3.6 CRD provider watches them (seen with a real Traefik; without it, no Middleware loads).
  { apiGroups: [''], resources: ['services', 'secrets', 'nodes', 'configmaps'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
  { apiGroups: [TRAEFIK_GROUP], resources: TRAEFIK_KINDS.map(([, plural]) => plural), verbs: ['get', 'list', 'watch'] },
];

export interface TraefikProps {
  /** Namespace. No default (the platform uses `traefik`). */
  readonly namespace: string;
  /** `prod` (API and dashboard off) or `dev` (insecure dashboard). Default `prod`. */
  readonly variant?: 'prod' | 'dev';
  /** Image. Default `traefik:v3.6`. */
  readonly image?: string;
  /** Service type. Default `LoadBalancer`. */
  readonly serviceType?: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  /**
   * Let IngressRoutes name Services and Middlewares in other namespaces: the gateway's routes live
   * in each server's namespace and send to the gateway's Service. Default false.
   */
  readonly allowCrossNamespace?: boolean;
  /** Make `traefik` the cluster's default IngressClass. Default false. */
  readonly defaultClass?: boolean;
  /**
   * HTTPS: a `websecure` entry point whose default certificate is this kubernetes.io/tls Secret
   * (in `namespace`), and plain HTTP redirected to it. Default: none (plain HTTP only, a sandbox).
   */
  readonly tlsSecretName?: string;
}

/** Traefik's static configuration as CLI arguments, in a fixed order. */
export function traefikArgs(namespace: string, variant: 'prod' | 'dev', allowCrossNamespace = false, tls = false): string[] {
  const args = [
    `--entryPoints.web.address=:${TRAEFIK_WEB_PORT}`,
    `--entryPoints.web.transport.respondingTimeouts.readTimeout=${STREAM_READ_TIMEOUT}`,
    ...(tls
      ? [
          `--entryPoints.websecure.address=:${TRAEFIK_WEBSECURE_PORT}`,
          `--entryPoints.websecure.transport.respondingTimeouts.readTimeout=${STREAM_READ_TIMEOUT}`,
          '--entryPoints.websecure.http.tls=true',
          // Plain HTTP only answers with a redirect: credentials never travel unencrypted.
          '--entryPoints.web.http.redirections.entryPoint.to=websecure',
          '--entryPoints.web.http.redirections.entryPoint.scheme=https',
        ]
      : []),
    `--entryPoints.traefik.address=:${TRAEFIK_ADMIN_PORT}`,
    '--ping=true',
    '--providers.kubernetesingress=true',
    `--providers.kubernetesingress.ingressclass=${TRAEFIK_NAME}`,
    // Fills each Ingress's load-balancer status, which the operator reads for readiness.
    `--providers.kubernetesingress.ingressendpoint.publishedservice=${namespace}/${TRAEFIK_NAME}`,
    '--providers.kubernetescrd=true',
    ...(allowCrossNamespace ? ['--providers.kubernetescrd.allowCrossNamespace=true'] : []),
    '--global.checknewversion=false',
    '--global.sendanonymoususage=false',
  ];
  if (variant === 'dev') args.push('--api.insecure=true', '--api.dashboard=true', '--log.level=DEBUG');
  else args.push('--log.level=INFO');
  return args;
}

export class Traefik extends Construct {
  constructor(scope: Construct, id: string, props: TraefikProps) {
    super(scope, id);
    const { namespace } = props;
    const variant = props.variant ?? 'prod';
    const image = props.image ?? 'traefik:v3.6';
    const labels = componentLabels(TRAEFIK_NAME);
    const selector = componentSelectorLabels(TRAEFIK_NAME);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: TRAEFIK_NAME, namespace, labels } });
    new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: TRAEFIK_NAME, labels }, rules: toPolicyRules(TRAEFIK_RULES) });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: TRAEFIK_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: TRAEFIK_NAME },
      subjects: [{ kind: 'ServiceAccount', name: TRAEFIK_NAME, namespace }],
    });
    new k8s.KubeIngressClass(this, 'IngressClass', {
      metadata: {
        name: TRAEFIK_NAME,
        labels,
        ...(props.defaultClass === true ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
      },
      spec: { controller: TRAEFIK_CONTROLLER },
    });

    const ports: k8s.ContainerPort[] = [
      { name: 'web', containerPort: TRAEFIK_WEB_PORT, protocol: 'TCP' },
      { name: 'traefik', containerPort: TRAEFIK_ADMIN_PORT, protocol: 'TCP' },
      ...(props.tlsSecretName === undefined ? [] : [{ name: 'websecure', containerPort: TRAEFIK_WEBSECURE_PORT, protocol: 'TCP' }]),
    ];
    const ping = { httpGet: { path: '/ping', port: k8s.IntOrString.fromString('traefik') }, periodSeconds: 10 };
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: TRAEFIK_NAME, namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: TRAEFIK_NAME,
            enableServiceLinks: false,
            // Lets in-flight streams finish (or clients reconnect) before the pod goes away.
            terminationGracePeriodSeconds: 60,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: TRAEFIK_NAME,
                image,
                imagePullPolicy: defaultPullPolicy(parseImageReference(image)),
                args: traefikArgs(namespace, variant, props.allowCrossNamespace ?? false, props.tlsSecretName !== undefined),
                ports,
                livenessProbe: ping,
                readinessProbe: ping,
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('512Mi') },
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
      metadata: { name: TRAEFIK_NAME, namespace, labels },
      spec: {
        type: props.serviceType ?? 'LoadBalancer',
        selector,
        ports: [
          { name: 'web', port: 80, targetPort: k8s.IntOrString.fromString('web'), protocol: 'TCP' },
          ...(props.tlsSecretName === undefined ? [] : [{ name: 'websecure', port: 443, targetPort: k8s.IntOrString.fromString('websecure'), protocol: 'TCP' }]),
        ],
      },
    });
    if (props.tlsSecretName !== undefined) {
      new TraefikTlsStore(this, 'DefaultCertificate', { metadata: { name: 'default', namespace, labels }, spec: { defaultCertificate: { secretName: props.tlsSecretName } } });
    }

    if (variant === 'dev') {
      new k8s.KubeService(this, 'DashboardService', {
        metadata: { name: `${TRAEFIK_NAME}-dashboard`, namespace, labels },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [{ name: 'traefik', port: TRAEFIK_ADMIN_PORT, targetPort: k8s.IntOrString.fromString('traefik'), protocol: 'TCP' }],
        },
      });
    }
  }
}
