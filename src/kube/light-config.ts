/**
 * A kubeconfig reader for long-running processes (the operator) that need the API server's
 * address and credentials but none of @kubernetes/client-node's generated API classes:
 * importing client-node loads its whole generated client (~45 MB of RSS, measured with
 * `node -e "await import('@kubernetes/client-node')"` against bare node), while this reads the
 * same files with the `yaml` package.
 *
 * It handles what an operator meets in practice: the in-cluster ServiceAccount (token file +
 * CA), and kubeconfig files with a CA, client certificates, a token or token file, or basic
 * auth. Anything else (auth-provider, exec plugins, proxy-url, impersonation) falls back to
 * client-node's KubeConfig, loaded only then, so no kubeconfig that worked before stops working.
 *
 * Files named in the kubeconfig (CA, client certificate and key, token file) are re-read at
 * most once a minute: kubelet rotates projected ServiceAccount tokens, cert-manager rotates
 * certificates.
 */
import { readFileSync } from 'node:fs';
import type { RequestOptions as HttpsRequestOptions } from 'node:https';
import { isIPv6 } from 'node:net';
import { dirname, isAbsolute, join } from 'node:path';
import type { KubeConnection } from '../runtime/kube-http.js';
import { kubeconfigSource, loadKubeConfig, noClusterError, type KubeTarget } from './config.js';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** How long a file's content is reused before it is read again. */
const FILE_TTL_MS = 60_000;

interface ClusterEntry {
  server: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  ca?: Material;
}

interface UserEntry {
  name: string;
  token?: Material;
  cert?: Material;
  key?: Material;
  username?: string;
  password?: string;
}

/** Inline data (base64 in the kubeconfig) or a file re-read after FILE_TTL_MS. */
class Material {
  private cached: { value: Buffer; readAt: number } | undefined;

  private constructor(
    private readonly data: Buffer | undefined,
    private readonly file: string | undefined,
  ) {}

  static inline(value: Buffer): Material {
    return new Material(value, undefined);
  }

  static file(path: string): Material {
    return new Material(undefined, path);
  }

  value(now = Date.now()): Buffer {
    if (this.data !== undefined) return this.data;
    if (this.cached === undefined || now - this.cached.readAt >= FILE_TTL_MS) {
      this.cached = { value: readFileSync(this.file as string), readAt: now };
    }
    return this.cached.value;
  }
}

/** What the light reader does not handle; any of these sends the caller to client-node. */
const UNSUPPORTED_USER_KEYS = ['auth-provider', 'exec', 'as', 'as-uid', 'as-groups', 'as-user-extra'];
const UNSUPPORTED_CLUSTER_KEYS = ['proxy-url'];

/** An address and credentials read without @kubernetes/client-node. */
export class LightKubeConfig implements KubeConnection {
  constructor(
    private readonly contextName: string,
    private readonly cluster: ClusterEntry,
    private readonly user: UserEntry,
  ) {}

  getCurrentContext(): string {
    return this.contextName;
  }

  getCurrentCluster(): { server: string; skipTLSVerify: boolean } {
    return { server: this.cluster.server, skipTLSVerify: this.cluster.skipTLSVerify };
  }

  /** The same options client-node's applyToHTTPSOptions sets for these credentials. */
  async applyToHTTPSOptions(options: HttpsRequestOptions): Promise<void> {
    const { cluster, user } = this;
    if (cluster.skipTLSVerify) options.rejectUnauthorized = false;
    if (cluster.tlsServerName !== undefined) options.servername = cluster.tlsServerName;
    if (cluster.ca !== undefined) options.ca = cluster.ca.value();
    if (user.cert !== undefined) options.cert = user.cert.value();
    if (user.key !== undefined) options.key = user.key.value();
    const headers = (options.headers ?? {}) as Record<string, string>;
    if (user.token !== undefined) headers.Authorization = `Bearer ${user.token.value().toString('utf8').trim()}`;
    options.headers = headers;
    if (user.username !== undefined) options.auth = `${user.username}:${user.password ?? ''}`;
  }
}

type Named<K extends string> = { name?: unknown } & Partial<Record<K, Record<string, unknown>>>;

interface ParsedFile {
  dir: string;
  currentContext?: string;
  clusters: Named<'cluster'>[];
  users: Named<'user'>[];
  contexts: Named<'context'>[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const absolute = (dir: string, file: string): string => (isAbsolute(file) ? file : join(dir, file));

function material(dir: string, fields: Record<string, unknown>, fileKey: string, dataKey: string): Material | undefined {
  const file = text(fields[fileKey]);
  if (file !== undefined) return Material.file(absolute(dir, file));
  const data = text(fields[dataKey]);
  return data === undefined ? undefined : Material.inline(Buffer.from(data, 'base64'));
}

async function parseFile(path: string): Promise<ParsedFile> {
  const { parse } = await import('yaml');
  const doc = (parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  const list = <K extends string>(key: string): Named<K>[] => (Array.isArray(doc[key]) ? (doc[key] as Named<K>[]) : []);
  return {
    dir: dirname(path),
    ...(text(doc['current-context']) === undefined ? {} : { currentContext: text(doc['current-context']) }),
    clusters: list('clusters'),
    users: list('users'),
    contexts: list('contexts'),
  };
}

/** Merges like client-node's loadFromDefault (later current-context wins, duplicate names fail). */
function merge(files: ParsedFile[]): { currentContext?: string; clusters: Map<string, [string, Record<string, unknown>]>; users: Map<string, [string, Record<string, unknown>]>; contexts: Map<string, Record<string, unknown>> } {
  const clusters = new Map<string, [string, Record<string, unknown>]>();
  const users = new Map<string, [string, Record<string, unknown>]>();
  const contexts = new Map<string, Record<string, unknown>>();
  let currentContext: string | undefined;
  const add = <V>(map: Map<string, V>, what: string, name: unknown, value: V): void => {
    if (typeof name !== 'string') return;
    if (map.has(name)) throw new Error(`Duplicate ${what}: ${name}`);
    map.set(name, value);
  };
  for (const file of files) {
    currentContext = file.currentContext ?? currentContext;
    for (const c of file.clusters) add(clusters, 'cluster', c.name, [file.dir, c.cluster ?? {}]);
    for (const u of file.users) add(users, 'user', u.name, [file.dir, u.user ?? {}]);
    for (const c of file.contexts) add(contexts, 'context', c.name, c.context ?? {});
  }
  return { ...(currentContext === undefined ? {} : { currentContext }), clusters, users, contexts };
}

function clusterEntry(dir: string, fields: Record<string, unknown>): ClusterEntry {
  if (UNSUPPORTED_CLUSTER_KEYS.some((k) => fields[k] !== undefined)) throw new Error('needs client-node');
  const tlsServerName = text(fields['tls-server-name']);
  const ca = material(dir, fields, 'certificate-authority', 'certificate-authority-data');
  return {
    server: text(fields.server) ?? '',
    skipTLSVerify: fields['insecure-skip-tls-verify'] === true,
    ...(tlsServerName === undefined ? {} : { tlsServerName }),
    ...(ca === undefined ? {} : { ca }),
  };
}

function userEntry(name: string, dir: string, fields: Record<string, unknown>): UserEntry {
  if (UNSUPPORTED_USER_KEYS.some((k) => fields[k] !== undefined)) throw new Error('needs client-node');
  // kubectl's key is tokenFile, client-node's token-file.
  const tokenFile = text(fields.tokenFile) ?? text(fields['token-file']);
  const token = text(fields.token);
  const cert = material(dir, fields, 'client-certificate', 'client-certificate-data');
  const key = material(dir, fields, 'client-key', 'client-key-data');
  const username = text(fields.username);
  const password = text(fields.password);
  return {
    name,
    // client-node sends the inline token when both are set (it is applied last).
    ...(token !== undefined ? { token: Material.inline(Buffer.from(token)) } : tokenFile !== undefined ? { token: Material.file(absolute(dir, tokenFile)) } : {}),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

/** The ServiceAccount a pod runs as, as client-node's loadFromCluster reads it. */
export function inClusterConfig(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT_DIR): LightKubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '';
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  return new LightKubeConfig(
    'inClusterContext',
    { server, skipTLSVerify: false, ca: Material.file(join(dir, 'ca.crt')) },
    { name: 'inClusterUser', token: Material.file(join(dir, 'token')) },
  );
}

/**
 * Like loadKubeConfig (same sources, same errors), but without client-node unless the
 * kubeconfig needs it (see the file comment).
 */
export async function loadKubeConnection(target: KubeTarget): Promise<KubeConnection> {
  const source = kubeconfigSource(target);
  if (source === undefined) throw noClusterError();
  if (source.kind === 'in-cluster') {
    if (target.context !== undefined && target.context !== '') return loadKubeConfig(target);
    return inClusterConfig();
  }
  const paths = source.kind === 'file' ? [source.path] : source.paths;
  // Errors (missing file, bad YAML, unknown context) are worded by loadKubeConfig.
  let files: ParsedFile[];
  try {
    files = await Promise.all(paths.map(parseFile));
  } catch {
    return loadKubeConfig(target);
  }
  try {
    const merged = merge(files);
    const contextName = target.context !== undefined && target.context !== '' ? target.context : merged.currentContext;
    const context = contextName === undefined ? undefined : merged.contexts.get(contextName);
    const cluster = context === undefined ? undefined : merged.clusters.get(String(context.cluster));
    if (contextName === undefined || context === undefined || cluster === undefined) return loadKubeConfig(target);
    const userName = String(context.user ?? '');
    const user = merged.users.get(userName);
    return new LightKubeConfig(contextName, clusterEntry(...cluster), user === undefined ? { name: userName } : userEntry(userName, ...user));
  } catch {
    // Unsupported credentials, or a problem (duplicate names) loadKubeConfig words for users.
    return loadKubeConfig(target);
  }
}
