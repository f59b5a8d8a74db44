#!/usr/bin/env bash
# Builds (once) and caches the images a real node needs and cannot pull (no registry outside
# the package mirrors is reachable here), as OCI archives containerd imports:
#   pause     the pod sandbox image: Kubernetes' own pause.c (from the k8s.io/kubernetes module
#             of K8S_VERSION) compiled with gcc -static, FROM scratch, user 65535
#   node      a Node.js runtime base: FROM scratch + this host's `node` binary + the libraries
#             ldd lists; the example servers are built on it
#   registry  the platform registry: Debian's docker-registry (the CNCF distribution registry,
#             the program of the registry:2 image) + its libraries, with registry:2's config
#   node-build  a stand-in for node:20-bookworm-slim, the platform Dockerfile's base: the node
#             base plus what the Dockerfile's steps run (npm, sh, env, ln) and this host's CA
#             bundle (npm ci reaches the registry through it); user root, as on node:20
# Cache: ${MCP_RUNTIME_CACHE:-$HOME/.cache/mcp-runtime}/images/<key>-<stamp>.oci.tar
# Output: "IMAGE <key> <reference> <archive>" per image on stdout; progress on stderr.
# Usage: build-images.sh [pause] [node] [registry] [node-build]   (default: the first three)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:--buildvcs=false}"
log() { echo "[images] $*" >&2; }

cache_dir="${MCP_RUNTIME_CACHE:-$HOME/.cache/mcp-runtime}/images"
mkdir -p "$cache_dir"
exec 9>"$cache_dir/.lock"
if ! flock -n 9; then log "another build holds $cache_dir/.lock; waiting for it"; flock 9; fi

# Copies a dynamically linked binary and every library ldd names (with the loader) under $2.
copy_with_libs() {
  local bin="$1" root="$2" dest="$3"
  mkdir -p "$root$(dirname "$dest")"
  cp -L "$bin" "$root$dest"
  ldd "$bin" | grep -oE '/[^ ]+' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

# build <key> <reference> <stamp> <context dir with Containerfile>: podman build + save, cached.
build() {
  local key="$1" ref="$2" stamp="$3" archive="$cache_dir/$1-$3.oci.tar"
  if [[ -s "$archive" ]]; then echo "IMAGE $key $ref $archive"; return; fi
  local ctx; ctx="$(mktemp -d)"
  local start=$SECONDS
  "prepare_${key//-/_}" "$ctx"
  podman build --quiet --network none -t "$ref" -f "$ctx/Containerfile" "$ctx" >/dev/null
  podman save --format oci-archive -o "$archive.tmp" "$ref" 2>/dev/null
  mv -f "$archive.tmp" "$archive"
  rm -rf "$ctx"
  log "$key: built $ref in $((SECONDS - start)) s ($(du -h "$archive" | cut -f1))"
  echo "IMAGE $key $ref $archive"
}

prepare_pause() {
  local ctx="$1" src
  src="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -f "$src/build/pause/linux/pause.c" ]] || { log "pause.c not found in k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  gcc -Os -Wall -Werror -static -DVERSION="$K8S_VERSION" -o "$ctx/pause" "$src/build/pause/linux/pause.c"
  strip "$ctx/pause"
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' > "$ctx/Containerfile"
}

prepare_node() {
  local ctx="$1"
  copy_with_libs "$(command -v node)" "$ctx/rootfs" /usr/local/bin/node
  mkdir -p "$ctx/rootfs/tmp"
  chmod 1777 "$ctx/rootfs/tmp"
  # CMD, not ENTRYPOINT: images built on it give `CMD ["node", "dist/server.js"]` as they would on node:20.
  printf 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin\nUSER 65532:65532\nCMD ["node"]\n' > "$ctx/Containerfile"
}

prepare_node_build() {
  local ctx="$1" root="$1/rootfs" tool
  copy_with_libs "$(command -v node)" "$root" /usr/local/bin/node
  for tool in sh env ln; do copy_with_libs "$(command -v "$tool")" "$root" "/usr/bin/$tool"; done
  mkdir -p "$root/bin" "$root/usr/local/lib/node_modules" "$root/etc/ssl/certs" "$root/root" "$root/tmp"
  ln -s /usr/bin/sh "$root/bin/sh"
  chmod 1777 "$root/tmp"
  cp -a "$(npm root -g)/npm" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
  printf 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\nCMD ["node"]\n' > "$ctx/Containerfile"
}

prepare_registry() {
  local ctx="$1"
  copy_with_libs "$(command -v docker-registry)" "$ctx/rootfs" /bin/registry
  mkdir -p "$ctx/rootfs/etc/docker/registry" "$ctx/rootfs/var/lib/registry"
  # registry:2's own configuration; the platform's Deployment overrides address and storage by env.
  cat > "$ctx/rootfs/etc/docker/registry/config.yml" <<'YAML'
version: 0.1
log:
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
YAML
  printf 'FROM scratch\nCOPY rootfs/ /\nEXPOSE 5000\nENTRYPOINT ["/bin/registry"]\nCMD ["serve", "/etc/docker/registry/config.yml"]\n' > "$ctx/Containerfile"
}

keys=("$@")
((${#keys[@]} > 0)) || keys=(pause node registry)
for key in "${keys[@]}"; do
  case "$key" in
    pause) build pause "localhost/mcp-runtime/pause:$K8S_VERSION" "$K8S_VERSION" ;;
    node)
      node_bin="$(command -v node)"
      build node "localhost/mcp-runtime/node:$(node --version)" "$(node --version)-$(sha256sum "$node_bin" | cut -c1-12)-2" ;;
    registry)
      registry_bin="$(command -v docker-registry)" || { log "docker-registry is not installed (apt-get install docker-registry)"; exit 1; }
      build registry "localhost/mcp-runtime/registry:$(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null | tr '+~:' '---' || echo local)" \
        "$(sha256sum "$registry_bin" | cut -c1-12)" ;;
    node-build)
      node_bin="$(command -v node)"
      build node-build "localhost/mcp-runtime/node-build:$(node --version)" \
        "$(node --version)-$(sha256sum "$node_bin" | cut -c1-12)-npm$(npm --version)-$(sha256sum /etc/ssl/certs/ca-certificates.crt | cut -c1-12)-1" ;;
    *) log "unknown image $key (pause, node, registry, node-build)"; exit 2 ;;
  esac
done
