#!/usr/bin/env bash
# Builds (once) and caches Traefik (TRAEFIK_VERSION in versions.env), the ingress controller the
# real-node cluster runs as a host process. Like build-binaries.sh it only uses the Go module
# proxy and the local toolchain, and caches the binary by version under
#   ${MCP_RUNTIME_CACHE:-$HOME/.cache/mcp-runtime}/traefik/<version>/traefik
# Traefik's go.mod carries `replace` lines, which only apply when Traefik is the main module, so
# it cannot be built as a dependency of a module of ours: we build inside a writable copy of its
# own module source (from the module cache after `go mod download`). Nothing of Traefik is
# committed to this repository.
#
# Output: "BIN traefik <absolute path>" on stdout; progress on stderr.
# Options: --check  only report (exit 3 if a build would be needed).
# MCP_RUNTIME_TRAEFIK: path of a pre-built traefik binary to use as is.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
log() { echo "[traefik] $*" >&2; }

if [[ -n "${MCP_RUNTIME_TRAEFIK:-}" ]]; then
  [[ -x "$MCP_RUNTIME_TRAEFIK" ]] || { log "MCP_RUNTIME_TRAEFIK=$MCP_RUNTIME_TRAEFIK is not an executable file"; exit 1; }
  echo "BIN traefik $(cd "$(dirname "$MCP_RUNTIME_TRAEFIK")" && pwd)/$(basename "$MCP_RUNTIME_TRAEFIK")"
  exit 0
fi

cache_dir="${MCP_RUNTIME_CACHE:-$HOME/.cache/mcp-runtime}/traefik/$TRAEFIK_VERSION"
bin="$cache_dir/traefik"
stamp_file="$cache_dir/.stamp"
expected_stamp() { echo "traefik $TRAEFIK_VERSION go=$(go env GOVERSION 2>/dev/null || echo unknown)"; }
cached() { [[ -x "$bin" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$(expected_stamp)" ]]; }

if cached; then echo "BIN traefik $bin"; exit 0; fi
if [[ "${1:-}" == "--check" ]]; then log "would build traefik $TRAEFIK_VERSION"; exit 3; fi

mkdir -p "$cache_dir"
# A background build and a test run must not build into the same folder at once: the second
# waits for the first, then finds the binary cached.
exec 9>"$cache_dir/.lock"
if ! flock -n 9; then
  log "another build holds $cache_dir/.lock; waiting for it"
  flock 9
fi
if cached; then echo "BIN traefik $bin"; exit 0; fi

start_s=$SECONDS
log "building traefik $TRAEFIK_VERSION with $(go env GOVERSION) (takes ~6 minutes and ~3.5 GB of memory on 2 cores the first time)"
src="$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n "$src" && -f "$src/go.mod" ]] || { log "could not download github.com/traefik/traefik/v3@$TRAEFIK_VERSION"; exit 1; }
work="$(mktemp -d "$cache_dir/.build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# The module cache is read-only; the copy lets `go build` write go.sum updates if it must.
cp -r "$src/." "$work/src"
chmod -R u+w "$work/src"
(
  cd "$work/src"
  go build -trimpath \
    -ldflags="-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION -X github.com/traefik/traefik/v3/pkg/version.Codename=mcp-runtime-local" \
    -o "$work/traefik" ./cmd/traefik
)
mv -f "$work/traefik" "$bin"
expected_stamp > "$stamp_file"
log "built in $((SECONDS - start_s)) s: $bin"
echo "BIN traefik $bin"
