// Jest global setup for the "integration" project: one real control plane per test run,
// handed to test files through MCP_TEST_KUBECONFIG / MCP_TEST_API_SERVER (jest workers
// inherit this process's environment).
//
// Jest loads this file with Node's own loader, where its moduleNameMapper (`.js` -> `.ts`)
// does not apply, so the implementation is imported through tsx (a devDependency).
import type * as Lifecycle from './harness/lifecycle.js';

export default async function globalSetup(): Promise<void> {
  // The shared cluster's pods are simulated (KWOK): an operator started by a test must not dial
  // their addresses. Tests on the real node turn verification on explicitly (--verify).
  process.env.VERIFY_SERVERS = 'false';
  const { tsImport } = await import('tsx/esm/api');
  const lifecycle = (await tsImport('./harness/lifecycle.ts', import.meta.url)) as typeof Lifecycle;
  await lifecycle.setupIntegrationControlPlane();
}
