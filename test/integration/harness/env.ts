/** Environment variables through which global setup hands the control plane to test files. */
export const KUBECONFIG_ENV = 'MCP_TEST_KUBECONFIG';
export const API_SERVER_ENV = 'MCP_TEST_API_SERVER';
/** Set by global setup when it started the cluster (unset when an existing one was reused). */
export const DATA_DIR_ENV = 'MCP_TEST_CONTROL_PLANE_DIR';
/** globalThis key under which global setup leaves the ControlPlane for global teardown. */
export const CONTROL_PLANE_GLOBAL = '__mcpRuntimeControlPlane';
