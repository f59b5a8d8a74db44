import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_PUSH_HELPER_IMAGE,
  PUSH_POD_UID,
  RECEIVE_SCRIPT,
  pushPod,
  pushPodName,
  skopeoCopyArgs,
  type PushPodProps,
} from '../../../src/registry/push-pod.js';

const SHA = 'a'.repeat(64);
const archiveProps: PushPodProps = {
  name: 'mcp-runtime-push-0a1b2c3d',
  destination: 'registry.registry.svc.cluster.local:5000/team/server:1.0',
  destinationTlsVerify: false,
  source: { kind: 'archive', format: 'oci-archive', sha256: SHA, sizeBytes: 300 * 1024 * 1024 },
};
const registryProps: PushPodProps = {
  name: 'mcp-runtime-push-ffff0000',
  namespace: 'elsewhere',
  helperImage: 'reg.example.com/tools/skopeo:latest',
  destination: 'reg.example.com/team/server:1.0',
  destinationTlsVerify: true,
  source: { kind: 'registry', image: 'ghcr.io/acme/server:1.0' },
  activeDeadlineSeconds: 120,
};

describe('pushPod', () => {
  it('meets Pod Security "restricted" in every container', () => {
    for (const props of [archiveProps, registryProps]) {
      const pod = pushPod(props);
      expect(pod.spec!.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: PUSH_POD_UID,
        runAsGroup: PUSH_POD_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(PUSH_POD_UID).toBeGreaterThan(0);
      for (const c of [...(pod.spec!.initContainers ?? []), ...pod.spec!.containers]) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          privileged: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
        });
        // Read-only root: the writable places are emptyDirs.
        expect(c.volumeMounts!.map((m) => m.mountPath).sort()).toEqual(['/tmp', '/var/tmp', '/work']);
        expect(c.resources?.limits).toEqual({ cpu: '1', memory: '512Mi' });
        expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
      }
      expect(pod.spec!.volumes!.every((v) => v.emptyDir !== undefined)).toBe(true);
      expect(pod.spec!.automountServiceAccountToken).toBe(false);
      expect(pod.spec!.restartPolicy).toBe('Never');
      expect(pod.spec!.hostNetwork).toBeUndefined();
    }
  });

  it('archive way: an init container receives stdin and checks the sha256 given in its environment', () => {
    const pod = pushPod(archiveProps);
    expect(pod.metadata).toMatchObject({ name: archiveProps.name, namespace: 'registry', labels: { 'app.kubernetes.io/managed-by': 'mcp-runtime' } });
    const [receive] = pod.spec!.initContainers!;
    expect(receive).toMatchObject({ name: 'receive', image: DEFAULT_PUSH_HELPER_IMAGE, stdin: true, stdinOnce: true, tty: false, command: ['sh', '-c', RECEIVE_SCRIPT] });
    expect(receive!.env).toEqual(expect.arrayContaining([{ name: 'ARCHIVE_SHA256', value: SHA }, { name: 'ARCHIVE_BYTES', value: String(300 * 1024 * 1024) }]));
    expect(RECEIVE_SCRIPT).not.toContain(SHA); // data never spliced into the script
    expect(RECEIVE_SCRIPT).toContain('sha256sum');
    expect(pod.spec!.containers[0]!.command).toEqual([
      'skopeo', 'copy', '--retry-times', '3', '--dest-tls-verify=false', '--digestfile', '/dev/termination-log',
      'oci-archive:/work/image.tar', 'docker://registry.registry.svc.cluster.local:5000/team/server:1.0',
    ]);
    // Room for the archive and its unpacked copy.
    expect(pod.spec!.volumes).toEqual([
      { name: 'work', emptyDir: { sizeLimit: '316Mi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '664Mi' } },
    ]);
    expect(pod.spec!.containers[0]!.imagePullPolicy).toBe('IfNotPresent');
  });

  it('registry way: no init container, skopeo copies from the source registry with TLS verified', () => {
    const pod = pushPod(registryProps);
    expect(pod.spec!.initContainers).toBeUndefined();
    expect(pod.metadata!.namespace).toBe('elsewhere');
    expect(pod.spec!.activeDeadlineSeconds).toBe(120);
    const push = pod.spec!.containers[0]!;
    expect(push.command).toEqual([
      'skopeo', 'copy', '--retry-times', '3', '--src-tls-verify=true', '--dest-tls-verify=true', '--digestfile', '/dev/termination-log',
      'docker://ghcr.io/acme/server:1.0', 'docker://reg.example.com/team/server:1.0',
    ]);
    expect(push.image).toBe('reg.example.com/tools/skopeo:latest');
    expect(push.imagePullPolicy).toBe('Always');
  });

  it('is a pure function of its input', () => {
    expect(JSON.stringify(pushPod(archiveProps))).toBe(JSON.stringify(pushPod(archiveProps)));
  });

  it('rejects a malformed checksum and builds valid names', () => {
    expect(() => pushPod({ ...archiveProps, source: { kind: 'archive', format: 'oci-archive', sha256: 'nope', sizeBytes: 1 } })).toThrow(/64 hex/);
    expect(pushPodName('0A1B2C3D')).toBe('mcp-runtime-push-0a1b2c3d');
    expect(() => pushPodName('---')).toThrow();
    expect(skopeoCopyArgs({ ...registryProps, source: { kind: 'registry', image: 'r/x:1', tlsVerify: false } })).toContain('--src-tls-verify=false');
  });
});
