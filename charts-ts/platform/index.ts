// The platform constructs: what `setup` installs and `synth` writes.
export { PLATFORM_CHARTS, addPlatformCharts, renderPlatform, type PlatformChartName, type PlatformFile } from './charts.js';
export {
  DEFAULT_OPERATOR_IMAGE,
  DEFAULT_REGISTRY_IMAGE,
  DEFAULT_REGISTRY_PASSWORD_SECRET,
  DEFAULT_REGISTRY_STORAGE_SIZE,
  DEFAULT_TRAEFIK_IMAGE,
  NAMESPACES,
  resolvePlatformOptions,
  type ExternalRegistry,
  type PlatformOptions,
  type ResolvedPlatformOptions,
} from './options.js';
export { LEADER_ELECTION_RULES, OPERATOR_RULES, OperatorRbac, operatorRules, toPolicyRules, type OperatorRbacProps, type RbacRule } from './operator-rbac.js';
export { OPERATOR_HEALTH_PORT, OPERATOR_METRICS_PORT, OPERATOR_NAME, Operator, type OperatorProps, type OperatorRegistryConfig } from './operator.js';
export {
  GATEWAY_NAME,
  GATEWAY_RULES,
  GATEWAY_SERVICE_PORT,
  GATEWAY_SESSION_KEYS_SECRET,
  Gateway,
  GatewaySessionKeys,
  gatewayService,
  type GatewayProps,
  type GatewaySessionKeysProps,
} from './gateway.js';
export { InClusterRegistry, REGISTRY_NAME, REGISTRY_PORT, type InClusterRegistryProps } from './registry.js';
export { STREAM_READ_TIMEOUT, TRAEFIK_RULES, Traefik, traefikArgs, type TraefikProps } from './traefik.js';
export { TRAEFIK_KINDS, traefikCrd, traefikCrds } from './traefik-crds.js';
export { McpServerCrd, TraefikCrds } from './crds.js';
export { PlatformNamespaces, podSecurityLabels, type PlatformNamespacesProps, type PodSecurityLevel } from './namespaces.js';
