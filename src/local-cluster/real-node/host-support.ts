import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { findExecutable } from '../executables.js';

/** Where Debian's containernetworking-plugins puts the CNI plugins. */
export const CNI_BIN_DIRS = ['/usr/lib/cni', '/opt/cni/bin'];
const CNI_PLUGINS = ['bridge', 'host-local', 'loopback'];
/** Host programs a real node runs or calls (Debian: containerd, runc, iptables, iproute2, podman). */
const HOST_PROGRAMS = ['containerd', 'containerd-shim-runc-v2', 'runc', 'ctr', 'iptables', 'ip', 'podman', 'gcc'];

export interface HostSupport {
  /** Absolute paths of HOST_PROGRAMS. */
  programs: Record<string, string>;
  cniBinDir: string;
}

// Debian puts iptables and ip in sbin folders, which a non-login PATH may lack.
const which = (name: string): string | undefined => findExecutable(name, [process.env.PATH ?? '', '/usr/sbin', '/sbin'].join(delimiter));

/**
 * Whether this host can run a real node, and with what. Returns the reason in plain words when
 * it cannot (not Linux, not root, a package missing), so callers can fall back to KWOK and say why.
 */
export function checkHostSupport(): { ok: true; support: HostSupport } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `a real node needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'a real node needs root (it runs containerd, a kubelet and iptables)' };
  const programs: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of HOST_PROGRAMS) {
    const path = which(name);
    if (path === undefined) missing.push(name);
    else programs[name] = path;
  }
  const cniBinDir = CNI_BIN_DIRS.find((dir) => CNI_PLUGINS.every((p) => existsSync(join(dir, p))));
  if (cniBinDir === undefined) missing.push(`CNI plugins (${CNI_PLUGINS.join(', ')})`);
  if (missing.length > 0) {
    return {
      ok: false,
      reason:
        `missing on this host: ${missing.join(', ')} (Debian: apt-get install containerd containernetworking-plugins ` +
        'runc iptables iproute2 podman gcc libc6-dev)',
    };
  }
  return { ok: true, support: { programs, cniBinDir: cniBinDir as string } };
}
