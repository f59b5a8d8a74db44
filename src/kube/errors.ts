/**
 * Domain errors of the Kubernetes layer as commands meet them. Plain classes (no
 * @kubernetes/client-node import) so the CLI can recognise them without loading the client;
 * src/cli/errors.ts — the one place — turns them into messages and exit codes.
 */

// The request errors (ApiError, KubeUnreachableError, NotKubernetesError, KindNotServedError)
// are the access layer's own, defined next to the client; re-exported here with the rest.
export {
  ApiError,
  isForbidden,
  isNotFound,
  KindNotServedError,
  KubeUnreachableError,
  NotKubernetesError,
  type Status,
} from '../runtime/kube-errors.js';

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

/**
 * A failure whose message is the whole story for the person at the terminal (what failed, why,
 * what to do): subclasses only name the kind of failure, which decides the exit code.
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A named object does not exist (e.g. `server get missing`). */
export class NotFoundError extends DomainError {}

/** Waiting for a condition took longer than allowed. */
export class TimeoutError extends DomainError {}

/** A flag or argument value the command cannot use (including one the cluster's state rules out). */
export class UsageError extends DomainError {}

/** An operation failed for a reason the message states (not a bug, not one of the kinds above). */
export class OperationError extends DomainError {}

/** The caller may not do something (the message says who, what and what to do instead). */
export class ForbiddenError extends DomainError {}

/**
 * Another error, with where it happened: a prefix (`file:line: Kind ns/name: `) and a suffix
 * (`Nothing was applied.`) around the cause's own message; the cause decides the exit code.
 */
export class InContextError extends Error {
  constructor(
    readonly prefix: string,
    readonly suffix: string,
    override readonly cause: unknown,
  ) {
    super(`${prefix}${(cause as Error)?.message ?? String(cause)}${suffix}`);
    this.name = 'InContextError';
  }
}

/** Applying one object failed; `cause` (an API error, usually) says why. */
export class ApplyFailedError extends Error {
  constructor(
    /** `Deployment registry/registry`. */
    readonly ref: string,
    override readonly cause: unknown,
  ) {
    super(`applying ${ref}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ApplyFailedError';
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
