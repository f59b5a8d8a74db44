#!/usr/bin/env bash
# Proves no local control plane was left behind: no live process whose command line mentions
# a control-plane data dir (etcd, kube-*, kwok and the watchdog all carry it in their
# arguments) and no data dir on disk.
#   check-clean.sh            check every mcp-runtime-cp-* dir under ${TMPDIR:-/tmp}
#   check-clean.sh <fragment> check only processes/dirs whose path contains <fragment>; an
#                             absolute path is also searched for data dirs inside it
#                             (use this when other runs may be active on the same machine)
# A real node (fixed names, one per host) leaves host-wide state, so that is checked whatever the
# fragment: no kubelet/containerd/kube-proxy/traefik or container of a node dir, no mount under
# a control-plane dir, no pod network namespace it created, no link mcprt-*, no KUBE-* iptables
# chain or rule, no kube-proxy nftables table, no kubepods cgroup.
# Exit 0 when clean, 1 (with a list) otherwise.
set -euo pipefail
fragment="${1:-mcp-runtime-cp-}"
tmp="${TMPDIR:-/tmp}"
left=0

for p in /proc/[0-9]*; do
  pid="${p#/proc/}"
  [[ "$pid" == "$$" || "$pid" == "$PPID" ]] && continue
  cmd="$( { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null || true)"
  [[ -n "$cmd" && "$cmd" == *"$fragment"* ]] || continue
  state="$(awk '{print $3}' "$p/stat" 2>/dev/null || true)"
  [[ "$state" == "Z" || -z "$state" ]] && continue
  echo "leftover process $pid: ${cmd:0:200}"
  left=1
done

shopt -s nullglob
dirs=("$tmp"/mcp-runtime-cp-*)
# An absolute path may name a data dir itself or the base dir data dirs were created in.
if [[ "$fragment" == /* ]]; then
  dirs+=("$fragment"/mcp-runtime-cp-*)
  [[ "$(basename "$fragment")" == mcp-runtime-cp-* && -e "$fragment" ]] && dirs+=("$fragment")
fi
for d in "${dirs[@]}"; do
  [[ "$d" == *"$fragment"* ]] || continue
  echo "leftover directory $d"
  left=1
done

# Real-node state. Any mount or process root under a control-plane dir is ours.
while read -r m; do
  echo "leftover mount $m"
  left=1
done < <(awk '$5 ~ /mcp-runtime-cp-[^/]*\/node\// { print $5 }' /proc/self/mountinfo)
# A container's root (/) is an overlay from a node dir's snapshots; /proc/PID/root alone reads "/"
# for a process in another mount namespace, so its mountinfo is what tells.
for p in /proc/[0-9]*; do
  root="$(readlink "$p/root" 2>/dev/null || true)"
  if [[ "$root" != *mcp-runtime-cp-*/node/* ]]; then
    awk '$5 == "/" && /mcp-runtime-cp-[^\/ ]*\/node\// { found = 1 } END { exit !found }' "$p/mountinfo" 2>/dev/null || continue
  fi
  echo "leftover container process ${p#/proc/}: $( { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | cut -c1-120)"
  left=1
done
for link in /sys/class/net/mcprt-*; do
  echo "leftover link $(basename "$link")"
  left=1
done
for ipt in iptables ip6tables; do
  command -v "$ipt" >/dev/null || continue
  for table in filter nat mangle; do
    rules="$("$ipt" -w -t "$table" -S 2>/dev/null | grep -c 'KUBE-' || true)"
    if ((rules > 0)); then echo "leftover $ipt $table rules/chains mentioning KUBE-: $rules"; left=1; fi
  done
done
if command -v nft >/dev/null && nft list tables 2>/dev/null | grep -q 'kube-proxy'; then
  echo "leftover nftables table kube-proxy"
  left=1
fi
cgroups="$(find /sys/fs/cgroup -maxdepth 2 -type d -name 'kubepods*' 2>/dev/null | head -5)"
if [[ -n "$cgroups" ]]; then echo "leftover cgroups: $(echo "$cgroups" | tr '\n' ' ')"; left=1; fi
# Pod network namespaces (cni-*) whose pause process is gone (ours are removed by CNI DEL or teardown).
for ns in /run/netns/cni-*; do
  echo "leftover network namespace $ns"
  left=1
done

if ((left)); then exit 1; fi
echo "clean: no control-plane process or data dir matching '$fragment', and no real-node state (processes, mounts, netns, links, iptables, cgroups)"
