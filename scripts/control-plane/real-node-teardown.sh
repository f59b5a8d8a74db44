#!/usr/bin/env bash
# Removes everything a real node (src/local-cluster/real-node) put on the host, whatever state it
# was left in: run by its stop(), by the exit hook and by the watchdog when Node died.
#   real-node-teardown.sh <node dir> [kube-proxy binary]
# The graceful path (pods deleted through the kubelet, so CNI DEL ran) leaves little to do; this
# is the safety net: processes of this node (kubelet, containerd, shims, kube-proxy, Traefik and
# every container, found by their command line, their root or their root mount under <node dir>),
# mounts under it, the pods' network namespaces created since it started, our links, kube-proxy's
# iptables rules and the kubelet's pod cgroups. Idempotent; never touches another node dir's processes.
set -uo pipefail
node_dir="${1:?node dir}"
kube_proxy="${2:-}"
node_dir="${node_dir%/}"

# A container of this node: its root (/) is a mount made from under the node dir (the overlay of
# containerd's snapshots there). Its command line does not name the dir, and /proc/PID/root,
# read from our mount namespace, is just "/": without this check a container whose shim is
# already gone (the watchdog kills containerd's groups first) would outlive the node.
rooted_in_node_dir() {
  awk -v d="$node_dir/" '$5 == "/" && index($0, d) { found = 1 } END { exit !found }' "/proc/$1/mountinfo" 2>/dev/null
}
killed=()
kill_ours() {
  local p pid cmd root found=0
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    [[ "$pid" == "$$" || "$pid" == "$PPID" ]] && continue
    cmd="$( { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null || true)"
    root="$(readlink "$p/root" 2>/dev/null || true)"
    if [[ "$cmd" == *"$node_dir/"* || "$root" == "$node_dir/"* ]] || rooted_in_node_dir "$pid"; then
      kill -KILL "$pid" 2>/dev/null && found=1 && killed+=("$pid")
    fi
  done
  return $((1 - found))
}
# Until none is left (at most 10 rounds): a shim killed first may have reaped nothing yet, and
# containers are re-parented meanwhile.
for _ in 1 2 3 4 5 6 7 8 9 10; do kill_ours || break; sleep 0.2; done
# SIGKILL is delivered, not awaited: a process stays until it has finished exiting (releasing
# its mounts and cgroup). Wait, at most 10 s, until every killed one is dead: gone, or a zombie
# left for its reaper (PID 1 once its shim is gone).
still_running() {
  local pid state
  for pid in "${killed[@]}"; do
    state="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)"
    [[ -n "$state" && "$state" != Z ]] && return 0
  done
  return 1
}
for _ in $(seq 50); do still_running || break; sleep 0.2; done

# Mounts under the node dir (overlay rootfs, shm, projected volumes, netns bind mounts), deepest first.
awk -v d="$node_dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
done

# Pod network namespaces our containerd created (named cni-*), not those that existed before.
if [[ -f "$node_dir/netns-before" ]]; then
  for ns in /run/netns/cni-*; do
    [[ -e "$ns" ]] || continue
    grep -qxF "$(basename "$ns")" "$node_dir/netns-before" && continue
    umount "$ns" 2>/dev/null || umount -l "$ns" 2>/dev/null
    rm -f "$ns"
  done
fi

for link in mcprt-cni0 mcprt-node0; do
  ip link show "$link" >/dev/null 2>&1 && ip link delete "$link" 2>/dev/null
done

# kube-proxy's own cleanup first (iptables, and the nftables table newer versions may create).
[[ -n "$kube_proxy" && -x "$kube_proxy" ]] && "$kube_proxy" --cleanup >/dev/null 2>&1
for ipt in iptables ip6tables; do
  command -v "$ipt" >/dev/null || continue
  for table in filter nat mangle; do
    # Rules that jump to a KUBE-* chain from a built-in chain, then the chains themselves.
    "$ipt" -w -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j KUBE-' | sed 's/^-A /-D /' | while read -r rule; do
      eval "$ipt -w -t $table $rule" 2>/dev/null
    done
    for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '/^-N KUBE-/ { print $2 }'); do
      "$ipt" -w -t "$table" -F "$chain" 2>/dev/null
    done
    for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '/^-N KUBE-/ { print $2 }'); do
      "$ipt" -w -t "$table" -X "$chain" 2>/dev/null
    done
  done
done
if command -v nft >/dev/null; then
  for family in ip ip6; do nft delete table "$family" kube-proxy 2>/dev/null; done
fi

# The kubelet's pod cgroups (cgroupfs driver), leaves first.
find /sys/fs/cgroup -depth -type d -name 'kubepods*' 2>/dev/null | while read -r top; do
  find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null
done
# libcni's result cache for our network.
rm -f /var/lib/cni/results/mcp-runtime-* 2>/dev/null
exit 0
