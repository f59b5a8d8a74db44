/**
 * Runs the operator as a test would in production: under its own ServiceAccount bound to the
 * ClusterRole rules the platform chart ships (OPERATOR_RULES), never as admin.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { LEADER_ELECTION_RULES, OPERATOR_RULES, toPolicyRules } from '../../../charts-ts/platform/index.js';
import { API_VERSION } from '../../../src/api/v1alpha1/index.js';
import { createOperator, loadOperatorConfig, type OperatorFlags } from '../../../src/operator/index.js';
import { createLogger, KubeClient, type Manager } from '../../../src/runtime/index.js';
import { asServiceAccount, installCrds, kubeConfig } from '../harness/index.js';

export const admin = (): KubeClient => new KubeClient(kubeConfig());

export async function installAllCrds(): Promise<void> {
  await installCrds('crds/');
  await installCrds('crds/third-party/');
}

/** A ServiceAccount in `namespace` with the operator's ClusterRole (cluster-wide) and lease Role. */
export async function operatorIdentity(namespace: string): Promise<KubeConfig> {
  const client = admin();
  const roleName = `mcp-runtime-operator-test-${namespace}`;
  const apply = (obj: Record<string, unknown>, path: string) =>
    client.request('PATCH', path, { body: obj, contentType: 'application/apply-patch+yaml', query: { fieldManager: 'tests', force: true } });
  await apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: roleName }, rules: toPolicyRules(OPERATOR_RULES) }, `/apis/rbac.authorization.k8s.io/v1/clusterroles/${roleName}`);
  await apply(
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: roleName }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace }] },
    `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${roleName}`,
  );
  await apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'leader-election', namespace }, rules: toPolicyRules(LEADER_ELECTION_RULES) }, `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles/leader-election`);
  await apply(
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'leader-election', namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'leader-election' }, subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace }] },
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/leader-election`,
  );
  return asServiceAccount(namespace, 'operator', { create: true });
}

export async function removeIdentity(namespace: string): Promise<void> {
  const client = admin();
  const roleName = `mcp-runtime-operator-test-${namespace}`;
  await client.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${roleName}`).catch(() => undefined);
  await client.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${roleName}`).catch(() => undefined);
}

export async function startOperator(
  kc: KubeConfig,
  namespace: string,
  flags: OperatorFlags = {},
  env: Record<string, string> = {},
): Promise<Manager> {
  const config = loadOperatorConfig(
    env,
    { namespaces: [namespace], leaseNamespace: namespace, leaderElect: false, metricsAddress: '127.0.0.1:0', healthAddress: '127.0.0.1:0', ingressReadiness: 'permissive', verify: false, ...flags },
  );
  // MCP_TEST_OPERATOR_LOGS=1 shows the operator's JSON logs while debugging a test; otherwise
  // the last lines are kept in memory, for a failing wait to print (withOperatorLog).
  const tail = new LogTail();
  const logger = createLogger({ name: 'operator-under-test', ...(process.env.MCP_TEST_OPERATOR_LOGS === '1' ? {} : { destination: tail }) });
  const manager = await createOperator({ kubeConfig: kc, config, logger, handleSignals: false, shutdownTimeoutMs: 5_000 });
  tails.set(manager, tail);
  await manager.start();
  return manager;
}

/** The last lines an operator logged, in memory (a pino destination). */
class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly keep = 200) {}
  write(line: string): void {
    this.lines.push(line.trimEnd());
    if (this.lines.length > this.keep) this.lines.shift();
  }
  last(n: number): string[] {
    return this.lines.slice(-n);
  }
}

const tails = new WeakMap<Manager, LogTail>();

/**
 * Runs `wait` and, when it fails, adds the operator's last log lines to the error: what the
 * operator did (watches failing, reconciles erroring) is what one needs to debug a timeout.
 */
export async function withOperatorLog<T>(manager: Manager, wait: Promise<T>, lines = 40): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    const tail = tails.get(manager)?.last(lines) ?? [];
    if (error instanceof Error && tail.length > 0) error.message += `\noperator's last ${tail.length} log lines:\n${tail.join('\n')}`;
    throw error;
  }
}

export const serverPath = (namespace: string, name = '') =>
  `/apis/${API_VERSION}/namespaces/${namespace}/mcpservers${name === '' ? '' : `/${name}`}`;

export function mcpServer(namespace: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: API_VERSION, kind: 'MCPServer', metadata: { name, namespace }, spec };
}

export async function get<T = Record<string, unknown>>(path: string): Promise<T | undefined> {
  try {
    return await admin().request<T>('GET', path);
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

export const paths = {
  deployment: (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
  service: (ns: string, name: string) => `/api/v1/namespaces/${ns}/services/${name}`,
  ingress: (ns: string, name: string) => `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${name}`,
  middleware: (ns: string, name: string) => `/apis/traefik.io/v1alpha1/namespaces/${ns}/middlewares/${name}`,
  networkPolicy: (ns: string, name: string) => `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/${name}`,
};
