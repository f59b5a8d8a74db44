// Helpers shared by integration tests and benchmarks. No jest imports here: benchmarks run
// outside jest.
export { API_SERVER_ENV, CONTROL_PLANE_GLOBAL, DATA_DIR_ENV, KUBECONFIG_ENV } from './env.js';
export { leftovers, processAlive, processesReferencing } from './leftovers.js';
export { installCrds, TEST_FIELD_MANAGER } from './crds.js';
export { kubeConfig } from './kube-config.js';
export {
  apiServerRequestCounts,
  countWrites,
  diffRequestCounts,
  parseRequestCounts,
  WRITE_VERBS,
  type RequestCounts,
  type RequestSample,
} from './metrics.js';
export { freshNamespace, type FreshNamespace } from './namespace.js';
export { refused } from './refused.js';
export { asServiceAccount, type AsServiceAccountOptions } from './service-account.js';
export { waitFor, type WaitOptions } from './wait.js';
export { hostAddress } from './host-address.js';
