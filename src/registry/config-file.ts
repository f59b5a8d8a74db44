/**
 * The CLI's own settings file, `$XDG_CONFIG_HOME/mcp-runtime/config.yaml` (default
 * `~/.config/mcp-runtime/config.yaml`). It caches the NON-secret part of `registry provision`
 * per kube context (registry URL, operator image) so `server build` can name images without
 * asking the cluster. It never holds a password or token: those live only in the cluster
 * Secret (see provision.ts). Written atomically with mode 0600.
 */
import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse, stringify } from 'yaml';

export interface CachedRegistry {
  /** Registry host with optional port and path, e.g. `reg.example.com/team`. */
  readonly url: string;
  /** Operator image given to `registry provision --operator-image`. */
  readonly operatorImage?: string;
}

export interface CliConfig {
  contexts?: Record<string, { registry?: CachedRegistry }>;
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(base, 'mcp-runtime', 'config.yaml');
}

export async function readCliConfig(path: string = configFilePath()): Promise<CliConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const parsed = parse(text) as unknown;
  return parsed !== null && typeof parsed === 'object' ? (parsed as CliConfig) : {};
}

/** The registry cached for a kube context (undefined when none was provisioned from this machine). */
export async function cachedRegistry(context: string | undefined, path: string = configFilePath()): Promise<CachedRegistry | undefined> {
  if (context === undefined) return undefined;
  const registry = (await readCliConfig(path)).contexts?.[context]?.registry;
  return registry !== undefined && typeof registry.url === 'string' && registry.url !== '' ? registry : undefined;
}

/** Only these keys are ever written: a guard against a secret sneaking in through a spread. */
function nonSecret(registry: CachedRegistry): CachedRegistry {
  return { url: registry.url, ...(registry.operatorImage === undefined ? {} : { operatorImage: registry.operatorImage }) };
}

export async function cacheRegistry(context: string, registry: CachedRegistry, path: string = configFilePath()): Promise<void> {
  const config = await readCliConfig(path);
  config.contexts = { ...(config.contexts ?? {}), [context]: { ...(config.contexts?.[context] ?? {}), registry: nonSecret(registry) } };
  const text =
    '# Written by mcp-runtime. No secrets here: registry passwords are kept only in the cluster\n' +
    '# Secret mcp-runtime/mcp-runtime-registry.\n' +
    stringify(config);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
