/**
 * Verifies that an endpoint speaks MCP, the way a client would, with the official SDK client
 * (v2, `@modelcontextprotocol/client`) negotiating the protocol era: it first sends
 * `server/discover` (revision 2026-07-28: stateless, no session); a server of the 2025-x
 * revisions gets the classic `initialize` + `notifications/initialized` instead. Then
 * `tools/list` through every page. No `DELETE` at the end (some servers mishandle it); a
 * 2025 session simply lapses.
 *
 * Every way this can go wrong gets its own reason, so a status can say what to fix:
 * AuthRequired (401/403: reachable, protected — not a failure), Unreachable (nothing listens),
 * Timeout, NotMCP (an HTTP answer that is not MCP), VersionMismatch, ProtocolError (an MCP
 * error answer).
 */
import { createHash } from 'node:crypto';
import {
  Client,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  UnsupportedProtocolVersionError,
} from '@modelcontextprotocol/client';
import { canonicalJson } from '../../kube/equal.js';

export type VerifyReason = 'Verified' | 'AuthRequired' | 'Unreachable' | 'Timeout' | 'NotMCP' | 'VersionMismatch' | 'ProtocolError';

/** The fields of a listed tool the inventory keeps or digests. */
export interface ListedTool {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema?: unknown;
  readonly outputSchema?: unknown;
}

export interface ToolSummary {
  readonly name: string;
  readonly title?: string;
  /** At most `maxDescription` characters (an ellipsis marks a cut). */
  readonly description?: string;
}

export interface VerifiedServer {
  readonly protocolVersion: string;
  readonly serverInfo: { readonly name: string; readonly version: string };
  /** Capability names the server announced (tools, resources, prompts, logging, ...). */
  readonly capabilities: readonly string[];
  /** The first `maxTools` tools, sorted by name. */
  readonly tools: readonly ToolSummary[];
  /** All tools the server lists. */
  readonly toolCount: number;
  /** A digest of every tool's name, title, description and schemas: changes when the inventory does. */
  readonly toolsDigest: string;
}

export interface VerifyOutcome {
  readonly reason: VerifyReason;
  /** True for Verified and AuthRequired: the endpoint answers MCP (or guards it). */
  readonly reachable: boolean;
  /** What happened, and what to check, in a sentence or two. */
  readonly message: string;
  readonly server?: VerifiedServer;
}

export interface VerifyOptions {
  /** The whole handshake, every page included (default 10 s). */
  readonly timeoutMs?: number;
  /** Tools kept in the summary (default 50). */
  readonly maxTools?: number;
  /** Characters of a tool description kept (default 200). */
  readonly maxDescription?: number;
  /** Pages of tools/list followed at most (default 20). */
  readonly maxPages?: number;
  /** Aborts the handshake early (operator shutdown). */
  readonly signal?: AbortSignal;
}

const CLIENT_INFO = { name: 'mcp-runtime-verifier', version: '1' };

function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** A digest of the tool inventory, independent of list order. */
export function toolsDigest(tools: readonly ListedTool[]): string {
  const essential = [...tools]
    .map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema }))
    .sort(byName);
  return createHash('sha256').update(canonicalJson(essential)).digest('hex').slice(0, 16);
}

export function summarize(tools: readonly ListedTool[], maxTools: number, maxDescription: number): ToolSummary[] {
  return [...tools]
    .sort(byName)
    .slice(0, maxTools)
    .map((t) => ({ name: t.name, ...(t.title === undefined ? {} : { title: clip(t.title, maxDescription) }), ...(t.description === undefined ? {} : { description: clip(t.description, maxDescription) }) }));
}

/** The network error code under a fetch failure (ECONNREFUSED, EHOSTUNREACH, ...), if any. */
function networkCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && e !== undefined && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  // The SDK's negotiation probe reports a failed fetch in its message only.
  return /\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)\b/.exec(error instanceof Error ? error.message : String(error))?.[1];
}

/** The HTTP status an SDK error carries, if any. */
function httpStatus(error: unknown): number | undefined {
  return error instanceof SdkHttpError ? error.status : undefined;
}

/** Maps what the handshake threw to a reason and an actionable message. */
export function classify(error: unknown, url: string, timedOut: boolean, lastStatus: number | undefined): VerifyOutcome {
  const text = error instanceof Error ? error.message : String(error);
  const status = httpStatus(error) ?? lastStatus;
  if (timedOut || (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout)) {
    return { reason: 'Timeout', reachable: false, message: `${url} did not complete the MCP handshake in time. Is the server overloaded, or is this port serving something that never answers?` };
  }
  if (error instanceof UnauthorizedError || status === 401 || status === 403 || (error instanceof SdkError && (error.code === SdkErrorCode.ClientHttpAuthentication || error.code === SdkErrorCode.ClientHttpForbidden))) {
    return { reason: 'AuthRequired', reachable: true, message: `${url} answered ${status ?? 401}: reachable, and protected by authorization; its tools cannot be listed without credentials.` };
  }
  const code = networkCode(error);
  if (code !== undefined) {
    return { reason: 'Unreachable', reachable: false, message: `Nothing answered at ${url} (${code}). Check that spec.port is the port the container listens on.` };
  }
  if (error instanceof UnsupportedProtocolVersionError || /protocol version is not supported|unsupported protocol version/i.test(text)) {
    return { reason: 'VersionMismatch', reachable: false, message: `${url} answered with a protocol version this operator does not speak (${clip(text, 200)}).` };
  }
  if (error instanceof ProtocolError) {
    return { reason: 'ProtocolError', reachable: false, message: `${url} answered the MCP handshake with an error: ${clip(text, 200)}.` };
  }
  return {
    reason: 'NotMCP',
    reachable: false,
    message: `${url} answered${status === undefined || status < 0 ? '' : ` HTTP ${status}`}, but not as an MCP Streamable HTTP endpoint (${clip(text, 200)}). Check spec.containerPath and that the container runs an MCP server.`,
  };
}

/** One handshake against `url`. Never throws: every failure is an outcome. */
export async function verifyEndpoint(url: string, options: VerifyOptions = {}): Promise<VerifyOutcome> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('verification timed out')), timeoutMs);
  const onAbort = () => deadline.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let lastStatus: number | undefined;
  // A fetch that honours the deadline and remembers the last HTTP status of a POST (the SDK's
  // errors do not always carry it).
  const observingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, { ...init, signal: init?.signal === undefined || init.signal === null ? deadline.signal : AbortSignal.any([init.signal, deadline.signal]) });
    if (init?.method === 'POST') lastStatus = response.status;
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: observingFetch });
  const client = new Client(CLIENT_INFO, { capabilities: {}, versionNegotiation: { mode: 'auto', probe: { timeoutMs } } });
  try {
    await client.connect(transport, { timeout: timeoutMs, signal: deadline.signal });
    const tools: ListedTool[] = [];
    let cursor: string | undefined;
    const maxPages = options.maxPages ?? 20;
    for (let page = 0; page < maxPages; page++) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs, signal: deadline.signal });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (cursor === undefined || cursor === '') break;
    }
    const version = client.getServerVersion();
    const capabilities = Object.keys(client.getServerCapabilities() ?? {}).sort();
    const server: VerifiedServer = {
      protocolVersion: client.getNegotiatedProtocolVersion() ?? 'unknown',
      serverInfo: { name: version?.name ?? 'unknown', version: version?.version ?? 'unknown' },
      capabilities,
      tools: summarize(tools, options.maxTools ?? 50, options.maxDescription ?? 200),
      toolCount: tools.length,
      toolsDigest: toolsDigest(tools),
    };
    return { reason: 'Verified', reachable: true, message: `${url} speaks MCP ${server.protocolVersion} (${server.serverInfo.name} ${server.serverInfo.version}, ${tools.length} tools).`, server };
  } catch (error) {
    return classify(error, url, deadline.signal.aborted && options.signal?.aborted !== true, lastStatus);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // close() aborts the transport's requests and streams; it sends no DELETE.
    await client.close().catch(() => undefined);
  }
}
