/**
 * How the public path (`ingressPath`, default `/<name>/mcp`) reaches the path the container
 * serves (`containerPath`, default `/mcp`). The rule, in order:
 *
 *   1. ingressPath == containerPath          → nothing to do (`none`).
 *   2. ingressPath ends with containerPath   → strip the leading part (`strip`):
 *        /weather/mcp → strip /weather → /mcp;  /weather/mcp/x → /mcp/x.
 *   3. otherwise                              → replace the whole prefix (`replace`):
 *        regex ^<ingressPath>(.*) → <containerPath>$1, e.g. /tools/weather → /mcp.
 *
 * Trailing slashes are ignored on both sides, and `/` is the empty prefix: a container serving
 * `/` gets the whole ingressPath stripped. Kubernetes Prefix matching is per path element, so
 * `/weather/mcp` never matches `/weather/mcpx`, and the regex needs no boundary of its own.
 *
 * Only Traefik applies it (a `Middleware`); other ingress classes pass the path unchanged, and
 * resolveServer() warns when that means the container sees a path it does not serve.
 */
export type PathRewrite =
  | { readonly kind: 'none' }
  | { readonly kind: 'strip'; readonly prefix: string }
  | { readonly kind: 'replace'; readonly regex: string; readonly replacement: string };

const trimSlash = (path: string): string => path.replace(/\/+$/, '');

/** RE2 (Go) metacharacters, escaped so the path matches literally. */
const escapeRegex = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

export function pathRewrite(ingressPath: string, containerPath: string): PathRewrite {
  const publicPath = trimSlash(ingressPath);
  const served = trimSlash(containerPath);
  if (publicPath === served) return { kind: 'none' };
  if (publicPath.endsWith(served) && publicPath.length > served.length) {
    return { kind: 'strip', prefix: publicPath.slice(0, publicPath.length - served.length) };
  }
  // `$` in the replacement would start a group reference in Go's regexp; `$$` is a literal `$`.
  return { kind: 'replace', regex: `^${escapeRegex(publicPath)}(.*)`, replacement: `${served.replace(/\$/g, '$$$$')}$1` };
}
