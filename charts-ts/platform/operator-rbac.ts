/**
 * The operator's permissions: exactly the verbs its reconcile loop uses, no wildcards.
 * OPERATOR_RULES is the contract with the operator code; change both together.
 *
 * Writes use server-side apply (PATCH; creating through apply is also authorized as `create`),
 * reads go through informers (list + watch; get for single reads), pruning uses delete.
 * There is deliberately no `update` on children and no cluster-wide access to Secrets.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { GROUP, PLURAL } from '../../src/api/v1alpha1/index.js';
import { componentLabels } from '../lib/labels.js';
import { DEFAULT_PULL_SECRET_NAME } from '../server/settings.js';

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

const CHILD_VERBS = ['get', 'list', 'watch', 'create', 'patch', 'delete'] as const;

/**
 * Cluster-wide rules of the operator. The pull-Secret rule is limited by name: the operator may
 * touch only the Secret it generates (see server/pull-secret.ts), in any namespace, and cannot
 * read or list any other Secret. It has no list/watch on Secrets for that reason.
 */
export function operatorRules(pullSecretName: string = DEFAULT_PULL_SECRET_NAME): readonly RbacRule[] {
  return [
    { apiGroups: [GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [GROUP], resources: [`${PLURAL}/status`], verbs: ['get', 'update', 'patch'] },
    // Setting blockOwnerDeletion on a child's ownerReference needs update on the owner's
    // finalizers where the OwnerReferencesPermissionEnforcement admission plugin is on.
    { apiGroups: [GROUP], resources: [`${PLURAL}/finalizers`], verbs: ['update'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: [...CHILD_VERBS] },
    { apiGroups: [''], resources: ['services'], verbs: [...CHILD_VERBS] },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: [...CHILD_VERBS] },
    { apiGroups: ['traefik.io'], resources: ['middlewares', 'ingressroutes'], verbs: [...CHILD_VERBS] },
    // cert-manager's Certificate of a gateway route (spec.tls.issuer): cached by an informer
    // (list, watch), applied (create, patch) and pruned (delete); never read one by one. Harmless
    // where cert-manager is not installed (a rule may name a resource no API server serves).
    { apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: ['list', 'watch', 'create', 'patch', 'delete'] },
    // Read-only: the verifier finds each server's ready pods (and their IPs) to check them over MCP.
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['secrets'], resourceNames: [pullSecretName], verbs: ['get', 'create', 'patch', 'delete'] },
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  ];
}

/** The operator's cluster rules with the default pull Secret name. */
export const OPERATOR_RULES: readonly RbacRule[] = operatorRules();

/** Leader election (a Lease in the operator's namespace): read, take over, renew. */
export const LEADER_ELECTION_RULES: readonly RbacRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
];

export const toPolicyRules = (rules: readonly RbacRule[]): k8s.PolicyRule[] =>
  rules.map((r) => ({
    apiGroups: [...r.apiGroups],
    resources: [...r.resources],
    ...(r.resourceNames === undefined ? {} : { resourceNames: [...r.resourceNames] }),
    verbs: [...r.verbs],
  }));

export interface OperatorRbacProps {
  /** ServiceAccount the rules are bound to. No default. */
  readonly serviceAccountName: string;
  /** Namespace of the ServiceAccount and of the leader-election Lease. No default. */
  readonly namespace: string;
  /** Name of ClusterRole, bindings and Role. Default `mcp-runtime-operator`. */
  readonly name?: string;
  /** Pull Secret the operator may manage. Default `mcp-runtime-registry-creds`. */
  readonly pullSecretName?: string;
}

export class OperatorRbac extends Construct {
  constructor(scope: Construct, id: string, props: OperatorRbacProps) {
    super(scope, id);
    const name = props.name ?? 'mcp-runtime-operator';
    const labels = componentLabels(name);
    const subjects = [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.namespace }];
    new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name, labels }, rules: toPolicyRules(operatorRules(props.pullSecretName)) });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    });
    const electionName = `${name}-leader-election`;
    new k8s.KubeRole(this, 'LeaderElectionRole', {
      metadata: { name: electionName, namespace: props.namespace, labels },
      rules: toPolicyRules(LEADER_ELECTION_RULES),
    });
    new k8s.KubeRoleBinding(this, 'LeaderElectionRoleBinding', {
      metadata: { name: electionName, namespace: props.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: electionName },
      subjects,
    });
  }
}
