/**
 * The platform's namespaces, each enforcing the Pod Security "restricted" profile: every
 * workload we ship (operator, registry, Traefik, servers) is built to pass it, so nothing needs
 * a weaker level. audit and warn mirror enforce so kubectl shows violations up front.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { MANAGED_BY, PART_OF } from '../lib/labels.js';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': level,
    'pod-security.kubernetes.io/warn': level,
  };
}

export interface PlatformNamespacesProps {
  /** Namespaces to create. No default. */
  readonly names: readonly string[];
  /** Pod Security level enforced in each. Default `restricted`. */
  readonly podSecurity?: PodSecurityLevel;
}

export class PlatformNamespaces extends Construct {
  constructor(scope: Construct, id: string, props: PlatformNamespacesProps) {
    super(scope, id);
    for (const name of props.names) {
      new k8s.KubeNamespace(this, name, {
        metadata: {
          name,
          labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': MANAGED_BY, ...podSecurityLabels(props.podSecurity ?? 'restricted') },
        },
      });
    }
  }
}
