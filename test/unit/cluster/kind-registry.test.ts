// How kind nodes reach the platform registry: the kind config, the one hosts file, the node
// addresses the registry's NetworkPolicy must admit, and the setup command printed (pure).
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { kindCertsDir, kindConfig } from '../../../src/cluster/provision.js';
import {
  CONTAINERD_CONFIG_PATCH,
  KIND_REGISTRY_CLUSTER_IP,
  KIND_SERVICE_SUBNET,
  kindRegistryHostsFiles,
  kindSetupCommand,
  nodePullCidrs,
} from '../../../src/cluster/kind-registry.js';
import { IN_CLUSTER_REGISTRY } from '../../../src/images/reference.js';
import { resolvePlatformOptions } from '../../../charts-ts/platform/options.js';

const node = (name: string, ...addresses: [string, string][]) => ({ metadata: { name }, status: { addresses: addresses.map(([type, address]) => ({ type, address })) } });

/** 10.96.0.50 → 32-bit number; true when ip is inside cidr (IPv4). */
function inCidr(ip: string, cidr: string): boolean {
  const n = (a: string) => a.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

describe('kind config', () => {
  it('has one control plane and N-1 workers, each mounting the certs.d folder read-only where containerd reads it', () => {
    const config = parse(kindConfig(3, '/home/u/.config/mcp-runtime/kind/mcp/certs.d'));
    const mount = { hostPath: '/home/u/.config/mcp-runtime/kind/mcp/certs.d', containerPath: '/etc/containerd/certs.d', readOnly: true };
    expect(config).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      networking: { serviceSubnet: '10.96.0.0/16' },
      containerdConfigPatches: [CONTAINERD_CONFIG_PATCH],
      nodes: [
        { role: 'control-plane', extraMounts: [mount] },
        { role: 'worker', extraMounts: [mount] },
        { role: 'worker', extraMounts: [mount] },
      ],
    });
    expect(parse(kindConfig(1, '/x')).nodes).toHaveLength(1);
  });

  it('patches containerd to read per-registry hosts files from /etc/containerd/certs.d (and sets no mirrors, which config_path forbids)', () => {
    expect(CONTAINERD_CONFIG_PATCH).toBe('[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n');
    expect(CONTAINERD_CONFIG_PATCH).not.toMatch(/mirrors|configs|insecure/);
  });

  it('pins the registry ClusterIP inside the Service subnet it sets, in the static band, clear of kubernetes (.1) and kube-dns (.10)', () => {
    expect(inCidr(KIND_REGISTRY_CLUSTER_IP, KIND_SERVICE_SUBNET)).toBe(true);
    expect(inCidr(KIND_REGISTRY_CLUSTER_IP, '10.96.0.0/24')).toBe(true);
    expect(['10.96.0.0', '10.96.0.1', '10.96.0.10']).not.toContain(KIND_REGISTRY_CLUSTER_IP);
  });

  it('keeps the certs.d folder beside the CLI config, per cluster name, with no ":" in its path (Docker mount syntax)', () => {
    expect(kindCertsDir('mcp', { XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/mcp-runtime/kind/mcp/certs.d');
    expect(kindCertsDir('mcp', { HOME: '/home/u' })).toBe('/home/u/.config/mcp-runtime/kind/mcp/certs.d');
    expect(kindCertsDir('mcp', { HOME: '/home/u' })).not.toContain(':');
  });
});

describe('hosts files', () => {
  it('is exactly one file, for the in-cluster registry host, sending pulls over plain HTTP to the pinned ClusterIP', () => {
    const files = kindRegistryHostsFiles();
    expect(files.map((f) => f.path)).toEqual([`${IN_CLUSTER_REGISTRY}/hosts.toml`]);
    expect(files[0]!.path).toBe('registry.registry.svc.cluster.local:5000/hosts.toml');
    const lines = files[0]!.content.trim().split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual([
      'server = "http://registry.registry.svc.cluster.local:5000"',
      '[host."http://10.96.0.50:5000"]',
      '  capabilities = ["pull", "resolve"]',
    ]);
    // No TLS switch-off that could reach other hosts: plain HTTP comes from the http:// endpoint only.
    expect(files[0]!.content).not.toMatch(/skip_verify|_default/);
  });

  it('follows a different ClusterIP and port', () => {
    expect(kindRegistryHostsFiles('10.96.0.77', 5001)[0]!.content).toContain('[host."http://10.96.0.77:5001"]');
  });
});

describe('node addresses the registry must admit', () => {
  it('one /32 per IPv4 and /128 per IPv6 InternalIP, sorted and without duplicates; Hostname and ExternalIP ignored', () => {
    const nodes = [
      node('mcp-worker', ['InternalIP', '172.18.0.3'], ['Hostname', 'mcp-worker']),
      node('mcp-control-plane', ['InternalIP', '172.18.0.2'], ['InternalIP', 'fc00:f853:ccd:e793::2'], ['ExternalIP', '203.0.113.9']),
      node('dup', ['InternalIP', '172.18.0.3']),
    ];
    expect(nodePullCidrs(nodes)).toEqual({ cidrs: ['172.18.0.2/32', '172.18.0.3/32', 'fc00:f853:ccd:e793::2/128'], withoutAddress: [] });
  });

  it('names nodes that report no (valid) InternalIP', () => {
    expect(nodePullCidrs([node('a', ['Hostname', 'a']), node('b', ['InternalIP', 'not-an-ip']), { metadata: { name: 'c' } }])).toEqual({ cidrs: [], withoutAddress: ['a', 'b', 'c'] });
  });

  it('gives CIDRs the platform options accept', () => {
    const { cidrs } = nodePullCidrs([node('n', ['InternalIP', '172.18.0.2'], ['InternalIP', 'fd00::5'])]);
    expect(resolvePlatformOptions({ registryAllowedCidrs: cidrs }).registryAllowedCidrs).toEqual(cidrs);
  });
});

describe('the setup command printed after kind create', () => {
  it('names the context, the pinned ClusterIP and each node CIDR', () => {
    expect(kindSetupCommand('mcp', ['172.18.0.2/32', '172.18.0.3/32'])).toBe(
      'mcp-runtime setup --context kind-mcp --registry-cluster-ip 10.96.0.50 --registry-allow-cidr 172.18.0.2/32 --registry-allow-cidr 172.18.0.3/32',
    );
  });

  it('without known nodes, leaves a placeholder for the node network', () => {
    expect(kindSetupCommand('mcp', [])).toBe('mcp-runtime setup --context kind-mcp --registry-cluster-ip 10.96.0.50 --registry-allow-cidr <node network>');
  });
});
