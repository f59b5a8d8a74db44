/**
 * What one POST to an MCP endpoint is, for metrics, audit and routing. Protocol 2026-07-28 puts
 * the method and name in `Mcp-Method` / `Mcp-Name` headers so intermediaries need not parse
 * bodies; when they are present we trust them and parse the body only if a caller reads `id` or
 * `arguments` (lazily, once). Older clients get their body parsed.
 *
 * Never throws: the body is client input. Bodies are parsed whole, so the proxy must bound the
 * body size before it calls inspectPost.
 */

/** 'sessions': 2025-x revisions (Mcp-Session-Id); 'stateless': 2026-07-28 and later. */
export type ProtocolEra = 'sessions' | 'stateless';

export interface McpCall {
  readonly kind: 'request' | 'notification' | 'response' | 'batch' | 'invalid';
  /** JSON-RPC method, e.g. tools/call (of the first element for a batch). */
  readonly method?: string;
  /** tools/call params.name, or Mcp-Name for tools/call when the routing headers are present. */
  readonly tool?: string;
  /** JSON-RPC id of a request. With routing headers present, a lazy getter: reading it parses the body (once). */
  readonly id?: string | number;
  /**
   * tools/call params.arguments (only the audit log may print them, when told to). Always a
   * non-enumerable getter (absent from spreads and JSON.stringify); lazy like id.
   */
  readonly arguments?: unknown;
  readonly era: ProtocolEra;
}

type Headers = Record<string, string | string[] | undefined>;

/** The first revision without sessions, with routing headers and server/discover. */
export const STATELESS_PROTOCOL_VERSION = '2026-07-28';

/** A header by name, case-insensitively (node lowercases, other callers may not); first value of a list. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const first = Array.isArray(value) ? value[0] : value;
    const trimmed = typeof first === 'string' ? first.trim() : undefined;
    return trimmed === '' ? undefined : trimmed;
  }
  return undefined;
}

/** The protocol era a request belongs to, from its headers alone. */
export function protocolEra(headers: Headers): ProtocolEra {
  if (headerValue(headers, 'mcp-method') !== undefined) return 'stateless';
  const version = headerValue(headers, 'mcp-protocol-version');
  // Revisions are dates (YYYY-MM-DD), so string order is time order.
  return version !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= STATELESS_PROTOCOL_VERSION ? 'stateless' : 'sessions';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseBody(body: Buffer | undefined): unknown {
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

interface Message {
  kind: 'request' | 'notification' | 'response' | 'invalid';
  method?: string;
  tool?: string;
  id?: string | number;
  arguments?: unknown;
}

function isId(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Classifies one JSON-RPC 2.0 message. */
function classify(message: unknown): Message {
  if (!isObject(message) || message.jsonrpc !== '2.0') return { kind: 'invalid' };
  const { method, id } = message;
  if (typeof method === 'string') {
    const params = isObject(message.params) ? message.params : undefined;
    const tool = method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
    const args = method === 'tools/call' ? params?.arguments : undefined;
    const base = { method, ...(tool !== undefined && { tool }), ...(args !== undefined && { arguments: args }) };
    if (!('id' in message)) return { kind: 'notification', ...base };
    return isId(id) ? { kind: 'request', ...base, id } : { kind: 'invalid', method };
  }
  if (('result' in message || 'error' in message) && (isId(id) || id === null)) return { kind: 'response', ...(isId(id) && { id }) };
  return { kind: 'invalid' };
}

/** Inspects a POST body; see the file comment for when the body is parsed. */
export function inspectPost(headers: Headers, body: Buffer | undefined): McpCall {
  const era = protocolEra(headers);
  const headerMethod = headerValue(headers, 'mcp-method');
  if (headerMethod !== undefined) return fromHeaders(headerMethod, headerValue(headers, 'mcp-name'), body, era);
  const parsed = parseBody(body);
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return { kind: 'invalid', era };
    const first = classify(parsed[0]);
    return { kind: 'batch', era, ...(first.method !== undefined && { method: first.method }), ...(first.tool !== undefined && { tool: first.tool }) };
  }
  const { arguments: args, ...message } = classify(parsed);
  return withArguments({ ...message, era }, () => args);
}

/** A call described by routing headers; the body is parsed on first access to id or arguments. */
function fromHeaders(method: string, name: string | undefined, body: Buffer | undefined, era: ProtocolEra): McpCall {
  let message: Message | undefined;
  const fromBody = (): Message => (message ??= classify(parseBody(body)));
  const tool = method === 'tools/call' ? name : undefined;
  const call = {
    // Notifications carry no id and get 202; their methods are all under notifications/.
    kind: method.startsWith('notifications/') ? 'notification' : 'request',
    method,
    era,
    ...(tool !== undefined && { tool }),
  } as const;
  Object.defineProperty(call, 'id', { enumerable: false, get: () => fromBody().id });
  return withArguments(call, () => fromBody().arguments);
}

/**
 * `arguments` as a non-enumerable getter: a call object that is spread or logged by mistake
 * never carries the client's payload (and, for header-routed calls, never parses the body).
 */
function withArguments(call: Omit<McpCall, 'arguments'>, read: () => unknown): McpCall {
  return Object.defineProperty(call, 'arguments', { enumerable: false, get: read }) as McpCall;
}
