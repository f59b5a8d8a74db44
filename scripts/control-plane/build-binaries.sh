#!/usr/bin/env bash
# Builds (once) and caches the binaries of a local Kubernetes control plane:
#   kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kwok, and for a real node
#   kubelet and kube-proxy.
# There is no download of release binaries on our machines, only the Go module proxy, so we
# build from source with the local Go toolchain and cache the results by version under
#   ${MCP_RUNTIME_CACHE:-$HOME/.cache/mcp-runtime}/control-plane/<k8s-version>/
#
# If KUBEBUILDER_ASSETS (setup-envtest's folder) or MCP_RUNTIME_ASSETS names a folder holding
# some of the binaries, those are used as they are and only the missing ones are built
# (envtest ships kube-apiserver and etcd, not the controller manager, scheduler or kwok).
#
# Output: one line per binary on stdout, "BIN <name> <absolute path>"; progress goes to stderr.
# Exit status is non-zero if any binary could not be obtained.
# Options: --check  only report (exit 3 if something would have to be built; builds nothing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

check_only=false
[[ "${1:-}" == "--check" ]] && check_only=true

cache_root="${MCP_RUNTIME_CACHE:-$HOME/.cache/mcp-runtime}"
cache_dir="$cache_root/control-plane/$K8S_VERSION"
assets_dir="${MCP_RUNTIME_ASSETS:-${KUBEBUILDER_ASSETS:-}}"

log() { echo "[control-plane] $*" >&2; }

# Which Go module (folder under scripts/control-plane/) builds which binary.
group_of() {
  case "$1" in
    kube-apiserver|kube-controller-manager|kube-scheduler|kubelet|kube-proxy) echo kube ;;
    etcd) echo etcd ;;
    kwok) echo kwok ;;
  esac
}
version_of() {
  case "$1" in kube) echo "$K8S_VERSION" ;; etcd) echo "$ETCD_VERSION" ;; kwok) echo "$KWOK_VERSION" ;; esac
}
# A stamp records exactly what a cached binary was built from: the version and the module's
# go.sum. A binary whose stamp differs (versions.env or go.sum changed) is rebuilt.
expected_stamp() {
  local g="$1" sum="nosum"
  [[ -f "$here/$g/go.sum" ]] && sum="$(sha256sum "$here/$g/go.sum" | cut -c1-16)"
  echo "$g $(version_of "$g") gosum=$sum go=$(go env GOVERSION 2>/dev/null || echo unknown)"
}

all_bins=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy etcd kwok)

# Fast path: everything cached and stamped, no asset folder to consult.
complete_stamp="$cache_dir/.complete"
want_complete="$(for g in kube etcd kwok; do expected_stamp "$g"; done)"
if [[ -z "$assets_dir" && -f "$complete_stamp" && "$(cat "$complete_stamp")" == "$want_complete" ]]; then
  for b in "${all_bins[@]}"; do
    [[ -x "$cache_dir/$b" ]] || { rm -f "$complete_stamp"; break; }
  done
  if [[ -f "$complete_stamp" ]]; then
    for b in "${all_bins[@]}"; do echo "BIN $b $cache_dir/$b"; done
    exit 0
  fi
fi

resolve() { # prints the path of a usable binary, or nothing
  local b="$1" g
  if [[ -n "$assets_dir" && -x "$assets_dir/$b" ]]; then echo "$(cd "$assets_dir" && pwd)/$b"; return; fi
  g="$(group_of "$b")"
  if [[ -x "$cache_dir/$b" && -f "$cache_dir/.stamp-$b" && "$(cat "$cache_dir/.stamp-$b")" == "$(expected_stamp "$g")" ]]; then
    echo "$cache_dir/$b"
  fi
}

missing=()
for b in "${all_bins[@]}"; do [[ -z "$(resolve "$b")" ]] && missing+=("$b"); done

if ((${#missing[@]} > 0)); then
  if $check_only; then log "would build: ${missing[*]}"; exit 3; fi
  mkdir -p "$cache_dir"
  # Two callers (a background build and a test run) must not build into the same folder at
  # once: the second waits, then finds the binaries cached.
  exec 9>"$cache_dir/.lock"
  if ! flock -n 9; then
    log "another build holds $cache_dir/.lock; waiting for it"
    flock 9
  fi
  missing=()
  for b in "${all_bins[@]}"; do [[ -z "$(resolve "$b")" ]] && missing+=("$b"); done
fi

if ((${#missing[@]} > 0)); then
  log "building ${missing[*]} with $(go env GOVERSION) into $cache_dir (takes minutes on 2 cores the first time)"
  start_s=$SECONDS
  tmp_out="$(mktemp -d "$cache_dir/.build.XXXXXX")"
  trap 'rm -rf "$tmp_out"' EXIT
  for g in kube etcd kwok; do
    pkgs=()
    ldflags="-s -w"
    for b in "${missing[@]}"; do
      [[ "$(group_of "$b")" == "$g" ]] || continue
      case "$b" in
        kube-*|kubelet) pkgs+=("k8s.io/kubernetes/cmd/$b") ;;
        etcd) pkgs+=(".") ;;
        kwok) pkgs+=("sigs.k8s.io/kwok/cmd/kwok") ;;
      esac
    done
    ((${#pkgs[@]} > 0)) || continue
    if [[ ! -f "$here/$g/go.sum" ]]; then
      # First build of a freshly edited module: resolve and record dependencies. Commit go.sum.
      log "$g: go.sum missing, running go mod tidy"
      (cd "$here/$g" && go mod tidy)
    fi
    case "$g" in
      kube)
        # What hack/lib/version.sh stamps into release builds; without it the API server
        # reports v0.0.0-master, which confuses clients that check the server version.
        minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
        for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
          ldflags+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
        done ;;
      # kwok's version is a constant in its source (pkg/consts), nothing to stamp.
    esac
    g_start=$SECONDS
    log "$g: go build ${pkgs[*]}"
    if [[ "${pkgs[*]}" == "." ]]; then
      (cd "$here/$g" && go build -trimpath -ldflags="$ldflags" -o "$tmp_out/etcd" .)
    else
      (cd "$here/$g" && go build -trimpath -ldflags="$ldflags" -o "$tmp_out/" "${pkgs[@]}")
    fi
    log "$g: built in $((SECONDS - g_start)) s"
    stamp="$(expected_stamp "$g")" # after tidy, so it covers the go.sum actually used
    for b in "${missing[@]}"; do
      [[ "$(group_of "$b")" == "$g" ]] || continue
      mv -f "$tmp_out/$b" "$cache_dir/$b"
      echo "$stamp" > "$cache_dir/.stamp-$b"
    done
  done
  log "build finished in $((SECONDS - start_s)) s"
fi

status=0
complete=true
for b in "${all_bins[@]}"; do
  p="$(resolve "$b")"
  if [[ -z "$p" ]]; then log "missing: $b"; status=1; complete=false; continue; fi
  [[ "$p" == "$cache_dir/$b" ]] || complete=false
  echo "BIN $b $p"
done
if $complete; then
  printf '%s\n' "$(for g in kube etcd kwok; do expected_stamp "$g"; done)" > "$complete_stamp"
fi
exit $status
