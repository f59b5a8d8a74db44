/**
 * A server's NetworkPolicy. Ingress: the container port only, from pods of the namespaces in
 * `network.ingressFrom` (the gateway's or the ingress controller's, and the operator's, whose
 * verifier dials each pod). Egress is restricted only when the spec lists destinations; DNS
 * (port 53, UDP and TCP, to any address) is then always allowed, since the cluster DNS service
 * lives outside the server's namespace and every name lookup would fail without it.
 * Enforced only by a CNI that implements NetworkPolicy (see the README).
 */
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s-server.js';
import type { ResolvedEgressRule, ResolvedNetwork } from './network.js';
import type { ResolvedServer } from './resolve.js';

/** The label every namespace carries (the API server sets it), so namespaces are selected by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const DNS_PORT = 53;

export interface ServerNetworkPolicyProps {
  /** The server with every default applied (resolveServer()), its `network` set. Nothing is defaulted here. */
  readonly server: ResolvedServer & { readonly network: ResolvedNetwork };
}

const fromNamespace = (name: string): k8s.NetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } });

const tcp = (port: number): k8s.NetworkPolicyPort => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' });

function egressRule(rule: ResolvedEgressRule): k8s.NetworkPolicyEgressRule {
  const peer: k8s.NetworkPolicyPeer = rule.cidr !== undefined ? { ipBlock: { cidr: rule.cidr } } : fromNamespace(rule.namespace!);
  return {
    to: [peer],
    ...(rule.ports.length === 0 ? {} : { ports: rule.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })) }),
  };
}

export class ServerNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: ServerNetworkPolicyProps) {
    super(scope, id);
    const s = props.server;
    const { ingressFrom, egress } = s.network;
    const dns: k8s.NetworkPolicyEgressRule = {
      ports: [
        { port: k8s.IntOrString.fromNumber(DNS_PORT), protocol: 'UDP' },
        { port: k8s.IntOrString.fromNumber(DNS_PORT), protocol: 'TCP' },
      ],
    };
    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: s.name, namespace: s.namespace, labels: s.labels },
      spec: {
        podSelector: { matchLabels: s.selector },
        policyTypes: egress === undefined ? ['Ingress'] : ['Ingress', 'Egress'],
        ingress: [{ from: ingressFrom.map(fromNamespace), ports: [tcp(s.port)] }],
        ...(egress === undefined ? {} : { egress: [dns, ...egress.map(egressRule)] }),
      },
    });
  }
}
