// Jest global teardown: stop the control plane from global setup and prove nothing is left
// (no process of it alive, no temp dir); throwing fails the run, which is the point.
// Loaded like global-setup.ts (see there for why tsx). It runs in the same process as setup,
// which left the ControlPlane handle on globalThis.
import type * as Lifecycle from './harness/lifecycle.js';

export default async function globalTeardown(): Promise<void> {
  const { tsImport } = await import('tsx/esm/api');
  const lifecycle = (await tsImport('./harness/lifecycle.ts', import.meta.url)) as typeof Lifecycle;
  await lifecycle.teardownIntegrationControlPlane();
}
