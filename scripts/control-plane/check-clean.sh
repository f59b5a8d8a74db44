#!/usr/bin/env bash
# Proves no local control plane was left behind: no live process whose command line mentions
# a control-plane data dir (etcd, kube-*, kwok and the watchdog all carry it in their
# arguments) and no data dir on disk.
#   check-clean.sh            check every mcp-runtime-cp-* dir under ${TMPDIR:-/tmp}
#   check-clean.sh <fragment> check only processes/dirs whose path contains <fragment>; an
#                             absolute path is also searched for data dirs inside it
#                             (use this when other runs may be active on the same machine)
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

if ((left)); then exit 1; fi
echo "clean: no control-plane process or data dir matching '$fragment'"
