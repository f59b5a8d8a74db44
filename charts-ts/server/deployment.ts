/**
 * A server's Deployment. L1 `KubeDeployment` on purpose: cdk8s-plus's Deployment adds a
 * `cdk8s.io/metadata.addr` label to the (immutable) selector and its own defaults (2 replicas,
 * 1 CPU requests, no seccomp profile); here every field is ours.
 */
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s-server.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpMount, tmpVolume } from '../lib/security.js';
import type { ResolvedProbe, ResolvedServer } from './resolve.js';

export const CONTAINER_PORT_NAME = 'http';
/** How long a terminating pod keeps serving before SIGTERM (see ServerKubeDeployment). */
export const PRE_STOP_DELAY_SECONDS = 5;

/**
 * A terminating pod keeps serving for PRE_STOP_DELAY_SECONDS before it gets SIGTERM: its endpoint
 * is removed at once, but the ingress drops it only on its next configuration refresh (Traefik
 * throttles those to ~2 s); without the delay a rolling update under load lost ~6% of requests
 * to 502s from pods that had already stopped (measured on a real node). The `sleep` action
 * (Kubernetes 1.30+) needs no shell or sleep binary in the image. The generated 1.28 serializer
 * does not know it and drops it, even from a JSON patch, so it is added after serialization.
 */
class ServerKubeDeployment extends k8s.KubeDeployment {
  override toJson(): ReturnType<k8s.KubeDeployment['toJson']> {
    const json = super.toJson() as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    for (const container of json.spec.template.spec.containers) {
      container.lifecycle = { preStop: { sleep: { seconds: PRE_STOP_DELAY_SECONDS } } };
    }
    return json;
  }
}

export interface ServerDeploymentProps {
  /** The server with every default applied (resolveServer()); nothing is defaulted here. */
  readonly server: ResolvedServer;
}

export class ServerDeployment extends Construct {
  constructor(scope: Construct, id: string, props: ServerDeploymentProps) {
    super(scope, id);
    const s = props.server;
    const probe = probeFor(s.probe);
    const startup = probe === undefined ? undefined : startupProbeFor(probe);
    new ServerKubeDeployment(this, 'Resource', {
      metadata: { name: s.name, namespace: s.namespace, labels: s.labels },
      spec: {
        replicas: s.replicas,
        // Rolling updates never drop below the desired count: a new pod must be Ready before an
        // old one goes, so a single-replica server keeps serving through an update.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        selector: { matchLabels: s.selector },
        template: {
          metadata: { labels: s.labels },
          spec: {
            // MCP servers do not talk to the Kubernetes API; a mounted token is only a liability.
            automountServiceAccountToken: false,
            // Service env vars for every Service in the namespace are noise, and slow pod start.
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(),
            ...(s.imagePullSecrets.length === 0 ? {} : { imagePullSecrets: s.imagePullSecrets.map((name) => ({ name })) }),
            containers: [
              {
                name: s.name,
                image: s.image,
                imagePullPolicy: s.pullPolicy,
                ports: [{ name: CONTAINER_PORT_NAME, containerPort: s.port, protocol: 'TCP' }],
                ...(s.env.length === 0 ? {} : { env: s.env.map(envVar) }),
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(s.resources.requests.cpu), memory: k8s.Quantity.fromString(s.resources.requests.memory) },
                  limits: { cpu: k8s.Quantity.fromString(s.resources.limits.cpu), memory: k8s.Quantity.fromString(s.resources.limits.memory) },
                },
                ...(probe === undefined ? {} : { startupProbe: startup, livenessProbe: probe, readinessProbe: probe }),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [tmpMount()],
              },
            ],
            volumes: [tmpVolume()],
          },
        },
      },
    });
  }
}

function envVar(e: ResolvedServer['env'][number]): k8s.EnvVar {
  return e.secretKeyRef === undefined
    ? { name: e.name, value: e.value ?? '' }
    : { name: e.name, valueFrom: { secretKeyRef: { name: e.secretKeyRef.name, key: e.secretKeyRef.key } } };
}

/**
 * Until a server first answers, the kubelet checks it every second, and liveness and readiness
 * wait. Without it a readiness probe that came before the server listened (a Node server takes
 * about a second) kept the pod out of the route for a whole period (10 s by default); when the
 * startup probe succeeds the kubelet runs the readiness probe at once.
 */
export const STARTUP_PROBE_PERIOD_SECONDS = 1;
/** A minute to first answer, then the container is restarted (as liveness did after 3 periods). */
export const STARTUP_PROBE_FAILURE_THRESHOLD = 60;

function startupProbeFor(probe: k8s.Probe): k8s.Probe {
  return { ...probe, periodSeconds: STARTUP_PROBE_PERIOD_SECONDS, failureThreshold: STARTUP_PROBE_FAILURE_THRESHOLD };
}

/** TCP on the named port by default; never an httpGet on the MCP endpoint (405 / endless stream). */
function probeFor(p: ResolvedProbe): k8s.Probe | undefined {
  const port = k8s.IntOrString.fromString(CONTAINER_PORT_NAME);
  const timing = { periodSeconds: p.periodSeconds, ...(p.initialDelaySeconds === undefined ? {} : { initialDelaySeconds: p.initialDelaySeconds }) };
  switch (p.type) {
    case 'none':
      return undefined;
    case 'http':
      return { httpGet: { path: p.path, port }, ...timing };
    case 'tcp':
      return { tcpSocket: { port }, ...timing };
  }
}
