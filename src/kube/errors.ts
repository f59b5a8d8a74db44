/**
 * Errors of the Kubernetes layer. Plain classes (no @kubernetes/client-node import) so the CLI
 * can recognise them without loading the client; src/cli/errors.ts turns them into messages
 * and exit codes.
 */

/** The `Status` object the API server returns with every failure. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}
export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
}

/** The API server answered with a non-2xx status. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: StatusBody,
    readonly method: string,
    readonly path: string,
    readonly server: string,
  ) {
    super(`${method} ${path}: ${code} ${status.reason ?? ''} ${status.message ?? ''}`.trim());
    this.name = 'KubeApiError';
  }

  get reason(): string | undefined {
    return this.status.reason;
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

/** No usable kubeconfig, unknown context, unreadable file. */
export class KubeConfigError extends Error {
  constructor(
    message: string,
    /** True when the user named something that does not exist (a context): a usage error. */
    readonly usage = false,
  ) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

/** The cluster answers but the MCPServer API (the CRD) is not installed. */
export class NotSetUpError extends Error {
  constructor(readonly server: string) {
    super(
      `the MCPServer API (mcpservers.mcp.agent-hellboy.io) is not installed on ${server}: ` +
        'run `mcp-runtime setup` (or `mcp-runtime cluster init` for just the CRD and namespaces)',
    );
    this.name = 'NotSetUpError';
  }
}

/** A named object does not exist (e.g. `server get missing`). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Waiting for a condition took longer than allowed. */
export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** What a 403 message says: who may not do what where. */
export interface Forbidden {
  user: string;
  verb: string;
  resource: string;
  group: string;
  /** Undefined at cluster scope. */
  namespace?: string;
}

const FORBIDDEN =
  /User "([^"]+)" cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/;

/** Parses the API server's RBAC denial ("User "x" cannot list resource "pods" in API group "" in the namespace "y""). */
export function parseForbidden(message: string | undefined): Forbidden | undefined {
  const m = FORBIDDEN.exec(message ?? '');
  if (m === null) return undefined;
  return {
    user: m[1] ?? '',
    verb: m[2] ?? '',
    resource: m[3] ?? '',
    group: m[4] ?? '',
    ...(m[5] !== undefined ? { namespace: m[5] } : {}),
  };
}

const VERB_OF_METHOD: Record<string, string> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Best guess at the RBAC verb, resource and namespace of a request path when the message cannot be parsed. */
export function requestTarget(method: string, path: string): { verb: string; resource: string; namespace?: string } {
  const parts = path.split('?')[0]!.split('/').filter((p) => p !== '');
  // /api/v1/... or /apis/<group>/<version>/...
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  let namespace: string | undefined;
  let i = 0;
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    i = 2;
  }
  const resource = rest[i] ?? path;
  const named = rest.length > i + 1;
  let verb = VERB_OF_METHOD[method] ?? method.toLowerCase();
  if (method === 'GET' && !named) verb = 'list';
  return { verb, resource, ...(namespace !== undefined ? { namespace } : {}) };
}
