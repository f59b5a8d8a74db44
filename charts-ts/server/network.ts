/**
 * Who may talk to a server's pods, and where they may connect: spec.network with the operator's
 * settings applied. Pure; the NetworkPolicy construct (network-policy.ts) renders exactly this.
 */
import type { MCPServerSpec } from '../../src/api/v1alpha1/index.js';
import type { OperatorSettings } from './settings.js';

export interface ResolvedEgressPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** One allowed destination: exactly one of `cidr` and `namespace`. */
export interface ResolvedEgressRule {
  readonly cidr?: string;
  readonly namespace?: string;
  /** Empty: every port. */
  readonly ports: readonly ResolvedEgressPort[];
}

export interface ResolvedNetwork {
  /**
   * Namespaces whose pods may reach the container port, sorted and without repeats: the gateway's
   * (or the ingress controller's, when the server is not behind the gateway) and the operator's.
   */
  readonly ingressFrom: readonly string[];
  /** Allowed destinations besides DNS; undefined: any destination (no Egress policy type). */
  readonly egress?: readonly ResolvedEgressRule[];
}

/**
 * The server's network isolation, or undefined when spec.network.isolate is false (no policy is
 * rendered; the operator prunes one it rendered before). `gatewayNamespace` is set when the
 * server is routed through the platform gateway.
 */
export function resolveNetwork(
  spec: Pick<MCPServerSpec, 'network'>,
  gatewayNamespace: string | undefined,
  settings: Pick<OperatorSettings, 'ingressNamespace' | 'operatorNamespace'>,
): ResolvedNetwork | undefined {
  const network = spec.network;
  if (network?.isolate === false) return undefined;
  const edge = gatewayNamespace ?? settings.ingressNamespace;
  const ingressFrom = [...new Set([edge, settings.operatorNamespace])].sort();
  if (network?.egress === undefined) return { ingressFrom };
  const egress = network.egress.map((rule) => ({
    ...(rule.cidr === undefined ? {} : { cidr: rule.cidr }),
    ...(rule.namespace === undefined ? {} : { namespace: rule.namespace }),
    ports: (rule.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
  }));
  return { ingressFrom, egress };
}
