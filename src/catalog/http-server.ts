/**
 * node:http transport for the catalog handler and the catalog page. Read-only; the JSON API is
 * CORS-open to every origin (the data is public by design: web catalogs and registry aggregators
 * read it from browsers); the page (`/`) is HTML under a strict Content-Security-Policy.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CatalogListenError } from './errors.js';
import { handleCatalogRequest, type CatalogView } from './handler.js';
import { handlePageRequest, isPageRequest } from './page.js';

function listenError(host: string, port: number, error: NodeJS.ErrnoException): Error {
  const why =
    error.code === 'EADDRINUSE'
      ? 'the address is already in use (choose another --listen port)'
      : error.code === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges)'
        : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
          ? 'no local interface has this address'
          : (error.code ?? error.message);
  return new CatalogListenError(`cannot listen on ${host}:${port}: ${why}`);
}

export interface CatalogServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (clients append /v0.1/servers). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Access-Control-Allow-Origin': '*',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

export function catalogRequestListener(view: CatalogView): Parameters<typeof createServer>[1] {
  return (req, res) => {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...HEADERS, 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Max-Age': '86400' }).end();
      return;
    }
    if (isPageRequest(method, req.url ?? '/')) {
      let page;
      try {
        page = handlePageRequest(view, req.url ?? '/');
      } catch {
        page = { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'internal error\n' };
      }
      res.writeHead(page.status, { ...page.headers, 'Content-Length': Buffer.byteLength(page.body) });
      res.end(method === 'HEAD' ? undefined : page.body);
      return;
    }
    let reply;
    try {
      reply = handleCatalogRequest(view, method, req.url ?? '/');
    } catch {
      reply = { status: 500, body: { error: 'internal error' } };
    }
    const body = `${JSON.stringify(reply.body)}\n`;
    res.writeHead(reply.status, { ...HEADERS, 'Content-Length': Buffer.byteLength(body), ...(reply.status === 405 ? { Allow: 'GET, HEAD, OPTIONS' } : {}) });
    res.end(method === 'HEAD' ? undefined : body);
  };
}

/** Listens on host:port (port 0: any free port) and serves the catalog until close(). */
export async function serveCatalog(view: CatalogView, host: string, port: number): Promise<CatalogServer> {
  const server: Server = createServer(catalogRequestListener(view));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(host, port, error)));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error !== undefined ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
