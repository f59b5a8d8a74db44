/**
 * One MCPServer's objects, as a construct: pull Secret (when provisioned credentials apply),
 * NetworkPolicy (unless spec.network.isolate is false; first, so pods never start unisolated),
 * Deployment, Service, path-rewrite Middleware (Traefik, when the paths differ), and either an
 * Ingress or, through the platform gateway, the gateway's header Middleware, a cert-manager Certificate (spec.tls.issuer) and an IngressRoute —
 * in that order, which is also a safe apply order.
 */
import { Construct } from 'constructs';
import type { MCPServer } from '../../src/api/v1alpha1/index.js';
import { ServerDeployment } from './deployment.js';
import { ServerGatewayRoute } from './gateway-route.js';
import { ServerIngress } from './ingress.js';
import { PathRewriteMiddleware } from './middleware.js';
import { ServerNetworkPolicy } from './network-policy.js';
import { RegistryPullSecret } from './pull-secret.js';
import { resolveServer, type ResolvedServer } from './resolve.js';
import { ServerService } from './service.js';
import type { OperatorSettings } from './settings.js';

export interface HostedMcpServerProps {
  /** The MCPServer object (spec defaults from the CRD may be missing; they are applied here). */
  readonly server: MCPServer;
  /** Operator configuration. Build it with defaultOperatorSettings(env). */
  readonly settings: OperatorSettings;
}

export class HostedMcpServer extends Construct {
  /** The server after every default (what the objects were built from). */
  readonly resolved: ResolvedServer;

  constructor(scope: Construct, id: string, props: HostedMcpServerProps) {
    super(scope, id);
    const s = resolveServer(props.server, props.settings);
    this.resolved = s;
    const registry = props.settings.provisionedRegistry;
    if (s.pullSecret !== undefined && registry?.username !== undefined && registry.password !== undefined) {
      new RegistryPullSecret(this, 'PullSecret', {
        name: s.pullSecret.name,
        namespace: s.namespace,
        registry: s.pullSecret.registry,
        username: registry.username,
        password: registry.password,
      });
    }
    const network = s.network;
    if (network !== undefined) new ServerNetworkPolicy(this, 'NetworkPolicy', { server: { ...s, network } });
    new ServerDeployment(this, 'Deployment', { server: s });
    new ServerService(this, 'Service', { server: s });
    if (s.middlewareName !== undefined) {
      new PathRewriteMiddleware(this, 'PathRewrite', { name: s.middlewareName, namespace: s.namespace, labels: s.labels, rewrite: s.rewrite });
    }
    const route = s.route;
    if (route.kind === 'gateway') new ServerGatewayRoute(this, 'GatewayRoute', { server: { ...s, route } });
    else new ServerIngress(this, 'Ingress', { server: s });
  }
}
