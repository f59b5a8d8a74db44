/**
 * The errors of the Kubernetes access layer, one type per way a request can fail, shared by the
 * operator and the CLI (src/cli/errors.ts turns them into messages and exit codes):
 *
 * - ApiError: the API server answered with a non-2xx status (its Status object attached);
 * - KubeUnreachableError: no answer at all (connection refused, DNS, TLS, timeout);
 * - NotKubernetesError: something answered, but it is not a Kubernetes API server (an HTML page);
 * - KindNotServedError: discovery says the API server does not serve a kind.
 *
 * Plain classes (no @kubernetes/client-node import), so the CLI can recognise them without
 * loading the client.
 */

/** metav1.Status, the body of every API error. */
export interface Status {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** A non-2xx answer (or an ERROR watch event), with the API server's Status when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: Status | undefined,
    readonly method: string,
    readonly path: string,
    /** The API server's URL, for messages ('' when unknown). */
    readonly server = '',
  ) {
    super(`${method} ${path}: ${code} ${status?.reason ?? ''}${status?.message !== undefined ? `: ${status.message}` : ''}`.trim());
    this.name = 'ApiError';
  }

  get reason(): string | undefined {
    return this.status?.reason;
  }
}

/** No answer at all: connection refused, DNS failure, TLS failure, timeout. */
export class KubeUnreachableError extends Error {
  constructor(
    readonly server: string,
    readonly context: string,
    /** The system error code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ETIMEDOUT, ...). */
    readonly errorCode: string | undefined,
    detail: string,
  ) {
    super(`cannot reach the Kubernetes API server ${server} (context "${context}"): ${detail}`);
    this.name = 'KubeUnreachableError';
  }
}

/** The endpoint answered, but not as a Kubernetes API server does (HTML, a different JSON API). */
export class NotKubernetesError extends Error {
  constructor(
    readonly server: string,
    /** What came back instead, in a few words ("an HTML page (HTTP 200)"). */
    readonly answer: string,
  ) {
    super(`not a Kubernetes API server at ${server}: it answered with ${answer}; check the server URL of the kubeconfig's cluster`);
    this.name = 'NotKubernetesError';
  }
}

/** The API group/version does not serve the kind (e.g. the CRD is not installed). */
export class KindNotServedError extends Error {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`the API server does not serve ${kind} (${apiVersion})`);
    this.name = 'KindNotServedError';
  }
}

/**
 * HTTP status of an error from this client (`code`), from client-node's ApiException (`code`)
 * or from client-node's Watch (`statusCode`); undefined for network errors.
 */
export function errorCode(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

export const isNotFound = (error: unknown): boolean => errorCode(error) === 404;
export const isConflict = (error: unknown): boolean => errorCode(error) === 409;
export const isGone = (error: unknown): boolean => errorCode(error) === 410;
export const isForbidden = (error: unknown): boolean => errorCode(error) === 403 || errorCode(error) === 401;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ESOCKETTIMEDOUT',
]);

function isTlsCode(code: string): boolean {
  return code.startsWith('ERR_TLS') || code.includes('CERT') || code.includes('SELF_SIGNED');
}

export function isNetworkErrorCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return NETWORK_CODES.has(code) || isTlsCode(code);
}

/** What a network error code means, in words (for KubeUnreachableError). */
export function describeNetworkError(code: string | undefined, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the cluster running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return 'the request timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host';
    default:
      if (code !== undefined && isTlsCode(code)) {
        return `TLS verification failed (${code}): the kubeconfig's certificate authority does not match the server`;
      }
      return message;
  }
}

/**
 * The error a failed request becomes: network failures and request timeouts turn into
 * KubeUnreachableError naming the server and context; anything else is returned as it is.
 */
export function unreachableOr(error: unknown, server: string, context: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = (error as Error | undefined)?.message ?? String(error);
  if (typeof code === 'string' && isNetworkErrorCode(code)) {
    return new KubeUnreachableError(server, context, code, describeNetworkError(code, message));
  }
  if (/ timed out after \d+ ms$/.test(message)) return new KubeUnreachableError(server, context, 'ETIMEDOUT', `no answer: ${message}`);
  return error;
}
