/**
 * `registry provision`: remembers an external registry in the cluster, as the Secret
 * `mcp-runtime-registry` in namespace `mcp-runtime` (type Opaque; keys `url`, `username`,
 * `password`). The cluster is the only place the password is stored: never a dotfile, never
 * a log line, never command output. `setup` reads the non-secret part back with
 * readProvisionedRegistry() and points the operator's PROVISIONED_REGISTRY_PASSWORD at the
 * Secret with a secretKeyRef, so the password is not copied anywhere else either.
 */
import { normalizeRegistry, parseImageReference, registryHost } from '../images/reference.js';
import { isConflict, isNotFound, type Query } from '../runtime/kube-http.js';
import { RegistryStateError, RegistryUsageError } from './errors.js';

import { PROVISIONED_REGISTRY_PASSWORD_KEY, PROVISIONED_REGISTRY_SECRET } from '../../charts-ts/platform/options.js';

export const PROVISIONED_REGISTRY_NAMESPACE = 'mcp-runtime';
// One name for the writer (here) and the readers (setup, synth): see charts-ts/platform/options.ts.
export { PROVISIONED_REGISTRY_SECRET };
/** Keys of the Secret. */
export const PROVISIONED_REGISTRY_KEYS = { url: 'url', username: 'username', password: PROVISIONED_REGISTRY_PASSWORD_KEY } as const;
/** Annotation carrying the operator image given to `registry provision --operator-image` (not secret). */
export const OPERATOR_IMAGE_ANNOTATION = 'mcp.agent-hellboy.io/operator-image';
export const CLI_FIELD_MANAGER = 'mcp-runtime-cli';

/**
 * The one method these functions need from a Kubernetes client: src/runtime/kube-http.ts's
 * KubeClient and src/kube's KubeRest both fit. Errors must carry the HTTP status as `code`.
 */
export interface KubeRequester {
  request<T = unknown>(
    method: string,
    path: string,
    options?: { query?: Query; body?: unknown; contentType?: string; timeoutMs?: number },
  ): Promise<T>;
}

export interface ProvisionInput {
  /** Registry host with optional port and path; a scheme and trailing slash are removed. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly operatorImage?: string;
}

/** What readProvisionedRegistry returns: everything but the password, plus where the password is. */
export interface ProvisionedRegistryRef {
  readonly url: string;
  readonly username?: string;
  /** Name of the Secret (in `namespace`); the password is its key `password`. */
  readonly secretName: string;
  readonly namespace: string;
  /** The Secret key holding the password, for a secretKeyRef. */
  readonly passwordKey: string;
  /** True when the Secret holds a (non-empty) password. */
  readonly hasPassword: boolean;
  readonly operatorImage?: string;
}

export interface SecretManifest {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  type: 'Opaque';
  data: Record<string, string>;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** Validates and normalizes the input; throws RegistryUsageError with what is wrong. */
export function validateProvisionInput(input: ProvisionInput): ProvisionInput {
  const url = normalizeRegistry(input.url);
  if (url === '') throw new RegistryUsageError('--url is empty: pass the registry host, e.g. --url reg.example.com or --url reg.example.com:5000/team.');
  try {
    // A registry with a path is valid exactly when "<url>/x" is a valid image name with that registry.
    const ref = parseImageReference(`${url}/x`);
    if (ref.registry === undefined || ref.registry !== registryHost(url)) throw new Error('the first part is not a host');
  } catch (error) {
    throw new RegistryUsageError(`--url "${input.url}" is not a registry address (host[:port][/path]): ${(error as Error).message}`);
  }
  if (input.password !== undefined && input.password !== '' && (input.username === undefined || input.username === '')) {
    throw new RegistryUsageError('A password was given without --username.');
  }
  if (input.operatorImage !== undefined) {
    try {
      parseImageReference(input.operatorImage);
    } catch (error) {
      throw new RegistryUsageError(`--operator-image: ${(error as Error).message}`);
    }
  }
  return {
    url,
    ...(input.username === undefined || input.username === '' ? {} : { username: input.username }),
    ...(input.password === undefined || input.password === '' ? {} : { password: input.password }),
    ...(input.operatorImage === undefined ? {} : { operatorImage: input.operatorImage }),
  };
}

/** The Secret for an external registry. Pure. */
export function provisionedRegistrySecret(
  input: ProvisionInput,
  options: { name?: string; namespace?: string } = {},
): SecretManifest {
  const data: Record<string, string> = { [PROVISIONED_REGISTRY_KEYS.url]: b64(normalizeRegistry(input.url)) };
  if (input.username !== undefined) data[PROVISIONED_REGISTRY_KEYS.username] = b64(input.username);
  if (input.password !== undefined) data[PROVISIONED_REGISTRY_KEYS.password] = b64(input.password);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: options.name ?? PROVISIONED_REGISTRY_SECRET,
      namespace: options.namespace ?? PROVISIONED_REGISTRY_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': 'mcp-runtime', 'app.kubernetes.io/component': 'registry-credentials' },
      ...(input.operatorImage === undefined ? {} : { annotations: { [OPERATOR_IMAGE_ANNOTATION]: input.operatorImage } }),
    },
    type: 'Opaque',
    data,
  };
}

export interface ProvisionResult {
  readonly secretName: string;
  readonly namespace: string;
  readonly createdNamespace: boolean;
}

/**
 * Stores the registry in the cluster (server-side apply, so a second provision replaces the
 * first, and keys no longer given are removed). Creates the namespace when it is missing.
 */
export async function provisionRegistry(client: KubeRequester, raw: ProvisionInput): Promise<ProvisionResult> {
  const input = validateProvisionInput(raw);
  const namespace = PROVISIONED_REGISTRY_NAMESPACE;
  let createdNamespace = false;
  try {
    await client.request('GET', `/api/v1/namespaces/${namespace}`);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await client.request('POST', '/api/v1/namespaces', {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': 'mcp-runtime' } } },
      });
      createdNamespace = true;
    } catch (createError) {
      if (!isConflict(createError)) throw createError; // created meanwhile (e.g. by setup)
    }
  }
  const secret = provisionedRegistrySecret(input);
  await client.request('PATCH', `/api/v1/namespaces/${namespace}/secrets/${secret.metadata.name}`, {
    query: { fieldManager: CLI_FIELD_MANAGER, force: true },
    contentType: 'application/apply-patch+yaml',
    body: secret,
  });
  return { secretName: secret.metadata.name, namespace, createdNamespace };
}

interface SecretObject {
  metadata?: { annotations?: Record<string, string> };
  data?: Record<string, string>;
}

/**
 * The provisioned registry (without its password), or undefined when none was provisioned.
 * For `setup`: PROVISIONED_REGISTRY_URL = url, PROVISIONED_REGISTRY_USERNAME = username,
 * PROVISIONED_REGISTRY_PASSWORD from secretKeyRef {name: secretName, key: passwordKey}.
 */
export async function readProvisionedRegistry(
  client: KubeRequester,
  options: { name?: string; namespace?: string } = {},
): Promise<ProvisionedRegistryRef | undefined> {
  const name = options.name ?? PROVISIONED_REGISTRY_SECRET;
  const namespace = options.namespace ?? PROVISIONED_REGISTRY_NAMESPACE;
  let secret: SecretObject;
  try {
    secret = await client.request<SecretObject>('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const text = (key: string): string | undefined => {
    const value = secret.data?.[key];
    if (value === undefined) return undefined;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded === '' ? undefined : decoded;
  };
  const url = text(PROVISIONED_REGISTRY_KEYS.url);
  if (url === undefined) {
    throw new RegistryStateError(`Secret ${namespace}/${name} has no "url" key: re-run \`mcp-runtime registry provision --url <registry>\`.`);
  }
  const username = text(PROVISIONED_REGISTRY_KEYS.username);
  const operatorImage = secret.metadata?.annotations?.[OPERATOR_IMAGE_ANNOTATION];
  return {
    url: normalizeRegistry(url),
    ...(username === undefined ? {} : { username }),
    secretName: name,
    namespace,
    passwordKey: PROVISIONED_REGISTRY_KEYS.password,
    hasPassword: (secret.data?.[PROVISIONED_REGISTRY_KEYS.password] ?? '') !== '',
    ...(operatorImage === undefined || operatorImage === '' ? {} : { operatorImage }),
  };
}

/**
 * Where the password comes from, in order: stdin (`--password-stdin`), the environment
 * variable MCP_RUNTIME_REGISTRY_PASSWORD, then `--password` (discouraged: it lands in shell
 * history and `ps`). Trailing newlines from stdin are removed (`echo $P | ...`).
 */
export const PASSWORD_ENV = 'MCP_RUNTIME_REGISTRY_PASSWORD';

export interface PasswordSources {
  readonly stdin?: string;
  readonly env?: string;
  readonly flag?: string;
}

export function choosePassword(sources: PasswordSources): { password?: string; source?: 'stdin' | 'env' | 'flag' } {
  if (sources.stdin !== undefined) {
    const password = sources.stdin.replace(/\r?\n$/, '');
    if (password === '') throw new RegistryUsageError('--password-stdin was given but stdin was empty.');
    return { password, source: 'stdin' };
  }
  if (sources.env !== undefined && sources.env !== '') return { password: sources.env, source: 'env' };
  if (sources.flag !== undefined && sources.flag !== '') return { password: sources.flag, source: 'flag' };
  return {};
}
