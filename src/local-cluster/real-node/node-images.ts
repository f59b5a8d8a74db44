import { runControlPlaneScript } from '../binaries.js';
import type { LogFn } from '../types.js';

/** The images a real node needs (build-images.sh's default). */
export const NODE_IMAGE_KEYS = ['pause', 'node', 'registry'] as const;
/** …and `node-build`, the stand-in for the platform Dockerfile's base (platform-image.ts). */
export type NodeImageKey = (typeof NODE_IMAGE_KEYS)[number] | 'node-build';

export interface NodeImage {
  /** The name podman gave it, e.g. localhost/mcp-runtime/pause:v1.34.4. */
  reference: string;
  /** OCI archive containerd imports. */
  archive: string;
}

/** Builds (or finds cached) the images a real node cannot pull: see scripts/control-plane/build-images.sh. */
export async function obtainNodeImages<K extends NodeImageKey = (typeof NODE_IMAGE_KEYS)[number]>(
  log: LogFn,
  keys: readonly K[] = NODE_IMAGE_KEYS as readonly NodeImageKey[] as readonly K[],
): Promise<Record<K, NodeImage>> {
  const out = await runControlPlaneScript('build-images.sh', [...keys], log);
  const images = {} as Record<K, NodeImage>;
  for (const line of out.split('\n')) {
    const m = /^IMAGE (\S+) (\S+) (.+)$/.exec(line.trim());
    if (m && (keys as readonly string[]).includes(m[1]!)) images[m[1] as K] = { reference: m[2] as string, archive: m[3] as string };
  }
  for (const key of keys) if (images[key] === undefined) throw new Error(`build-images.sh did not report the ${key} image`);
  return images;
}

/** Obtains Traefik (scripts/control-plane/build-traefik.sh: cached by version, else built, ~6 min cold). */
export async function obtainTraefik(log: LogFn): Promise<string> {
  const out = await runControlPlaneScript('build-traefik.sh', [], log);
  const m = /^BIN traefik (.+)$/m.exec(out);
  if (!m?.[1]) throw new Error('build-traefik.sh did not report a traefik binary');
  return m[1].trim();
}
