/** The binaries a local control plane is made of. */
export const BINARY_NAMES = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
  'kwok',
] as const;

export type BinaryName = (typeof BINARY_NAMES)[number];

/** Built alongside (same Kubernetes module) and needed only by a real node. */
export type NodeBinaryName = 'kubelet' | 'kube-proxy';

export type BinaryPaths = Record<BinaryName, string> & Partial<Record<NodeBinaryName, string>>;

/** A line-oriented logger; the sandbox command passes its own, tests pass a quiet one. */
export type LogFn = (message: string) => void;

/** Milliseconds spent in each phase of `startControlPlane`, for reports and benchmarks. */
export interface ControlPlaneTimings {
  /** Resolving or building the binaries (near zero once cached). */
  obtainBinariesMs: number;
  /** Generating the CA, serving, client and service-account keys. */
  certsMs: number;
  /** From spawning etcd until the API server answers /readyz. */
  apiServerReadyMs: number;
  /** From API server ready until the simulated node is Ready. */
  nodeReadyMs: number;
  /** Whole start-up excluding obtaining binaries. */
  startupMs: number;
}
