/**
 * `GET /` (and `/index.html`): the catalog page, as a pure function like the API handler.
 * Lists the live (not deleted) entries; `?q=` filters on the server, so search works without
 * JavaScript. Served with a Content-Security-Policy that admits only the page's own inline style
 * and script (page-assets.ts).
 */
import type { CatalogView } from './handler.js';
import { html, SafeHtml } from './html.js';
import { PAGE_CSP, PAGE_STYLE } from './page-assets.js';
import { renderCatalogPage } from './page-render.js';

export interface PageReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const PAGE_PATHS = new Set(['/', '/index.html']);

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** Whether the request is for the page (GET/HEAD of `/` or `/index.html`). */
export function isPageRequest(method: string, target: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  try {
    return PAGE_PATHS.has(new URL(target, 'http://catalog.invalid').pathname);
  } catch {
    return false;
  }
}

export function handlePageRequest(view: CatalogView, target: string): PageReply {
  const query = new URL(target, 'http://catalog.invalid').searchParams.get('q') ?? '';
  if (!view.ready()) {
    const body = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>MCP servers · catalog</title><style>${new SafeHtml(PAGE_STYLE)}</style></head><body><main><h1>MCP servers</h1><p>The catalog is still listing the servers; reload in a moment.</p></main></body></html>`;
    return { status: 503, headers: { ...HEADERS, 'Retry-After': '2' }, body: body.value };
  }
  const servers = view.entries().filter((e) => !e.deleted).map((e) => e.response);
  return { status: 200, headers: HEADERS, body: renderCatalogPage({ servers, query }) };
}
