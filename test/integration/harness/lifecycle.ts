// What jest's global setup/teardown do, as ordinary modules. global-setup.ts and
// global-teardown.ts are loaded by Node's own loader (jest's moduleNameMapper does not apply
// there, so `.js` imports of .ts files fail); they load this file through tsx instead.
import { existsSync } from 'node:fs';
import { startControlPlane, type ControlPlane } from '../../../src/local-cluster/index.js';
import { API_SERVER_ENV, CONTROL_PLANE_GLOBAL, DATA_DIR_ENV, KUBECONFIG_ENV } from './env.js';
import { leftovers } from './leftovers.js';

const globals = globalThis as Record<string, unknown>;

/** Starts one control plane for the run and exports it through the environment. */
export async function setupIntegrationControlPlane(): Promise<void> {
  if (process.env[KUBECONFIG_ENV]) {
    // Debugging against a long-lived sandbox (`cluster provision --provider local`): reuse it.
    console.log(`\n[integration] using existing cluster from ${KUBECONFIG_ENV}=${process.env[KUBECONFIG_ENV]}`);
    return;
  }
  const verbose = process.env.MCP_TEST_CONTROL_PLANE_VERBOSE !== undefined;
  const cp: ControlPlane = await startControlPlane({
    log: (line) => {
      // Build progress matters (minutes on a first run); routine start-up lines do not.
      if (verbose || line.startsWith('[control-plane]')) console.log(`[integration] ${line}`);
    },
  });
  globals[CONTROL_PLANE_GLOBAL] = cp;
  process.env[KUBECONFIG_ENV] = cp.kubeconfigPath;
  process.env[API_SERVER_ENV] = cp.server;
  process.env[DATA_DIR_ENV] = cp.dir;
  const t = cp.timings;
  console.log(
    `\n[integration] control plane ${cp.server} ready: binaries ${t.obtainBinariesMs} ms, start-up ${t.startupMs} ms ` +
      `(certs ${t.certsMs} ms, API server ${t.apiServerReadyMs} ms, node Ready ${t.nodeReadyMs} ms)`,
  );
}

/** Stops the control plane from setup and throws if any of its processes or its dir remain. */
export async function teardownIntegrationControlPlane(): Promise<void> {
  const cp = globals[CONTROL_PLANE_GLOBAL] as ControlPlane | undefined;
  if (cp === undefined) return; // an existing cluster was reused; not ours to stop
  const started = performance.now();
  await cp.stop();
  delete globals[CONTROL_PLANE_GLOBAL];
  for (const name of [KUBECONFIG_ENV, API_SERVER_ENV, DATA_DIR_ENV]) delete process.env[name];
  const left = leftovers(cp);
  if (left.length > 0) throw new Error(`control plane left behind:\n  ${left.join('\n  ')}`);
  if (existsSync(cp.dir)) throw new Error(`control plane dir ${cp.dir} still exists`);
  console.log(`[integration] control plane stopped and cleaned up in ${Math.round(performance.now() - started)} ms`);
}
