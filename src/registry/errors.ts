/**
 * Domain errors of the registry and build libraries. They say what went wrong and what to do;
 * src/cli/errors.ts — the one place that knows exit codes — maps each class to its code.
 */
import { DomainError, OperationError, UsageError } from '../kube/errors.js';

/** A flag or input value the registry or build commands cannot use (usage error). */
export class RegistryUsageError extends UsageError {}

/** The push failed: registry unreachable, TLS verification failed, push refused. */
export class PushFailedError extends DomainError {}

/** The image build failed. */
export class BuildFailedError extends DomainError {}

/** The cluster is not in the state the registry needs (a missing namespace, a Secret without its keys, a helper pod gone). */
export class RegistryStateError extends OperationError {}

/** Ctrl-C: the work was stopped and cleaned up. */
export class InterruptedError extends DomainError {}

export type PushFailureKind = 'tls-verify' | 'tls-plain-http' | 'unreachable' | 'unauthorized' | 'not-found' | 'other';

export interface PushFailure {
  readonly kind: PushFailureKind;
  readonly message: string;
}

/** The last meaningful line of a tool's stderr (Go tools end with `Error: ...` or `level=fatal msg=...`). */
export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const fatal = [...lines].reverse().find((l) => /level=fatal|^Error:|^error:|Error response/i.test(l)) ?? lines.at(-1) ?? '';
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(fatal);
  let text = msg?.[1] !== undefined ? msg[1].replace(/\\"/g, '"') : fatal.replace(/^Error:\s*/i, '');
  // containers/image wraps the cause: "trying to reuse blob … at destination: pinging container registry H: <cause>".
  const pinging = /pinging container registry [^:\s]+(?::\d+)?: (.*)$/.exec(text);
  if (pinging?.[1] !== undefined) text = pinging[1];
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

export interface ClassifyContext {
  /** The registry host being pushed to, for the message. */
  readonly registry: string;
  /** Whether the user passed --insecure-registry. */
  readonly insecure: boolean;
  /** Name of the tool that failed (skopeo, podman, docker). */
  readonly tool: string;
}

/**
 * Turns a push tool's stderr into a message that says what went wrong and what to do.
 * Certificate problems are recognised from Go's crypto/x509 error texts.
 */
export function classifyPushFailure(stderr: string, ctx: ClassifyContext): PushFailure {
  const detail = lastErrorLine(stderr);
  const text = stderr.toLowerCase();
  const { registry } = ctx;
  if (
    /x509:|certificate signed by unknown authority|certificate is not valid|certificate has expired|failed to verify certificate|tls: failed to verify/.test(
      text,
    )
  ) {
    return {
      kind: 'tls-verify',
      message:
        `TLS certificate verification failed for registry ${registry}: ${detail}\n` +
        `The registry's certificate is not trusted by this machine. Either trust its CA: put the CA certificate (ca.crt) ` +
        `in a folder and pass --cert-dir <folder> (or install it system-wide, e.g. /etc/containers/certs.d/${registry}/ca.crt), ` +
        `or, only for a registry you control on a trusted network, pass --insecure-registry to skip verification.`,
    };
  }
  if (/server gave http response to https client|http: server gave http response/.test(text)) {
    return {
      kind: 'tls-plain-http',
      message:
        `Registry ${registry} speaks plain HTTP, not HTTPS: ${detail}\n` +
        `Pushes are TLS-verified by default. If this registry really has no TLS (a local or in-cluster test registry), ` +
        `pass --insecure-registry; otherwise check the address.`,
    };
  }
  if (/connection refused|no such host|i\/o timeout|network is unreachable|no route to host|connection reset|dial tcp|lookup .* on/.test(text)) {
    return {
      kind: 'unreachable',
      message:
        `Registry ${registry} is unreachable: ${detail}\n` +
        `Check the address and port, that the registry is running, and that this machine can reach it ` +
        `(for the in-cluster registry from a laptop use --mode in-cluster, or a port-forward: see \`mcp-runtime registry info\`).`,
    };
  }
  if (/unauthorized|authentication required|access to the resource is denied|denied:|403 forbidden|status code 401|invalid username\/password/.test(text)) {
    return {
      kind: 'unauthorized',
      message:
        `Registry ${registry} refused the push (not authorized): ${detail}\n` +
        `Log in first (\`${ctx.tool === 'docker' ? 'docker' : 'podman'} login ${registry}\`, or pass --authfile <file>).`,
    };
  }
  if (/image not known|does not exist|no such image|not found/.test(text)) {
    return { kind: 'not-found', message: `The source image was not found: ${detail}` };
  }
  return { kind: 'other', message: `${ctx.tool} failed to push to ${registry}: ${detail || 'no error output'}` };
}
