/**
 * A raw JSON client for the Kubernetes API: requests and streaming watches with the
 * kubeconfig's credentials (client-node's applyToHTTPSOptions: certificates, tokens, exec
 * plugins), bodies sent and received as plain JSON.
 *
 * Why not the generated clients: they re-serialize built-in kinds through their models, which
 * drops fields the models do not know and turns timestamps into Date objects (see stack
 * notes), and client-node's Watch cannot report a non-200 watch response's Status (410 Gone
 * comes back as a bare Error). A controller wants exactly what the API server sent, and wants
 * to send exactly what it built (server-side apply depends on it).
 */
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions as HttpsRequestOptions } from 'node:https';

import { ApiError, NotKubernetesError, unreachableOr, type Status } from './kube-errors.js';

// The client's errors live in kube-errors.ts (no client-node import); callers of the client get them here too.
export * from './kube-errors.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  /** Default application/json. */
  contentType?: string;
  /** Overall deadline (default: the client's, 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T> {
  type: WatchEventType;
  /** The object; a Status for ERROR events. */
  object: T;
}

/**
 * What the client needs of a kubeconfig: the server and the credentials for a request.
 * client-node's KubeConfig has this shape; so does src/kube/light-config.ts's LightKubeConfig,
 * which the operator uses to stay clear of client-node's generated API (~45 MB of RSS).
 */
export interface KubeConnection {
  getCurrentCluster(): { server: string; skipTLSVerify?: boolean } | null;
  getCurrentContext(): string;
  applyToHTTPSOptions(options: HttpsRequestOptions): Promise<void>;
}

export interface KubeClientOptions {
  /** Deadline for ordinary requests (default 30 s). Watches have none (the informer's watchdog covers them). */
  timeoutMs?: number;
  userAgent?: string;
  /** Called once per completed request (not per watch event), e.g. to count requests. */
  onResponse?: (method: string, code: number) => void;
}

export class KubeClient<C extends KubeConnection = KubeConnection> {
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly onResponse: ((method: string, code: number) => void) | undefined;
  /** One keep-alive agent per TLS identity: a TLS handshake per request would dominate writes. */
  private shared: { identity: string; agent: HttpsAgent } | undefined;

  constructor(
    readonly kubeConfig: C,
    options: KubeClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'mcp-runtime';
    this.onResponse = options.onResponse;
  }

  /** The API server's URL of the current context (for messages), '' without one. */
  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server.replace(/\/+$/, '') ?? '';
  }

  /** The kubeconfig context in use (for messages). */
  get context(): string {
    return this.kubeConfig.getCurrentContext();
  }

  /**
   * One request; resolves with the parsed JSON body (undefined for an empty body). Fails with
   * ApiError (non-2xx), KubeUnreachableError (no answer, timeout) or NotKubernetesError (an
   * answer that is not the API server's JSON, e.g. a web page).
   */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => controller.abort(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)), timeoutMs);
    try {
      const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      const res = await this.send(method, path, options.query, body, options.contentType, controller.signal);
      const text = await readBody(res, controller.signal);
      const code = res.statusCode ?? 0;
      this.onResponse?.(method, code);
      if (isWebPage(res, text)) throw new NotKubernetesError(this.server, `an HTML page (HTTP ${code})`);
      if (code < 200 || code >= 300) throw new ApiError(code, parseStatus(text), method, path, this.server);
      return parseJson<T>(text, this.server, code);
    } catch (error) {
      throw unreachableOr(error, this.server, this.context);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Streams a watch: calls `onEvent` for each event, resolves when the server ends the stream
   * or `signal` aborts, rejects with ApiError on a non-200 answer and with the network error
   * when the connection breaks. `onEvent` runs synchronously, in order.
   */
  async watch<T>(path: string, query: Query, onEvent: (event: WatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    let res: IncomingMessage;
    try {
      res = await this.send('GET', path, { ...query, watch: true }, undefined, undefined, signal);
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (res.statusCode !== 200) {
      const text = await readBody(res, signal).catch(() => '');
      throw new ApiError(res.statusCode ?? 0, parseStatus(text), 'WATCH', path, this.server);
    }
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      let failed = false;
      const fail = (error: unknown): void => {
        if (failed) return;
        failed = true;
        res.destroy();
        if (signal.aborted) resolve();
        else reject(error);
      };
      const onAbort = (): void => {
        res.destroy();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let nl = buffer.indexOf('\n'); nl >= 0 && !failed; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line === '') continue;
          let event: WatchEvent<T>;
          try {
            event = JSON.parse(line) as WatchEvent<T>;
          } catch (error) {
            fail(new Error(`unparseable watch event on ${path}: ${(error as Error).message}`));
            return;
          }
          try {
            onEvent(event);
          } catch (error) {
            fail(error);
          }
        }
      });
      res.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        if (failed) return;
        // The API server ends every event with a newline; a stray tail is a truncated event.
        if (buffer.trim() !== '') fail(new Error(`watch ${path}: stream ended inside an event`));
        else resolve();
      });
      // 'aborted'/'error': the connection broke mid-stream (server restart, proxy reset).
      res.on('aborted', () => fail(new Error(`watch ${path}: connection aborted`)));
      res.on('error', (error) => fail(error));
      res.on('close', () => {
        signal.removeEventListener('abort', onAbort);
        if (!res.complete) fail(new Error(`watch ${path}: connection closed before the stream ended`));
      });
    });
  }

  /**
   * A GET whose body is a stream of bytes (pod logs): resolves with the response once the API
   * server answered 200, and rejects with ApiError (carrying the Status it sent) otherwise.
   * Aborting `signal` destroys the connection; the response then emits 'close' without 'end'.
   */
  async stream(path: string, query: Query, signal: AbortSignal, accept = '*/*'): Promise<IncomingMessage> {
    let res: IncomingMessage;
    try {
      res = await this.send('GET', path, query, undefined, undefined, signal, accept);
    } catch (error) {
      throw unreachableOr(error, this.server, this.context);
    }
    const code = res.statusCode ?? 0;
    this.onResponse?.('GET', code);
    if (code !== 200) {
      const text = await readBody(res, signal).catch(() => '');
      if (isWebPage(res, text)) throw new NotKubernetesError(this.server, `an HTML page (HTTP ${code})`);
      throw new ApiError(code, parseStatus(text), 'GET', path, this.server);
    }
    const onAbort = (): void => {
      res.destroy();
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    res.once('close', () => signal.removeEventListener('abort', onAbort));
    return res;
  }

  /** Releases pooled connections (idle keep-alive sockets would otherwise linger). */
  close(): void {
    this.shared?.agent.destroy();
    this.shared = undefined;
  }

  /**
   * Reuses connections: the agent client-node builds carries the TLS material (CA, client
   * certificate); an identical identity gets the same keep-alive agent, a rotated one a new agent.
   */
  private keepAliveAgent(fresh: HttpsAgent | undefined): HttpsAgent | undefined {
    if (fresh === undefined) return undefined;
    const tls = fresh.options;
    const identity = JSON.stringify([tls.ca, tls.cert, tls.key, tls.pfx, tls.passphrase, tls.rejectUnauthorized, tls.servername]);
    if (this.shared?.identity === identity) return this.shared.agent;
    this.shared?.agent.destroy();
    const agent = new HttpsAgent({ ...tls, keepAlive: true });
    this.shared = { identity, agent };
    return agent;
  }

  private async send(
    method: string,
    path: string,
    query: Query | undefined,
    body: string | undefined,
    contentType: string | undefined,
    signal: AbortSignal,
    accept = 'application/json',
  ): Promise<IncomingMessage> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error('kubeconfig has no current cluster');
    const url = new URL(cluster.server.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const isHttps = url.protocol === 'https:';
    // Fresh credentials per request: tokens from files and exec plugins rotate. Plain http is
    // what `kubectl proxy` serves: the proxy adds the credentials itself, and sending ours in
    // clear text would leak them, so none are sent (client-node refuses http unless the
    // kubeconfig opts out of TLS verification with insecure-skip-tls-verify; then it sends them).
    const options: HttpsRequestOptions = {};
    if (isHttps || cluster.skipTLSVerify) await this.kubeConfig.applyToHTTPSOptions(options);
    const headers: OutgoingHttpHeaders = { ...((options.headers as OutgoingHttpHeaders | undefined) ?? {}), Accept: accept, 'User-Agent': this.userAgent };
    if (body !== undefined) {
      headers['Content-Type'] = contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    options.method = method;
    options.headers = headers;
    // The agent applyToHTTPSOptions made is an https.Agent (TLS material); plain http needs none.
    if (isHttps) options.agent = this.keepAliveAgent(options.agent as HttpsAgent | undefined);
    const send = isHttps ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortReason(signal));
        return;
      }
      const req = send(url, options, (res) => {
        signal.removeEventListener('abort', onAbort);
        resolve(res);
      });
      const onAbort = (): void => {
        req.destroy(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      });
      req.end(body);
    });
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('request aborted');
}

function readBody(res: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onAbort = (): void => {
      res.destroy();
      reject(abortReason(signal));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

/** An HTML answer: a web server or a login page, not the API server (which always sends JSON or plain text). */
function isWebPage(res: IncomingMessage, text: string): boolean {
  const type = String(res.headers['content-type'] ?? '').toLowerCase();
  return type.includes('text/html') || /^\s*<(!doctype|html|head|body)\b/i.test(text);
}

function parseJson<T>(text: string, server: string, code: number): T {
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new NotKubernetesError(server, `a body that is not JSON (HTTP ${code}): ${JSON.stringify(text.slice(0, 80))}`);
  }
}

function parseStatus(text: string): Status | undefined {
  try {
    const parsed = JSON.parse(text) as Status;
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return text === '' ? undefined : { message: text.slice(0, 500) };
  }
}
