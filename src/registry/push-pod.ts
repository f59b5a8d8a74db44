/**
 * The short-lived helper Pod of `registry push --mode in-cluster`, as a pure function of its
 * inputs (construct style: same input, same JSON). It copies one image into a registry with
 * skopeo, from inside the cluster, so a laptop never needs network access to the in-cluster
 * registry (a ClusterIP Service, plain HTTP, deliberately not exposed).
 *
 * Two ways the image gets in:
 *  - `archive`: the CLI exports the local image as an OCI (or docker) archive and streams it
 *    into the init container `receive` over the Kubernetes attach API (stdin). `receive` writes
 *    it to an emptyDir and checks its sha256 against the one the CLI computed, so a connection
 *    that breaks mid-transfer fails loudly instead of pushing a truncated image. Then `push`
 *    runs `skopeo copy oci-archive:/work/image.tar docker://<destination>`.
 *  - `registry`: `push` copies straight from a registry the cluster can reach
 *    (`skopeo copy docker://<source> docker://<destination>`); nothing is streamed.
 *
 * skopeo writes the pushed digest to /dev/termination-log, so the CLI reads it from the
 * container status; on failure the log tail becomes the termination message
 * (FallbackToLogsOnError) and the CLI shows it.
 *
 * Security: Pod Security "restricted" (numeric non-root user, seccomp RuntimeDefault, all
 * capabilities dropped, no privilege escalation, read-only root filesystem with emptyDirs for
 * /work and /tmp), no service-account token, a deadline (activeDeadlineSeconds) and size
 * limits on the emptyDirs. The helper image needs `skopeo`, and for the archive way also
 * `sh`, `cat` and `sha256sum` (quay.io/skopeo/stable has all of them).
 */
import type { V1Pod } from '@kubernetes/client-node';
import { defaultPullPolicy, parseImageReference } from '../images/reference.js';
import { NON_ROOT_UID, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../charts-ts/lib/security.js';

/** skopeo's upstream image (Fedora based: has sh, cat, sha256sum). Override with --helper-image. */
export const DEFAULT_PUSH_HELPER_IMAGE = 'quay.io/skopeo/stable:v1.16';
export const PUSH_NAMESPACE = 'registry';
export const PUSH_POD_PREFIX = 'mcp-runtime-push-';
export const RECEIVE_CONTAINER = 'receive';
export const PUSH_CONTAINER = 'push';
export const ARCHIVE_PATH = '/work/image.tar';
export const PUSH_POD_LABELS = {
  'app.kubernetes.io/name': 'mcp-runtime-push',
  'app.kubernetes.io/component': 'image-push',
  'app.kubernetes.io/managed-by': 'mcp-runtime',
} as const;
export const DESTINATION_ANNOTATION = 'mcp.agent-hellboy.io/push-destination';

export type PushPodSource =
  | {
      readonly kind: 'archive';
      /** `oci-archive` (skopeo, podman) or `docker-archive` (docker save). */
      readonly format: 'oci-archive' | 'docker-archive';
      /** sha256 (hex) of the archive, checked in the pod after the transfer. */
      readonly sha256: string;
      readonly sizeBytes: number;
    }
  | {
      readonly kind: 'registry';
      /** Source reference reachable from the cluster (without `docker://`). */
      readonly image: string;
      /** Verify the source registry's TLS certificate. Default true. */
      readonly tlsVerify?: boolean;
    };

export interface PushPodProps {
  /** Pod name (see pushPodName). */
  readonly name: string;
  /** Default `registry` (the NetworkPolicy of the in-cluster registry admits pods from there). */
  readonly namespace?: string;
  /** Default DEFAULT_PUSH_HELPER_IMAGE. */
  readonly helperImage?: string;
  /** Full destination reference (registry/repository:tag), without `docker://`. */
  readonly destination: string;
  /**
   * Verify the destination's TLS. The in-cluster registry speaks plain HTTP on its ClusterIP
   * (traffic never leaves the cluster network), so pushes to it pass false.
   */
  readonly destinationTlsVerify: boolean;
  readonly source: PushPodSource;
  /** Hard deadline for the whole pod. Default 900 s. */
  readonly activeDeadlineSeconds?: number;
}

const MIB = 1024 * 1024;
const mib = (bytes: number): string => `${Math.max(1, Math.ceil(bytes / MIB))}Mi`;

/** A fresh, valid pod name: the prefix and 8 random hex digits (callers pass the randomness). */
export function pushPodName(suffix: string): string {
  const clean = suffix.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20);
  if (clean === '') throw new Error('pushPodName needs a non-empty alphanumeric suffix');
  return `${PUSH_POD_PREFIX}${clean}`;
}

/** The skopeo command line of the `push` container. */
export function skopeoCopyArgs(props: Pick<PushPodProps, 'destination' | 'destinationTlsVerify' | 'source'>): string[] {
  const source = props.source.kind === 'archive' ? `${props.source.format}:${ARCHIVE_PATH}` : `docker://${props.source.image}`;
  return [
    'skopeo',
    'copy',
    '--retry-times',
    '3',
    ...(props.source.kind === 'registry' ? [`--src-tls-verify=${String(props.source.tlsVerify ?? true)}`] : []),
    `--dest-tls-verify=${String(props.destinationTlsVerify)}`,
    '--digestfile',
    '/dev/termination-log',
    source,
    `docker://${props.destination}`,
  ];
}

/**
 * The receive script: write stdin to the archive, then check the checksum. The expected
 * sha256 arrives as an environment variable, never spliced into the script text.
 */
export const RECEIVE_SCRIPT = [
  'set -eu',
  `cat > ${ARCHIVE_PATH}`,
  `got=$(sha256sum ${ARCHIVE_PATH} | cut -d' ' -f1)`,
  'if [ "$got" != "$ARCHIVE_SHA256" ]; then',
  `  echo "image archive damaged in transfer: received $(wc -c < ${ARCHIVE_PATH}) of $ARCHIVE_BYTES bytes, sha256 $got, expected $ARCHIVE_SHA256" >&2`,
  '  exit 1',
  'fi',
  'echo "received $ARCHIVE_BYTES bytes, sha256 ok"',
].join('\n');

export function pushPod(props: PushPodProps): V1Pod {
  const helperImage = props.helperImage ?? DEFAULT_PUSH_HELPER_IMAGE;
  const pullPolicy = defaultPullPolicy(parseImageReference(helperImage));
  const archive = props.source.kind === 'archive' ? props.source : undefined;
  if (archive !== undefined && !/^[0-9a-f]{64}$/.test(archive.sha256)) throw new Error(`archive sha256 must be 64 hex digits, got "${archive.sha256}"`);
  const securityContext = restrictedContainerSecurityContext();
  const env = [
    { name: 'HOME', value: '/tmp' },
    { name: 'TMPDIR', value: '/tmp' },
  ];
  const resources = {
    requests: { cpu: '50m', memory: '64Mi' },
    limits: { cpu: '1', memory: '512Mi' },
  };
  const workMounts = [
    { name: 'work', mountPath: '/work' },
    { name: 'tmp', mountPath: '/tmp' },
    // containers/image unpacks archives under /var/tmp unless TMPDIR says otherwise; cover both.
    { name: 'tmp', mountPath: '/var/tmp', subPath: 'var-tmp' },
  ];
  // Room for the archive, and for skopeo unpacking it (about the same size again).
  const size = archive?.sizeBytes ?? 0;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: props.name,
      namespace: props.namespace ?? PUSH_NAMESPACE,
      labels: { ...PUSH_POD_LABELS },
      annotations: { [DESTINATION_ANNOTATION]: props.destination },
    },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: props.activeDeadlineSeconds ?? 900,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 5,
      securityContext: restrictedPodSecurityContext(),
      ...(archive === undefined
        ? {}
        : {
            initContainers: [
              {
                name: RECEIVE_CONTAINER,
                image: helperImage,
                imagePullPolicy: pullPolicy,
                command: ['sh', '-c', RECEIVE_SCRIPT],
                stdin: true,
                stdinOnce: true,
                tty: false,
                env: [
                  ...env,
                  { name: 'ARCHIVE_SHA256', value: archive.sha256 },
                  { name: 'ARCHIVE_BYTES', value: String(archive.sizeBytes) },
                ],
                resources,
                securityContext,
                terminationMessagePolicy: 'FallbackToLogsOnError',
                volumeMounts: workMounts,
              },
            ],
          }),
      containers: [
        {
          name: PUSH_CONTAINER,
          image: helperImage,
          imagePullPolicy: pullPolicy,
          command: skopeoCopyArgs(props),
          env,
          resources,
          securityContext,
          terminationMessagePolicy: 'FallbackToLogsOnError',
          volumeMounts: workMounts,
        },
      ],
      volumes: [
        { name: 'work', emptyDir: { sizeLimit: mib(size + 16 * MIB) } },
        { name: 'tmp', emptyDir: { sizeLimit: mib(Math.max(256 * MIB, 2 * size + 64 * MIB)) } },
      ],
    },
  };
}

/** The numeric user the helper runs as (from the shared restricted profile). */
export const PUSH_POD_UID = NON_ROOT_UID;
