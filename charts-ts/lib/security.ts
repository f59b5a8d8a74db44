/**
 * The Pod Security "restricted" profile, once. Every workload we ship (operator, registry,
 * Traefik, each MCP server) uses these, and the integration test proves a restricted namespace
 * admits them.
 */
import { k8s } from 'cdk8s-plus-28';

/**
 * A numeric non-root user. `runAsNonRoot` alone fails for images whose USER is a name (the
 * kubelet cannot prove a name is not root), so we always pin a number: 65532 is "nonroot" in
 * distroless images and unused elsewhere.
 */
export const NON_ROOT_UID = 65532;

export const TMP_VOLUME = 'tmp';

export interface RestrictedPodOptions {
  /** Group that owns mounted volumes (needed for writable PVCs). Default: none. */
  readonly fsGroup?: number;
}

export function restrictedPodSecurityContext(options: RestrictedPodOptions = {}): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: NON_ROOT_UID,
    runAsGroup: NON_ROOT_UID,
    ...(options.fsGroup === undefined ? {} : { fsGroup: options.fsGroup }),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
  };
}

/** A writable /tmp for read-only root filesystems (many runtimes write temp files there). */
export const tmpVolume = (): k8s.Volume => ({ name: TMP_VOLUME, emptyDir: {} });
export const tmpMount = (): k8s.VolumeMount => ({ name: TMP_VOLUME, mountPath: '/tmp' });
