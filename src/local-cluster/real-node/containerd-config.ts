/** Where one run's containerd keeps everything (one root per run: a second containerd on the same root hangs on its lock). */
export interface ContainerdPaths {
  root: string;
  state: string;
  socket: string;
  /** runc's state (default /run/containerd/runc, shared host-wide). */
  runcRoot: string;
  cniConfDir: string;
  cniBinDir: string;
  /** certs.d: one hosts.toml per registry host. */
  registryConfigDir: string;
}

export interface ContainerdSettings {
  paths: ContainerdPaths;
  /** The pod sandbox ("pause") image; built locally and imported, never pulled. */
  sandboxImage: string;
}

const q = (s: string) => JSON.stringify(s);

/**
 * containerd 1.6's config (version 2) for a kubelet. The settings that matter here:
 * - restrict_oom_score_adj: the kubelet asks runc for oom_score_adj -998, which needs
 *   CAP_SYS_RESOURCE; without it every sandbox fails with "can't get final child's PID from pipe".
 * - SystemdCgroup false: no systemd runs here (the kubelet uses cgroupfs to match).
 * - config_path: per-registry hosts.toml files, the way real clusters (kind) allow plain HTTP for one host.
 * - the opt plugin's path and runc's root inside our data dir, so nothing of ours lands in /opt or /run.
 */
export function containerdConfig(s: ContainerdSettings): string {
  const p = s.paths;
  return `version = 2
root = ${q(p.root)}
state = ${q(p.state)}

[grpc]
  address = ${q(p.socket)}

[ttrpc]
  address = ${q(`${p.socket}.ttrpc`)}

[debug]
  level = "warn"

[plugins."io.containerd.internal.v1.opt"]
  path = ${q(`${p.root}/opt`)}

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${q(s.sandboxImage)}
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = ${q(p.runcRoot)}
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = ${q(p.cniBinDir)}
    conf_dir = ${q(p.cniConfDir)}
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ${q(p.registryConfigDir)}
`;
}

/**
 * certs.d/<host>/hosts.toml: pull `host` over plain HTTP from `endpoint` (e.g. the in-cluster
 * registry's ClusterIP, since the node cannot resolve cluster DNS names). Only this host is
 * affected; every other registry keeps TLS verification.
 */
export function plainHttpHostsToml(host: string, endpoint: string): string {
  return `server = ${q(`http://${host}`)}

[host.${q(endpoint)}]
  capabilities = ["pull", "resolve"]
`;
}
