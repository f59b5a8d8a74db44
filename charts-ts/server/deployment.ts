/**
 * A server's Deployment. L1 `KubeDeployment` on purpose: cdk8s-plus's Deployment adds a
 * `cdk8s.io/metadata.addr` label to the (immutable) selector and its own defaults (2 replicas,
 * 1 CPU requests, no seccomp profile); here every field is ours.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpMount, tmpVolume } from '../lib/security.js';
import type { ResolvedProbe, ResolvedServer } from './resolve.js';

export const CONTAINER_PORT_NAME = 'http';

export interface ServerDeploymentProps {
  /** The server with every default applied (resolveServer()); nothing is defaulted here. */
  readonly server: ResolvedServer;
}

export class ServerDeployment extends Construct {
  constructor(scope: Construct, id: string, props: ServerDeploymentProps) {
    super(scope, id);
    const s = props.server;
    const probe = probeFor(s.probe);
    new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: s.name, namespace: s.namespace, labels: s.labels },
      spec: {
        replicas: s.replicas,
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
                ...(probe === undefined ? {} : { livenessProbe: probe, readinessProbe: probe }),
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
