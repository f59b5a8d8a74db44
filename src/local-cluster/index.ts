// A local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, KWOK-simulated nodes) for integration tests, benchmarks and the
// `cluster provision --provider local` sandbox.
export { apiGet, apiRequest, type RawRequestOptions, type RawResponse } from './api-get.js';
export { findBuildScript, obtainBinaries, type ObtainBinariesOptions, type ObtainedBinaries } from './binaries.js';
export {
  DATA_DIR_PREFIX,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneProcess,
  type StartControlPlaneOptions,
} from './control-plane.js';
export { DEFAULT_FAKE_NODE_NAME, fakeNodeManifest } from './fake-node.js';
export { appendCriLog, criLogLine, kwokLogCrds, podLogs, type KwokLog } from './kwok-logs.js';
export { runSandbox, type RunSandboxOptions, type SandboxResult } from './sandbox.js';
export { BINARY_NAMES, type BinaryName, type BinaryPaths, type ControlPlaneTimings, type LogFn } from './types.js';
export { waitFor, type WaitOptions } from './wait.js';
export { fetchResolvingTo, lookupResolvingTo } from './loopback-fetch.js';
export { memoryByComponent, type ComponentMemory } from './footprint.js';
export { checkHostSupport } from './real-node/host-support.js';
export { buildExampleImage, prebuiltContainerfile, type ExampleImageOptions } from './real-node/example-image.js';
export { buildPlatformImage, dockerfileBaseImages, type PlatformImageOptions } from './platform-image.js';
export { PLATFORM_IMAGE_REPOSITORY, providePlatformImage, type PlatformNodeImageOptions } from './real-node/platform-node-image.js';
export { GATEWAY_IMAGE_REPOSITORY, gatewayContainerfile, provideGatewayImage, type GatewayImageOptions } from './real-node/gateway-image.js';
export { hostTraefikArgs, startHostTraefik, type HostTraefik, type HostTraefikOptions } from './real-node/host-traefik.js';
export { REAL_NODE_NAME } from './real-node/network.js';
export type { RealNode } from './real-node/real-node.js';
export { connectPlatformRegistry, IN_CLUSTER_REGISTRY_HOST, type PlatformRegistryAccess } from './real-node/platform-registry.js';
