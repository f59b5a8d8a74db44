/**
 * HTTP scaffolding around an MCP handler: config from env, /healthz, Origin guard, JSON request
 * logs and graceful shutdown. The same file exists in every example on purpose: each example
 * directory is its own Docker build context, so they cannot share a module.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Config {
  host: string;
  port: number;
  /** Browser origins allowed to call /mcp. Empty: every request carrying an Origin is refused. */
  allowedOrigins: ReadonlySet<string>;
  /**
   * AUTH_TOKEN: when set, /mcp requires `Authorization: Bearer <token>` and answers 401 otherwise
   * (mount it from a Secret with spec.secretEnvVars, never as a plain envVar). Unset: open.
   */
  authToken?: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8088);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(env.PORT)}`);
  }
  const allowedOrigins = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  const authToken = env.AUTH_TOKEN === undefined || env.AUTH_TOKEN === '' ? undefined : env.AUTH_TOKEN;
  return { host: env.HOST || '0.0.0.0', port, allowedOrigins: new Set(allowedOrigins), ...(authToken === undefined ? {} : { authToken }) };
}

/** Compares hashes, so neither the token's length nor its content leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/** One JSON object per line on stdout: what log collectors (and the tests) read. */
export function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

/** Errors on /mcp are JSON-RPC shaped, like the SDK's own, so MCP clients can report them. */
export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

let stopping = false;
/** True once SIGTERM/SIGINT arrived: requests in flight finish, new work should be refused. */
export function isStopping(): boolean {
  return stopping;
}

export type McpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createHttpServer(config: Config, handleMcp: McpHandler): Server {
  return createServer((req, res) => {
    const started = performance.now();
    // While draining, close each keep-alive connection after its response, so clients and the
    // ingress reconnect elsewhere instead of holding this process open.
    if (stopping) res.setHeader('Connection', 'close');
    const path = (req.url ?? '/').split('?')[0];
    // 'close' also fires for aborted requests and for SSE streams when they end. Bodies and
    // session ids are never logged: the latter act as bearer tokens for a session.
    res.on('close', () =>
      log('info', 'request', {
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
      }),
    );

    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(stopping ? 503 : 200, { 'Content-Type': 'text/plain' }).end(stopping ? 'shutting down' : 'ok');
      return;
    }
    if (path !== '/mcp') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    // DNS-rebinding defence: a browser page always sends Origin; non-browser clients send none.
    const origin = req.headers.origin;
    if (origin !== undefined && !config.allowedOrigins.has(origin)) {
      sendJsonRpcError(res, 403, 'Forbidden: origin not allowed');
      return;
    }
    if (config.authToken !== undefined && !bearerMatches(req.headers.authorization, config.authToken)) {
      sendJsonRpcError(res, 401, 'Unauthorized: a bearer token is required', { 'WWW-Authenticate': 'Bearer realm="mcp"' });
      return;
    }
    handleMcp(req, res).catch((error: unknown) => {
      log('error', 'mcp request failed', { error: String(error) });
      sendJsonRpcError(res, 500, 'Internal server error');
    });
  });
}

/**
 * Listens, logs the bound address (PORT=0 picks a free port; tests read it from this line),
 * and on SIGTERM/SIGINT stops accepting, fails /healthz, runs `onShutdown` (which must end open
 * streams) and lets the process exit once in-flight requests are done.
 */
export function serve(server: Server, config: Config, onShutdown: () => Promise<void> = async () => {}): void {
  server.on('error', (error) => {
    log('error', 'server error', { error: String(error) });
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { address, port } = server.address() as AddressInfo;
    log('info', 'listening', { host: address, port });
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    server.close(() => log('info', 'stopped')); // stops accepting; fires once every connection is gone
    void onShutdown()
      .catch((error: unknown) => log('error', 'shutdown hook failed', { error: String(error) }))
      .finally(() => {
        // Responses under way at SIGTERM (SSE streams above all) leave idle keep-alive sockets
        // behind when they end; close() alone would wait for their idle timeout.
        server.closeIdleConnections();
        setInterval(() => server.closeIdleConnections(), 200).unref();
      });
    // Backstop for a stuck connection; unref'd so it never delays a clean exit.
    setTimeout(() => {
      log('error', 'forced exit after shutdown timeout');
      process.exit(1);
    }, 10_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
