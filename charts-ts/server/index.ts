// The server constructs: what the operator calls at reconcile time and `synth --servers` offline.
export {
  DEFAULT_INGRESS_CLASS,
  DEFAULT_INGRESS_NAMESPACE,
  DEFAULT_OPERATOR_NAMESPACE,
  DEFAULT_PULL_SECRET_NAME,
  OPERATOR_ENV,
  defaultOperatorSettings,
  formatGatewayService,
  operatorSettingsProblems,
  parseGatewayService,
  type GatewayService,
  type OperatorSettings,
  type ProvisionedRegistry,
} from './settings.js';
export {
  DEFAULT_PROBE_PERIOD_SECONDS,
  defaultIngressPath,
  middlewareName,
  resolveServer,
  serverUrl,
  type PullPolicy,
  type ResolvedEnvVar,
  type ResolvedProbe,
  type ResolvedPullSecret,
  type ResolvedServer,
} from './resolve.js';
export { SERVER_OBJECT_KINDS, renderServer, renderServerWithResolution, type RenderResult, type RenderedObject } from './render.js';
export { pathRewrite, type PathRewrite } from './path-rewrite.js';
export { ingressAnnotations, middlewareReference, TRAEFIK_ENTRYPOINTS, TRAEFIK_MIDDLEWARES } from './annotations.js';
export { HostedMcpServer, type HostedMcpServerProps } from './hosted-server.js';
export { ServerDeployment, CONTAINER_PORT_NAME, type ServerDeploymentProps } from './deployment.js';
export { ServerService, type ServerServiceProps } from './service.js';
export { ServerNetworkPolicy, NAMESPACE_NAME_LABEL, DNS_PORT, type ServerNetworkPolicyProps } from './network-policy.js';
export { resolveNetwork, type ResolvedNetwork, type ResolvedEgressRule, type ResolvedEgressPort } from './network.js';
export { ServerIngress, type ServerIngressProps } from './ingress.js';
export { PathRewriteMiddleware, middlewareSpec, type PathRewriteMiddlewareProps } from './middleware.js';
export { RegistryPullSecret, PULL_SECRET_COMPONENT, type RegistryPullSecretProps } from './pull-secret.js';
export { serverLabels, serverSelectorLabels } from '../lib/labels.js';
export { InvalidImageReferenceError } from '../../src/images/reference.js';
