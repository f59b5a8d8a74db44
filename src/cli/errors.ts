/**
 * Turns every error a command can meet into one message a person can act on and an exit code
 * (src/cli/exit-codes.ts). Pure: no Kubernetes client is loaded here.
 */
import { formatFieldPath, ProblemsError, type Problem } from '../metadata/problem.js';
import { MissingImageError } from '../metadata/to-manifest.js';
import {
  ApiError,
  ApplyFailedError,
  ForbiddenError,
  InContextError,
  KindNotServedError,
  KubeConfigError,
  KubeUnreachableError,
  NotFoundError,
  NotKubernetesError,
  NotSetUpError,
  OperationError,
  TimeoutError,
  UsageError,
  parseForbidden,
  requestTarget,
} from '../kube/errors.js';
import { GROUP } from '../api/v1alpha1/group.js';
import { CommandNotFoundError } from '../build/exec.js';
import { InvalidImageReferenceError } from '../images/reference.js';
import { WriteBackError } from '../metadata/write-back.js';
import { BuildFailedError, InterruptedError, PushFailedError } from '../registry/errors.js';
import { InvalidPlatformOptionsError } from '../../charts-ts/platform/option-problems.js';
import { OutputWriteError } from '../synth/output.js';
import { ClientConfigWriteError, NoPublicUrlError } from '../clients/errors.js';
import {
  CatalogListenError,
  CatalogNotFoundError,
  CatalogResponseError,
  CatalogSettingsError,
  CatalogUnreachableError,
  CatalogUrlError,
} from '../catalog/errors.js';
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
  /** Problems in the user's files, one per line on the terminal (`file:line:col field: message`). */
  problems?: readonly ReportedProblem[];
}

/** A problem as reported: the field path already formatted (`servers[2].port`, '' for the file itself). */
export interface ReportedProblem {
  file: string;
  line: number;
  /** Undefined when the reporter did not know it (synth's manifest problems name the line only). */
  col?: number;
  field: string;
  message: string;
}

function reported(p: Problem): ReportedProblem {
  return { file: p.file, line: p.line, col: p.col, field: formatFieldPath(p.path), message: p.message };
}

/** The one line format of a problem, as formatProblem (src/metadata/problem.ts) writes it. */
export function problemLine(p: ReportedProblem): string {
  const where = p.col === undefined ? `${p.file}:${p.line}:` : `${p.file}:${p.line}:${p.col}`;
  return p.field === '' ? `${where} ${p.message}` : `${where} ${p.field}: ${p.message}`;
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

function forbidden(error: ApiError): Translated {
  const parsed = parseForbidden(error.status?.message);
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

function invalid(error: ApiError): Translated {
  const causes = error.status?.details?.causes ?? [];
  const lines = causes.map((c) => `  ${c.field !== undefined ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`);
  const details = error.status?.details;
  const what = details?.name !== undefined ? `${details.kind ?? 'object'} "${details.name}"` : 'the object';
  return {
    exit: ExitCode.INVALID_INPUT,
    message: [`the API server rejected ${what} as invalid:`, ...(lines.length > 0 ? lines : [`  ${error.status?.message ?? ''}`])].join('\n'),
  };
}

function isMcpPath(path: string): boolean {
  return path.startsWith(`/apis/${GROUP}/`);
}

export function translateApiError(error: ApiError): Translated {
  const message = error.status?.message ?? `HTTP ${error.code}`;
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
      if (isMcpPath(error.path) && error.status?.details?.name === undefined) {
        return { exit: ExitCode.UNREACHABLE, message: new NotSetUpError(error.server).message };
      }
      return { exit: ExitCode.NOT_FOUND, message };
    case 409:
      if (error.status?.reason === 'Conflict' && /conflict/i.test(message) && /apply/i.test(message)) {
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
  return translateApiError(new ApiError(e.code, { message: status.message ?? e.message, reason: status.reason }, 'GET', ''));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** Domain errors whose message is already the whole story, and their exit codes. */
const DOMAIN_ERRORS: readonly [new (...args: never[]) => Error, ExitCodeValue][] = [
  [UsageError, ExitCode.USAGE],
  [CommandNotFoundError, ExitCode.USAGE],
  [InvalidImageReferenceError, ExitCode.USAGE],
  [WriteBackError, ExitCode.INVALID_INPUT],
  [PushFailedError, ExitCode.PUSH_FAILED],
  [BuildFailedError, ExitCode.BUILD_FAILED],
  [OperationError, ExitCode.FAILURE],
  [ForbiddenError, ExitCode.FORBIDDEN],
  [InterruptedError, ExitCode.INTERRUPTED],
  [OutputWriteError, ExitCode.CANNOT_WRITE],
  [ClientConfigWriteError, ExitCode.CANNOT_WRITE],
  [NoPublicUrlError, ExitCode.NOT_READY],
  [InvalidPlatformOptionsError, ExitCode.INVALID_INPUT],
  [CatalogUrlError, ExitCode.USAGE],
  [CatalogSettingsError, ExitCode.USAGE],
  [CatalogUnreachableError, ExitCode.UNREACHABLE],
  [CatalogNotFoundError, ExitCode.NOT_FOUND],
  [CatalogResponseError, ExitCode.FAILURE],
  [CatalogListenError, ExitCode.FAILURE],
];

function domainError(error: unknown): Translated | undefined {
  const exit = DOMAIN_ERRORS.find(([type]) => error instanceof type)?.[1];
  return exit === undefined ? undefined : { message: (error as Error).message, exit };
}

/** Undefined for errors that are bugs (they keep their stack trace). */
export function translateError(error: unknown): Translated | undefined {
  if (error instanceof CliError) return { message: error.message, exit: error.exit };
  if (error instanceof InContextError) {
    const cause = translateError(error.cause);
    return cause === undefined ? undefined : { ...cause, message: `${error.prefix}${cause.message}${error.suffix}` };
  }
  if (error instanceof ApplyFailedError) {
    const cause = translateError(error.cause);
    return cause === undefined ? undefined : { ...cause, message: `applying ${error.ref}: ${cause.message}` };
  }
  if (error instanceof ProblemsError) {
    // The message's first line is the summary; the problems follow, indented, in the message too.
    return { message: (error.message.split('\n')[0] ?? '').replace(/:\s*$/, ''), exit: ExitCode.INVALID_INPUT, problems: error.problems.map(reported) };
  }
  if (error instanceof MissingImageError) return { message: error.message, exit: ExitCode.INVALID_INPUT };
  if (error instanceof KubeUnreachableError) return unreachable(error);
  if (error instanceof NotKubernetesError) return { message: error.message, exit: ExitCode.UNREACHABLE };
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
  const domain = domainError(error);
  if (domain !== undefined) return domain;
  if (error instanceof TimeoutError) return { message: error.message, exit: ExitCode.TIMEOUT };
  if (error instanceof ApiError) return translateApiError(error);
  return fromClientNode(error);
}

/** oclif's own errors (parse errors, `this.error(..., { exit })`): their message and exit code. */
function oclifError(error: unknown): Translated | undefined {
  const exit = (error as { oclif?: { exit?: unknown } } | undefined)?.oclif?.exit;
  if (typeof exit !== 'number' || !(error instanceof Error)) return undefined;
  return { message: error.message, exit: exit as ExitCodeValue };
}

/**
 * `file:LINE:COL field.path: message` or `file:LINE:COL message` as formatProblem writes them,
 * and `file:LINE: field.path: message` as synth's manifest problems do. The file is one token
 * that is not a URL, so a sentence naming `https://host:6443: ...` is not taken for a problem.
 */
const PROBLEM_LINE = /^\s*((?:(?!:\/\/)\S)+):(\d+)(?::(\d+) |: )(?:([^\s:]+): )?(.*)$/;

/** Problems embedded in a message's lines (commands that only get text, e.g. synth's), taken out of it. */
export function extractProblems(message: string): { message: string; problems: ReportedProblem[] } {
  const problems: ReportedProblem[] = [];
  const rest: string[] = [];
  for (const line of message.split('\n')) {
    const m = PROBLEM_LINE.exec(line);
    if (m === null) rest.push(line);
    else {
      problems.push({ file: m[1]!, line: Number(m[2]), ...(m[3] !== undefined ? { col: Number(m[3]) } : {}), field: m[4] ?? '', message: m[5]! });
    }
  }
  return { message: rest.join('\n').replace(/:\s*$/, ''), problems };
}

/** What to report for an error, or undefined for a bug (which keeps its stack trace). */
export function reportOf(error: unknown): Translated | undefined {
  const report = translateError(error) ?? oclifError(error);
  if (report === undefined || report.problems !== undefined) return report;
  const { message, problems } = extractProblems(report.message);
  return problems.length === 0 ? report : { ...report, message, problems };
}

/**
 * The report as the user sees it. Text: every problem on a line of its own, exactly
 * `file:line:col field: message` (never wrapped, never prefixed), then `Error: <message>`.
 * JSON (--json): the same content as one object, `{ "error": { message, exit, problems } }`.
 */
export function renderReport(report: Translated, json: boolean): string {
  if (json) {
    const { message, exit, problems } = report;
    return `${JSON.stringify({ error: { message, exit, ...(problems !== undefined ? { problems } : {}) } }, null, 2)}\n`;
  }
  const lines = (report.problems ?? []).map(problemLine);
  return `${[...lines, `Error: ${report.message}`].join('\n')}\n`;
}
