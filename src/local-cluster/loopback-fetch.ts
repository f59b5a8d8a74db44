import { request } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/** A DNS lookup for node:net and node:http(s) that answers `address` for every name. */
export function lookupResolvingTo(address = '127.0.0.1'): LookupFunction {
  return (_host, options, callback) => {
    if (options.all === true) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
  };
}

/**
 * A `fetch` that connects every host name to `address` (default 127.0.0.1) while keeping the
 * name in the URL, so the Host header is the name an ingress routes by. Node's own fetch
 * ignores a Host header set by hand, and names like `mcp.localtest.me` resolve to 127.0.0.1
 * only with public DNS, which these machines do not have. Plain HTTP only (local ingress).
 * Streams response bodies, so MCP's SSE responses and GET streams work through it.
 */
export function fetchResolvingTo(address = '127.0.0.1'): typeof fetch {
  const lookup = lookupResolvingTo(address);
  return async (input, init) => {
    // The caller's signal goes to the request as is. A Request built with it would add an abort
    // listener to it that stays until that Request is garbage-collected: thousands on a
    // long-lived MCP transport's signal (MaxListenersExceededWarning).
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const req = new Request(input, { ...init, signal: null });
    const url = new URL(req.url);
    if (url.protocol !== 'http:') throw new TypeError(`fetchResolvingTo speaks plain HTTP only, not ${url.protocol}`);
    const body = req.body === null ? undefined : Buffer.from(await req.arrayBuffer());
    const headers: Record<string, string> = {};
    req.headers.forEach((value, key) => (headers[key] = value));
    return new Promise<Response>((resolve, reject) => {
      const r = request(url, { method: req.method, headers, lookup, ...(signal ? { signal } : {}) }, (res) => {
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
          else if (value !== undefined) responseHeaders.set(key, value);
        }
        const status = res.statusCode ?? 0;
        const noBody = [101, 204, 205, 304].includes(status) || req.method === 'HEAD';
        if (noBody) res.resume();
        resolve(
          new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
            status,
            statusText: res.statusMessage ?? '',
            headers: responseHeaders,
          }),
        );
      });
      r.on('error', reject);
      r.end(body);
    });
  };
}
