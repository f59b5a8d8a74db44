// The same polling helper the control plane uses; re-exported so tests and benchmarks import
// it from the harness.
export { waitFor, type WaitOptions } from '../../../src/local-cluster/wait.js';
