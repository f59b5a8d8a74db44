#!/usr/bin/env bash
# Fetches (once) and caches cert-manager's CustomResourceDefinitions (CERT_MANAGER_VERSION in
# versions.env), so the operator's tests apply Certificates against cert-manager's real schema.
# Like build-traefik.sh it only uses the Go module proxy: `go mod download` of the cert-manager
# module, whose source carries the generated CRDs in deploy/crds/. They are copied to
#   ${MCP_RUNTIME_CACHE:-$HOME/.cache/mcp-runtime}/cert-manager/<version>/crds/
# Nothing of cert-manager is committed to this repository, and cert-manager itself is not run.
#
# Output: "DIR cert-manager-crds <absolute path>" on stdout; progress on stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
export GOTOOLCHAIN=local
# Outside any module: -mod=mod lets `go mod download` fetch a module by path@version.
export GOFLAGS="${GOFLAGS:--mod=mod}"
log() { echo "[cert-manager] $*" >&2; }

cache_dir="${MCP_RUNTIME_CACHE:-$HOME/.cache/mcp-runtime}/cert-manager/$CERT_MANAGER_VERSION"
crds="$cache_dir/crds"
stamp_file="$cache_dir/.stamp"
cached() { [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "cert-manager $CERT_MANAGER_VERSION" && -f "$crds/cert-manager.io_certificates.yaml" ]]; }

if cached; then echo "DIR cert-manager-crds $crds"; exit 0; fi

mkdir -p "$cache_dir"
exec 9>"$cache_dir/.lock"
flock 9
if cached; then echo "DIR cert-manager-crds $crds"; exit 0; fi

log "downloading github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION from the Go module proxy"
src="$(cd "$cache_dir" && go mod download -json "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n "$src" && -f "$src/deploy/crds/cert-manager.io_certificates.yaml" ]] || { log "could not download cert-manager $CERT_MANAGER_VERSION (or it has no deploy/crds)"; exit 1; }
rm -rf "$crds.tmp"
mkdir -p "$crds.tmp"
cp "$src"/deploy/crds/*.yaml "$crds.tmp/"
chmod -R u+w "$crds.tmp"
rm -rf "$crds"
mv "$crds.tmp" "$crds"
echo "cert-manager $CERT_MANAGER_VERSION" > "$stamp_file"
log "cached in $crds"
echo "DIR cert-manager-crds $crds"
