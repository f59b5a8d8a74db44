import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1PolicyRule } from '@kubernetes/client-node';
import { kubeConfig } from './kube-config.js';

export interface AsServiceAccountOptions {
  /** Create the ServiceAccount first if it does not exist (default false). */
  create?: boolean;
  /** Token lifetime (default 1 h; the API server's minimum is 10 min). */
  expirationSeconds?: number;
  /** Admin config used to create the SA and request the token. */
  admin?: KubeConfig;
  /**
   * Grant these rules in the SA's namespace: a Role and a RoleBinding, both named after the SA
   * (default none). Bindings take effect a moment after they are written; wait for the first
   * request that needs them.
   */
  rules?: V1PolicyRule[];
}

/** Creates an object, or leaves the existing one (409) as it is. */
async function createOrKeep(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
  }
}

/**
 * A KubeConfig that authenticates as system:serviceaccount:<namespace>:<name> with a
 * TokenRequest-issued (bound, expiring) token, exactly as a pod's projected token would, so
 * RBAC decisions are the real ones for that identity.
 */
export async function asServiceAccount(
  namespace: string,
  name: string,
  options: AsServiceAccountOptions = {},
): Promise<KubeConfig> {
  const admin = options.admin ?? kubeConfig();
  const core = admin.makeApiClient(CoreV1Api);
  if (options.create === true) {
    await createOrKeep(() => core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } }));
  }
  if (options.rules !== undefined) {
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await createOrKeep(() => rbac.createNamespacedRole({ namespace, body: { metadata: { name }, rules: options.rules } }));
    await createOrKeep(() =>
      rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
          subjects: [{ kind: 'ServiceAccount', name, namespace }],
        },
      }),
    );
  }
  const tokenRequest = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: options.expirationSeconds ?? 3600 } },
  });
  const token = tokenRequest.status?.token;
  if (token === undefined || token === '') throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);

  const cluster = admin.getCurrentCluster();
  if (cluster === null) throw new Error('admin kubeconfig has no current cluster');
  const kc = new KubeConfig();
  const user = `system:serviceaccount:${namespace}:${name}`;
  kc.loadFromOptions({
    clusters: [{ ...cluster }],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: cluster.name, user }],
    currentContext: user,
  });
  return kc;
}
