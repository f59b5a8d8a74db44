import { describe, expect, it } from '@jest/globals';
import { detectTool, digestFromDockerOutput, directPushCommands, hasTransport, PUSH_TOOLS, type ToolProbes } from '../../../src/registry/tools.js';

const probes = (installed: string[], daemon = false): ToolProbes => ({ installed: async (t) => installed.includes(t), dockerDaemon: async () => daemon });
const base = { source: 'localhost/s:1', destination: 'reg.example.com/team/s:1', insecure: false, digestFile: '/tmp/d' };

describe('push tool detection', () => {
  it('prefers skopeo, then podman, then docker with a daemon', async () => {
    expect(await detectTool(PUSH_TOOLS, probes(['skopeo', 'podman', 'docker'], true))).toBe('skopeo');
    expect(await detectTool(PUSH_TOOLS, probes(['podman', 'docker'], true))).toBe('podman');
    expect(await detectTool(PUSH_TOOLS, probes(['docker'], true))).toBe('docker');
    await expect(detectTool(PUSH_TOOLS, probes(['docker'], false))).rejects.toThrow(/No tool to push images/);
  });
});

describe('directPushCommands', () => {
  it('skopeo: TLS verified by default, CA folder and auth file passed through, local images read from containers-storage', () => {
    expect(directPushCommands('skopeo', { ...base, certDir: '/certs', authfile: '/auth.json' })).toEqual([
      {
        command: 'skopeo',
        args: ['copy', '--retry-times', '2', '--dest-tls-verify=true', '--dest-cert-dir', '/certs', '--dest-authfile', '/auth.json', '--digestfile', '/tmp/d', 'containers-storage:localhost/s:1', 'docker://reg.example.com/team/s:1'],
      },
    ]);
    expect(directPushCommands('skopeo', { ...base, source: 'oci-archive:/x.tar', insecure: true })[0]!.args).toEqual(
      expect.arrayContaining(['--dest-tls-verify=false', 'oci-archive:/x.tar']),
    );
  });

  it('podman: --tls-verify and --cert-dir', () => {
    expect(directPushCommands('podman', { ...base, certDir: '/certs' })).toEqual([
      { command: 'podman', args: ['push', '--tls-verify=true', '--cert-dir', '/certs', '--digestfile', '/tmp/d', 'localhost/s:1', 'docker://reg.example.com/team/s:1'] },
    ]);
    expect(() => directPushCommands('podman', { ...base, source: 'oci-archive:/x.tar' })).toThrow(/--tool skopeo/);
  });

  it('docker: tag + push; refuses per-command TLS options it does not have', () => {
    expect(directPushCommands('docker', base)).toEqual([
      { command: 'docker', args: ['tag', 'localhost/s:1', 'reg.example.com/team/s:1'] },
      { command: 'docker', args: ['push', 'reg.example.com/team/s:1'] },
    ]);
    expect(() => directPushCommands('docker', { ...base, insecure: true })).toThrow(/insecure-registries/);
    expect(() => directPushCommands('docker', { ...base, certDir: '/c' })).toThrow(/\/etc\/docker\/certs\.d/);
  });

  it('reads docker push digests and knows transports', () => {
    expect(digestFromDockerOutput(`1.0: digest: sha256:${'d'.repeat(64)} size: 528`)).toBe(`sha256:${'d'.repeat(64)}`);
    expect(digestFromDockerOutput('nothing')).toBeUndefined();
    expect(hasTransport('docker://x')).toBe(true);
    expect(hasTransport('localhost/x:1')).toBe(false);
  });
});
