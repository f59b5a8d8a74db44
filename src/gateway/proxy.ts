/**
 * The gateway's request path: find the server (SERVER_HEADER, set by its route), choose the pod
 * (the one a sealed session id names, else the next ready one), forward, and stream the answer
 * back as it comes (SSE events are written through one by one, never buffered or compressed).
 *
 * Sessions without a shared store: when a pod answers with `Mcp-Session-Id: X`, the client gets
 * seal({pod UID, X}) instead; a later request with that id goes to that pod with X restored. An id
 * that does not open (tampered, another server's, an unknown key) or whose pod is gone gets 404,
 * which makes a compliant client initialize again. Requests without a session (initialize, and
 * every request of a 2026-07-28 server) go to any ready pod, and move to another one when a pod
 * refuses the connection.
 */
import { request as httpRequest, type Agent, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../runtime/index.js';
import { auditLine } from './audit.js';
import type { DirectoryServer, ServerDirectory, Upstream } from './directory.js';
import { inspectPost, type McpCall } from './mcp-message.js';
import type { GatewayMetrics, RequestOutcome } from './metrics.js';
import { ResponseTap } from './response-tap.js';
import { isRootMetadataPath, SERVER_HEADER, WELL_KNOWN_PRM } from './routing-header.js';
import { filterToolsListBody, policyFor, toolAllowed } from './tool-policy.js';
import { SessionSealError, type SessionKeyRing } from './session-seal.js';
import { presentedCredential, wwwAuthenticate } from './bearer.js';
import { metadataDocument, metadataUrl, publicOrigin, resourceOf, rootMetadata, type ProtectedServer, type PublicRequest } from './protected-resource.js';
import type { TokenVerifier } from './token-verifier.js';

export const SESSION_HEADER = 'mcp-session-id';
const SERVER_HEADER_LC = SERVER_HEADER.toLowerCase();
/** Largest tools/list answer the tool policy filters (a server listing more is refused, not passed on unfiltered). */
const MAX_REWRITE_BYTES = 8 << 20;

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Connect failures: the request never reached the pod, so another pod may take it. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ETIMEDOUT']);

export interface ProxyDeps {
  readonly directory: Pick<ServerDirectory, 'server' | 'pick' | 'byPod' | 'protectedServers'>;
  /** The current key ring (re-read when the Secret changes). */
  readonly keys: () => SessionKeyRing;
  readonly metrics: GatewayMetrics;
  /** Receives one JSON line per tools/call. */
  readonly audit: (line: string) => void;
  /** Put tools/call arguments and results into audit lines. */
  readonly auditPayloads: boolean;
  readonly logger: Logger;
  /** Keep-alive agent for the pods. */
  readonly agent: Agent;
  /** Largest request body accepted (default 16 MiB). */
  readonly maxBodyBytes?: number;
  /** Verifies bearer tokens for servers with spec.auth. */
  readonly tokens: TokenVerifier;
  /** The address clients reach the platform at (GATEWAY_PUBLIC_URL), when configured. */
  readonly publicUrl?: URL;
}

/** JSON-RPC error bodies, as MCP servers send them (so clients show the same text). */
function jsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function forwardHeaders(headers: IncomingHttpHeaders, session: string | undefined, bodyLength: number | undefined, keepAuthorization: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionTokens = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((t) => t.trim()));
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionTokens.has(name) || name === SERVER_HEADER_LC || name === SESSION_HEADER || name === 'content-length') continue;
    // The caller's token is for the gateway (RFC 8707 audience); a server sees it only when its spec says so.
    if (name === 'authorization' && !keepAuthorization) continue;
    out[name] = value;
  }
  if (session !== undefined) out[SESSION_HEADER] = session;
  if (bodyLength !== undefined) out['content-length'] = String(bodyLength);
  return out;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const label = (req: IncomingMessage, call: McpCall | undefined): string => (req.method === 'POST' ? (call?.method ?? 'unknown') : (req.method ?? 'unknown'));

/** One client request on its way through the gateway: what every step (attempts, metrics, audit) needs. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly serverKey: string;
  readonly started: number;
  readonly body: Buffer | undefined;
  readonly call: McpCall | undefined;
  /** The metrics' method label (the JSON-RPC method, or the HTTP method of a GET or DELETE). */
  readonly method: string;
  readonly tool: string | undefined;
  readonly clientSession: string | undefined;
  /** Who called (the token's subject), when the server asks for tokens. */
  readonly caller: string | undefined;
  /** Pass the Authorization header on (no spec.auth, or spec.auth.forwardToken). */
  readonly keepAuthorization: boolean;
  readonly decision: 'allowed' | 'denied' | undefined;
  readonly rewrite: ((contentType: string | undefined, text: string) => string | undefined) | undefined;
}

export function createProxyHandler(deps: ProxyDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBody = deps.maxBodyBytes ?? 16 << 20;

  return (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'proxy failure');
      jsonRpcError(res, 502, -32603, 'Gateway error');
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    // The bare well-known path comes from every protected server's route on its host, naming no
    // server (and a client's header is not trusted here): the host decides.
    if (isRootMetadataPath((req.url ?? '/').split('?')[0] ?? '/')) {
      answerRootMetadata(req, res);
      return;
    }
    const serverKey = req.headers[SERVER_HEADER_LC];
    const server = typeof serverKey === 'string' ? deps.directory.server(serverKey) : undefined;
    if (typeof serverKey !== 'string' || server === undefined) {
      // Only a route sets the header: a request without one did not come through a server's path.
      req.resume();
      jsonRpcError(res, 404, -32601, typeof serverKey === 'string' ? `No MCP server ${serverKey}` : `No MCP server: requests reach the gateway through a server's route (${SERVER_HEADER})`);
      return;
    }
    // spec.auth: the caller proves who it is before anything is read or forwarded.
    const authed = await authenticate(req, res, server, serverKey, started);
    if (authed === 'answered') return;
    const caller = authed?.caller;
    const claims = authed?.claims;

    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE';
    const body = hasBody ? await readBody(req, maxBody) : undefined;
    if (body === 'too-large') {
      jsonRpcError(res, 413, -32600, `Request body larger than ${maxBody} bytes`);
      return;
    }
    const call = req.method === 'POST' ? inspectPost(req.headers, body) : undefined;
    const method = label(req, call);
    const tool = call?.method === 'tools/call' ? call.tool : undefined;
    const clientSession = typeof req.headers[SESSION_HEADER] === 'string' ? req.headers[SESSION_HEADER] : undefined;
    const done = (status: number, outcome: RequestOutcome) => deps.metrics.request(serverKey, method, tool, status, outcome, (performance.now() - started) / 1000);

    // spec.tools: a call outside the policy never reaches the pod.
    const policy = server.tools === undefined ? undefined : policyFor(server.tools, claims);
    const decision = policy === undefined || call?.method !== 'tools/call' ? undefined : toolAllowed(policy, tool) ? 'allowed' : 'denied';
    const ex: Exchange = {
      req,
      res,
      serverKey,
      started,
      body,
      call,
      method,
      tool,
      clientSession,
      caller,
      keepAuthorization: server.auth === undefined || server.auth.forwardToken === true,
      decision,
      rewrite: policy !== undefined && call?.method === 'tools/list' ? (contentType: string | undefined, text: string) => filterToolsListBody(contentType, text, policy) : undefined,
    };
    if (policy !== undefined && call?.kind === 'batch') {
      jsonRpcError(res, 400, -32600, 'Batched requests are not accepted by a server with a tool policy; send one message per request');
      done(400, 'error');
      return;
    }
    if (decision === 'denied') {
      const answer = JSON.stringify({ jsonrpc: '2.0', id: call?.id ?? null, error: { code: -32602, message: `Tool ${tool ?? '(none)'} is not allowed on this server (spec.tools)` } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
      done(200, 'error');
      audit(ex, 'denied', 200, { durationMs: performance.now() - started, decision: 'denied' });
      return;
    }

    // Which pod: the session's, or any ready one.
    let upstream: Upstream | undefined;
    let upstreamSession: string | undefined;
    if (clientSession !== undefined) {
      const route = deps.keys().open(clientSession, serverKey);
      upstream = route === undefined ? undefined : deps.directory.byPod(serverKey, route.pod);
      if (route === undefined || upstream === undefined) {
        // Tampered, foreign, sealed with a retired key, or its pod is gone: the client must initialize again.
        jsonRpcError(res, 404, -32001, 'Session not found');
        done(404, 'session_not_found');
        audit(ex, 'session_not_found', 404);
        return;
      }
      upstreamSession = route.session;
    }

    const tried = new Set<string>();
    let staleRetried = false;
    for (let attempt = 0; ; attempt++) {
      if (upstreamSession === undefined) {
        upstream = deps.directory.pick(serverKey, tried);
        if (upstream === undefined) {
          jsonRpcError(res, 503, -32603, `No ready pod of ${serverKey}`, { 'retry-after': '1' });
          done(503, 'upstream_error');
          audit(ex, 'upstream_error', 503);
          return;
        }
      }
      const target = upstream as Upstream;
      const result = await forward(ex, target, upstreamSession);
      if (result === 'done') return;
      if (result === 'stale-socket' && !replayable(req, ex.call)) {
        // At most once: the pod may have read this call before the connection broke.
        deps.logger.warn({ pod: target.podName, method, tool }, 'connection to the pod reset before an answer; not sent again (a tools/call, a batch or an unreadable body)');
        jsonRpcError(res, 502, -32603, 'The MCP server closed the connection before answering; the call was not sent again (it may or may not have run)');
        done(502, 'upstream_error');
        audit(ex, 'upstream_error', 502);
        return;
      }
      if (result === 'stale-socket' && !staleRetried) {
        // Most likely the pod closed an idle keep-alive socket as the request went out on it; what
        // is safe to run twice goes again (to the same pod, which still holds the session).
        staleRetried = true;
        deps.metrics.upstreamRetry(serverKey);
        continue;
      }
      // Not sent: a session's pod is unreachable (gone), anything else tries another pod.
      if (upstreamSession !== undefined || attempt >= 2) {
        if (result === 'stale-socket') {
          jsonRpcError(res, 502, -32603, 'The MCP server closed the connection');
          done(502, 'upstream_error');
          audit(ex, 'upstream_error', 502);
        } else if (upstreamSession !== undefined) {
          jsonRpcError(res, 404, -32001, 'Session not found');
          deps.metrics.sessionClosed(serverKey);
          done(404, 'session_not_found');
          audit(ex, 'session_not_found', 404);
        } else {
          jsonRpcError(res, 502, -32603, `No pod of ${serverKey} accepted the connection`);
          done(502, 'upstream_error');
          audit(ex, 'upstream_error', 502);
        }
        return;
      }
      tried.add(target.pod);
      deps.metrics.upstreamRetry(serverKey);
    }
  }

  function forwardedOf(req: IncomingMessage): PublicRequest {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    return { forwardedProto: header('x-forwarded-proto'), forwardedHost: header('x-forwarded-host'), host: header('host') };
  }

  /** RFC 9728's root fallback: the metadata of the one protected server routed on the request's host. */
  function answerRootMetadata(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const answer = rootMetadata(deps.directory.protectedServers(), forwardedOf(req), deps.publicUrl);
    const text = JSON.stringify(answer.body);
    const status = req.method === 'GET' || req.method === 'HEAD' ? answer.status : 405;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(answer.status === 200 ? { 'cache-control': 'max-age=300' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : text);
  }

  /**
   * The RFC 9728 metadata of a protected server, and its bearer check. Answers the request itself
   * ('answered': metadata, 400, 401, 403, 503) or lets it through: with the caller when a valid
   * token came, undefined when the server is open (or takes anonymous calls).
   */
  async function authenticate(
    req: IncomingMessage,
    res: ServerResponse,
    server: DirectoryServer,
    serverKey: string,
    started: number,
  ): Promise<'answered' | { caller: string; claims: Readonly<Record<string, unknown>> } | undefined> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const asksMetadata = path.startsWith(WELL_KNOWN_PRM) || path.endsWith(WELL_KNOWN_PRM);
    if (server.auth === undefined) {
      if (!asksMetadata) return undefined;
      req.resume();
      jsonRpcError(res, 404, -32601, `${serverKey} is not a protected resource (no spec.auth)`);
      return 'answered';
    }
    const protectedServer: ProtectedServer = { ingressPath: server.ingressPath, auth: server.auth, ...(server.ingressHost === undefined ? {} : { ingressHost: server.ingressHost }) };
    const forwarded = forwardedOf(req);
    const origin = publicOrigin(protectedServer, forwarded, deps.publicUrl);
    const count = (status: number, outcome: RequestOutcome) => deps.metrics.request(serverKey, 'auth', undefined, status, outcome, (performance.now() - started) / 1000);
    if (origin === undefined) {
      req.resume();
      jsonRpcError(res, 400, -32600, 'The request names no usable Host: the protected resource cannot be described');
      count(400, 'unauthorized');
      return 'answered';
    }
    if (asksMetadata) {
      req.resume();
      const document = JSON.stringify(metadataDocument(protectedServer, origin, serverKey));
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 200 : 405, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(document), 'cache-control': 'max-age=300' });
      res.end(req.method === 'HEAD' ? undefined : document);
      return 'answered';
    }
    const challenge = { resourceMetadata: metadataUrl(protectedServer, origin), ...(server.auth.scopes === undefined ? {} : { scopes: server.auth.scopes }) };
    const refuse = (status: number, outcome: RequestOutcome, message: string, extra: Parameters<typeof wwwAuthenticate>[0] | undefined) => {
      req.resume();
      jsonRpcError(res, status, -32001, message, extra === undefined ? {} : { 'www-authenticate': wwwAuthenticate(extra) });
      count(status, outcome);
      return 'answered' as const;
    };
    const credential = presentedCredential(req.rawHeaders, req.url);
    switch (credential.kind) {
      case 'malformed':
        return refuse(400, 'unauthorized', `Bad request: ${credential.reason}`, { ...challenge, error: 'invalid_request', description: credential.reason });
      case 'none':
      case 'other-scheme':
        if (server.auth.required === false) return undefined;
        return refuse(401, 'unauthorized', 'Unauthorized: this server needs an OAuth bearer token (see the resource_metadata in WWW-Authenticate)', challenge);
      case 'bearer': {
        const verdict = await deps.tokens.verify(credential.token, { issuer: server.auth.issuer, audience: resourceOf(protectedServer, origin), ...(server.auth.scopes === undefined ? {} : { scopes: server.auth.scopes }) });
        if (verdict.ok) return { caller: verdict.caller, claims: verdict.claims };
        if (verdict.error === 'issuer_unavailable') {
          deps.logger.warn({ server: serverKey, issuer: server.auth.issuer, reason: verdict.description }, 'authorization server unavailable');
          res.setHeader('retry-after', '5');
          return refuse(503, 'auth_unavailable', 'The authorization server cannot be reached to check the token; try again shortly', undefined);
        }
        if (verdict.error === 'insufficient_scope') return refuse(403, 'forbidden', `Forbidden: ${verdict.description}`, { ...challenge, error: 'insufficient_scope', description: verdict.description });
        return refuse(401, 'unauthorized', `Unauthorized: ${verdict.description}`, { ...challenge, error: 'invalid_token', description: verdict.description });
      }
    }
  }

  function audit(ex: Pick<Exchange, 'serverKey' | 'call' | 'clientSession' | 'caller'>, status: string, httpStatus: number, extra: { durationMs?: number; result?: unknown; decision?: 'allowed' | 'denied' } = {}): void {
    const call = ex.call;
    if (call?.method !== 'tools/call') return;
    deps.audit(
      auditLine(
        {
          time: new Date(),
          server: ex.serverKey,
          tool: call.tool ?? '',
          ...(ex.clientSession === undefined ? {} : { session: ex.clientSession }),
          ...(ex.caller === undefined ? {} : { caller: ex.caller }),
          ...(extra.decision === undefined ? {} : { decision: extra.decision }),
          status,
          httpStatus,
          durationMs: extra.durationMs ?? 0,
          ...(deps.auditPayloads ? { arguments: call.arguments, result: extra.result } : {}),
        },
        { includePayloads: deps.auditPayloads },
      ),
    );
  }

  /**
   * Whether a request may go again after a reset on a reused keep-alive socket. The reset does not
   * tell whether the pod read the request (its idle timer closed the socket as the request went
   * out, or it read the request and then failed), so only what is safe to run twice goes again:
   * not a tools/call (a tool may act on the world) nor a batch or unreadable body that may hold one.
   * A GET (a stream) or a DELETE (the end of a session) may.
   */
  function replayable(req: IncomingMessage, call: McpCall | undefined): boolean {
    if (req.method !== 'POST') return true;
    return call !== undefined && call.kind !== 'batch' && call.kind !== 'invalid' && call.method !== 'tools/call';
  }

  /**
   * One attempt. 'not-sent' when the pod could not be reached (refused, unreachable), 'stale-socket'
   * when a reused keep-alive socket was reset before any answer (the pod had closed it as idle).
   */
  function forward(ex: Exchange, upstream: Upstream, upstreamSession: string | undefined): Promise<'done' | 'not-sent' | 'stale-socket'> {
    const { req, res, body, call, serverKey, started, method, tool, decision, rewrite, clientSession, keepAuthorization } = ex;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (v: 'done' | 'not-sent' | 'stale-socket') => {
        if (!settled) {
          settled = true;
          resolve(v);
        }
      };
      const out = httpRequest({
        host: upstream.ip,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: forwardHeaders(req.headers, upstreamSession, body?.length, keepAuthorization),
        agent: deps.agent,
      });
      // The client went away: so does the pod's side (and vice versa below).
      const onClientClose = () => {
        if (!res.writableFinished) out.destroy();
      };
      res.on('close', onClientClose);

      out.on('error', (error: NodeJS.ErrnoException) => {
        res.off('close', onClientClose);
        if (settled) return;
        const code = error.code ?? '';
        if (!res.headersSent && NOT_SENT.has(code)) {
          deps.logger.debug({ pod: upstream.podName, code }, 'upstream not reached');
          settle('not-sent');
          return;
        }
        // A keep-alive socket the pod had just closed: the request was not read; try again.
        if (!res.headersSent && out.reusedSocket && code === 'ECONNRESET') {
          deps.logger.debug({ pod: upstream.podName, code }, 'stale keep-alive socket');
          settle('stale-socket');
          return;
        }
        deps.logger.warn({ pod: upstream.podName, code }, 'upstream failed');
        jsonRpcError(res, 502, -32603, 'The MCP server closed the connection');
        deps.metrics.request(serverKey, method, tool, 502, 'upstream_error', (performance.now() - started) / 1000);
        settle('done');
      });

      out.on('response', (up) => {
        settle('done');
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(up.headers)) {
          if (value === undefined || HOP_BY_HOP.has(name)) continue;
          headers[name] = value;
        }
        const issued = up.headers[SESSION_HEADER];
        if (typeof issued === 'string') {
          if (issued === upstreamSession && clientSession !== undefined) {
            // The same session as the client's: echo its id (no new seal per request).
            headers[SESSION_HEADER] = clientSession;
          } else {
            try {
              headers[SESSION_HEADER] = deps.keys().seal({ pod: upstream.pod, session: issued }, serverKey);
            } catch (error) {
              // An id the protocol does not allow (not visible ASCII, far too long): never hand out what cannot be routed back.
              if (!(error instanceof SessionSealError)) throw error;
              up.resume();
              deps.logger.warn({ pod: upstream.podName, err: error }, 'session id from the server cannot be sealed');
              jsonRpcError(res, 502, -32603, 'The MCP server issued an invalid Mcp-Session-Id');
              deps.metrics.request(serverKey, method, tool, 502, 'upstream_error', (performance.now() - started) / 1000);
              return;
            }
            deps.metrics.sessionOpened(serverKey);
          }
        }
        const status = up.statusCode ?? 502;
        if (clientSession !== undefined && ((req.method === 'DELETE' && status < 300) || status === 404)) deps.metrics.sessionClosed(serverKey);
        const sse = String(up.headers['content-type'] ?? '').startsWith('text/event-stream');
        const tap = call?.method === 'tools/call' && call.id !== undefined ? new ResponseTap(up.headers['content-type'], call.id, { keepResult: deps.auditPayloads }) : undefined;

        if (rewrite !== undefined && status === 200) {
          // A filtered tools/list: the whole (finite) answer is read, filtered, then sent.
          const chunks: Buffer[] = [];
          let size = 0;
          up.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_REWRITE_BYTES) chunks.push(chunk);
          });
          up.on('end', () => {
            res.off('close', onClientClose);
            const filtered = size > MAX_REWRITE_BYTES ? undefined : rewrite(up.headers['content-type'], Buffer.concat(chunks).toString('utf8'));
            if (filtered === undefined) {
              // Never pass an answer on unfiltered.
              jsonRpcError(res, 502, -32603, 'The tools/list answer could not be filtered by the tool policy');
              deps.metrics.request(serverKey, method, tool, 502, 'upstream_error', (performance.now() - started) / 1000);
              return;
            }
            delete headers['content-length'];
            res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(filtered) });
            res.end(filtered);
            deps.metrics.request(serverKey, method, tool, status, 'ok', (performance.now() - started) / 1000);
          });
          up.on('error', () => res.destroy());
          return;
        }
        if (sse) deps.metrics.streamOpened(serverKey);
        res.writeHead(status, headers);
        if (sse) {
          res.flushHeaders();
          res.socket?.setNoDelay(true);
        }
        let finished = false;
        // How the answer ended: whole, broken off by the pod, or cut because the client left.
        const finish = (ended: 'complete' | 'upstream_broke' | 'client_left') => {
          if (finished) return;
          finished = true;
          res.off('close', onClientClose);
          if (sse) deps.metrics.streamClosed(serverKey);
          tap?.end();
          // A call whose result never came through: the pod's fault only if the pod broke off. A
          // client that leaves says nothing of the server (the tool may have finished), so it is
          // not counted as a failure of the server.
          const unanswered = tap?.outcome.status === 'unknown' && ended !== 'complete';
          const outcome: RequestOutcome = unanswered ? (ended === 'upstream_broke' ? 'upstream_error' : 'client_left') : (tap?.outcome.status ?? (status >= 500 ? 'upstream_error' : 'ok'));
          const seconds = (performance.now() - started) / 1000;
          deps.metrics.request(serverKey, method, tool, status, outcome, seconds);
          audit(ex, outcome, status, { durationMs: seconds * 1000, result: tap?.result, ...(decision === undefined ? {} : { decision }) });
        };
        up.on('data', (chunk: Buffer) => {
          tap?.push(chunk);
          if (!res.write(chunk)) up.pause();
        });
        res.on('drain', () => up.resume());
        up.on('end', () => {
          res.end();
          finish('complete');
        });
        up.on('error', (error: NodeJS.ErrnoException) => {
          // The pod's answer broke off: the client sees its stream end without the rest.
          deps.logger.warn({ pod: upstream.podName, code: error.code, method, sse }, 'upstream answer broke off');
          res.destroy();
          finish('upstream_broke');
        });
        res.on('close', () => {
          // Not finished yet: the client hung up (after a break-off, finish already ran).
          if (!up.complete && !finished) {
            // Normal for a GET stream; for a POST, the client never saw the whole answer.
            if (req.method === 'POST') deps.logger.info({ pod: upstream.podName, method, tool, sse }, 'client left before the answer ended');
            up.destroy();
          }
          finish(up.complete ? 'complete' : 'client_left');
        });
      });

      out.end(body);
    });
  }
}
