import { describe, expect, it } from '@jest/globals';
import { cniConfList } from '../../../src/local-cluster/real-node/cni-config.js';
import { containerdConfig, plainHttpHostsToml } from '../../../src/local-cluster/real-node/containerd-config.js';
import { kubeletConfig } from '../../../src/local-cluster/real-node/kubelet-config.js';
import { NODE_IP, REAL_POD_CIDR } from '../../../src/local-cluster/real-node/network.js';
import { POD_CIDR } from '../../../src/local-cluster/components.js';

const paths = {
  root: '/d/node/containerd/root',
  state: '/d/node/containerd/state',
  socket: '/d/node/containerd/containerd.sock',
  runcRoot: '/d/node/containerd/runc',
  cniConfDir: '/d/node/cni/net.d',
  cniBinDir: '/usr/lib/cni',
  registryConfigDir: '/d/node/containerd/certs.d',
};

describe('containerd configuration of the real node', () => {
  const toml = containerdConfig({ paths, sandboxImage: 'localhost/mcp-runtime/pause:v1.34.4' });
  it('restricts oom_score_adj (runc cannot set -998 without CAP_SYS_RESOURCE)', () => {
    expect(toml).toMatch(/restrict_oom_score_adj = true/);
  });
  it('keeps every path of its own in the run dir, including runc state', () => {
    for (const p of [paths.root, paths.state, paths.socket, paths.runcRoot, paths.cniConfDir, paths.registryConfigDir]) {
      expect(toml).toContain(JSON.stringify(p));
    }
    expect(toml).not.toMatch(/"\/(run|var|opt)\//);
  });
  it('uses the locally built sandbox image and cgroupfs', () => {
    expect(toml).toContain('sandbox_image = "localhost/mcp-runtime/pause:v1.34.4"');
    expect(toml).toMatch(/SystemdCgroup = false/);
  });
  it('allows plain HTTP for the one registry host named, through the endpoint given', () => {
    const hosts = plainHttpHostsToml('registry.registry.svc.cluster.local:5000', 'http://10.96.12.34:5000');
    expect(hosts).toContain('server = "http://registry.registry.svc.cluster.local:5000"');
    expect(hosts).toContain('[host."http://10.96.12.34:5000"]');
    expect(hosts).toContain('capabilities = ["pull", "resolve"]');
  });
});

describe('CNI and kubelet configuration of the real node', () => {
  it('puts pods in a subnet apart from KWOK pod IPs and adds no iptables masquerading', () => {
    const conf = cniConfList('/d/node/cni/ipam') as { plugins: { ipMasq: boolean; ipam: { ranges: { subnet: string }[][]; dataDir: string } }[] };
    expect(conf.plugins[0]!.ipMasq).toBe(false);
    expect(conf.plugins[0]!.ipam.ranges[0]![0]!.subnet).toBe(REAL_POD_CIDR);
    expect(conf.plugins[0]!.ipam.dataDir).toBe('/d/node/cni/ipam');
    expect(REAL_POD_CIDR.split('.').slice(0, 2)).not.toEqual(POD_CIDR.split('.').slice(0, 2));
  });
  it('serves the kubelet API on the node IP only, authenticated and authorized', () => {
    const config = kubeletConfig(
      {
        rootDir: '/d/node/kubelet', kubeconfig: '/d/k', config: '/d/c', caCert: '/d/ca.crt', servingCert: '/d/s.crt',
        servingKey: '/d/s.key', containerdSocket: paths.socket, podLogsDir: '/d/node/pod-logs', resolvConf: '/etc/resolv.conf',
      },
      12345,
    ) as Record<string, unknown>;
    expect(config.address).toBe(NODE_IP);
    expect(NODE_IP.startsWith('127.')).toBe(false);
    expect(config.readOnlyPort).toBe(0);
    expect(config.authentication).toEqual({ anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/d/ca.crt' } });
    expect(config.authorization).toEqual({ mode: 'Webhook' });
    expect(config.cgroupDriver).toBe('cgroupfs');
    expect(config.containerRuntimeEndpoint).toBe(`unix://${paths.socket}`);
  });
});
