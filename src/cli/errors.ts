/**
 * Turns every error a command can meet into one message a person can act on and an exit code
 * (src/cli/exit-codes.ts). Pure: no Kubernetes client is loaded here.
 */
import { ProblemsError } from '../metadata/problem.js';
import { MissingImageError } from '../metadata/to-manifest.js';
import {
  KubeApiError,
  KubeConfigError,
  KubeUnreachableError,
  NotFoundError,
  NotSetUpError,
  TimeoutError,
  parseForbidden,
  requestTarget,
} from '../kube/errors.js';
import { KindNotServedError } from '../kube/rest.js';
import { ApiError } from '../runtime/kube-http.js';
import { GROUP } from '../api/v1alpha1/group.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** An error a command raises on purpose, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exit: ExitCodeValue,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Translated {
  message: string;
  exit: ExitCodeValue;
}

const SANDBOX = '`mcp-runtime cluster provision --provider local --kubeconfig ./sandbox.kubeconfig`';

function unreachable(error: KubeUnreachableError): Translated {
  return {
    exit: ExitCode.UNREACHABLE,
    message:
      `${error.message}.\n` +
      `Check that the cluster is running and that --kubeconfig/--context point at it. ` +
      `No cluster yet? Start a local sandbox with ${SANDBOX}.`,
  };
}

function qualified(resource: string, group: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

function forbidden(error: KubeApiError): Translated {
  const parsed = parseForbidden(error.status.message);
  const target = requestTarget(error.method, error.path);
  const verb = parsed?.verb ?? target.verb;
  const resource = parsed !== undefined ? qualified(parsed.resource, parsed.group) : target.resource;
  // For Namespace objects the API server reports the object's own name as "the namespace".
  const clusterScoped = (parsed?.resource ?? target.resource) === 'namespaces' && (parsed?.group ?? '') === '';
  const namespace = clusterScoped ? undefined : parsed !== undefined ? parsed.namespace : target.namespace;
  const who = parsed?.user ?? 'the current user';
  const where = namespace !== undefined ? `in namespace "${namespace}"` : 'at cluster scope';
  const canI = `kubectl auth can-i ${verb} ${resource}${namespace !== undefined ? ` -n ${namespace}` : ''}`;
  return {
    exit: ExitCode.FORBIDDEN,
    message:
      `forbidden: ${who} may not ${verb} ${resource} ${where}.\n` +
      `Ask a cluster admin for a ${namespace !== undefined ? 'Role/RoleBinding' : 'ClusterRole/ClusterRoleBinding'} ` +
      `granting "${verb}" on "${resource}" ${where}, or use a --context with more rights (check with: ${canI}).`,
  };
}

function invalid(error: KubeApiError): Translated {
  const causes = error.status.details?.causes ?? [];
  const lines = causes.map((c) => `  ${c.field !== undefined ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`);
  const what = error.status.details?.name !== undefined ? `${error.status.details.kind ?? 'object'} "${error.status.details.name}"` : 'the object';
  return {
    exit: ExitCode.INVALID_INPUT,
    message: [`the API server rejected ${what} as invalid:`, ...(lines.length > 0 ? lines : [`  ${error.status.message ?? ''}`])].join('\n'),
  };
}

function isMcpPath(path: string): boolean {
  return path.startsWith(`/apis/${GROUP}/`);
}

export function translateApiError(error: KubeApiError): Translated {
  const message = error.status.message ?? `HTTP ${error.code}`;
  switch (error.code) {
    case 401:
      return {
        exit: ExitCode.FORBIDDEN,
        message:
          `unauthorized: the API server ${error.server === '' ? '' : `${error.server} `}rejected the credentials (401). ` +
          'The token or client certificate is invalid or expired: log in again or use another --context/--kubeconfig.',
      };
    case 403:
      return forbidden(error);
    case 404:
      if (isMcpPath(error.path) && error.status.details?.name === undefined) {
        return { exit: ExitCode.UNREACHABLE, message: new NotSetUpError(error.server).message };
      }
      return { exit: ExitCode.NOT_FOUND, message };
    case 409:
      if (error.status.reason === 'Conflict' && /conflict/i.test(message) && /apply/i.test(message)) {
        return {
          exit: ExitCode.FAILURE,
          message: `${message}\nAnother field manager owns these fields; rerun with --force-conflicts to take them over.`,
        };
      }
      return { exit: ExitCode.FAILURE, message };
    case 422:
      return invalid(error);
    default:
      if (error.code >= 500) return { exit: ExitCode.FAILURE, message: `the API server failed (${error.code}): ${message}` };
      return { exit: ExitCode.FAILURE, message: `${error.method} ${error.path} failed (${error.code}): ${message}` };
  }
}

/** Duck-typed client-node ApiException (`code` + `body`), used by its Log helper. */
function fromClientNode(error: unknown): Translated | undefined {
  const e = error as { code?: unknown; body?: unknown; message?: string };
  if (typeof e.code !== 'number' || !('body' in (e as object))) return undefined;
  const body = typeof e.body === 'string' ? safeJson(e.body) : e.body;
  const status = (body ?? {}) as { message?: string; reason?: string };
  return translateApiError(
    new KubeApiError(e.code, { message: status.message ?? e.message, reason: status.reason }, 'GET', '', ''),
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** Undefined for errors that are bugs (they keep their stack trace). */
export function translateError(error: unknown): Translated | undefined {
  if (error instanceof CliError) return { message: error.message, exit: error.exit };
  if (error instanceof ProblemsError) return { message: error.message, exit: ExitCode.INVALID_INPUT };
  if (error instanceof MissingImageError) return { message: error.message, exit: ExitCode.INVALID_INPUT };
  if (error instanceof KubeUnreachableError) return unreachable(error);
  if (error instanceof KubeConfigError) return { message: error.message, exit: error.usage ? ExitCode.USAGE : ExitCode.UNREACHABLE };
  if (error instanceof NotSetUpError) return { message: error.message, exit: ExitCode.UNREACHABLE };
  if (error instanceof KindNotServedError) {
    if (error.apiVersion.startsWith(`${GROUP}/`)) {
      return {
        exit: ExitCode.UNREACHABLE,
        message: 'the MCPServer API (mcpservers.mcp.agent-hellboy.io) is not installed on this cluster: run `mcp-runtime setup` (or `mcp-runtime cluster init`)',
      };
    }
    return { exit: ExitCode.FAILURE, message: `${error.message}; is the cluster new enough?` };
  }
  if (error instanceof NotFoundError) return { message: error.message, exit: ExitCode.NOT_FOUND };
  if (error instanceof TimeoutError) return { message: error.message, exit: ExitCode.TIMEOUT };
  if (error instanceof KubeApiError) return translateApiError(error);
  if (error instanceof ApiError) return translateApiError(new KubeApiError(error.code, error.status ?? {}, error.method, error.path, ''));
  return fromClientNode(error);
}
