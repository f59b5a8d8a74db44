// The catalog page's pure parts: escaping, search, the rendered HTML, the CSP hashes and the
// route. What a person sees in a browser is tested in test/integration/catalog/page.test.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { escapeHtml, html, SafeHtml } from '../../../src/catalog/html.js';
import { MemoryCatalog } from '../../../src/catalog/memory-catalog.js';
import { handlePageRequest, isPageRequest } from '../../../src/catalog/page.js';
import { PAGE_CSP } from '../../../src/catalog/page-assets.js';
import { matchesQuery, renderCatalogPage } from '../../../src/catalog/page-render.js';
import type { MCPServerLike } from '../../../src/catalog/entry.js';

const now = '2026-01-01T10:00:00Z';

function server(name: string, catalog: Record<string, unknown> = {}, tools: string[] = ['echo'], reason = 'Verified'): MCPServerLike {
  return {
    metadata: { name, namespace: 'team-a', generation: 1, creationTimestamp: now },
    spec: { image: `r/${name}:1.0.0`, catalog },
    status: {
      phase: 'Ready',
      url: `https://mcp.example.com/${name}/mcp`,
      replicas: 1,
      readyReplicas: 1,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: now },
        { type: 'Verified', status: 'True', reason, message: '', lastTransitionTime: now },
      ],
      mcp: { protocolVersion: '2025-06-18', serverInfo: { name, version: '1' }, capabilities: [], tools: tools.map((t) => ({ name: t })), toolCount: tools.length, toolsDigest: 'd', podsReady: 1, podsVerified: 1, observedTime: now },
    } as MCPServerLike['status'],
  };
}

function view(...servers: MCPServerLike[]): MemoryCatalog {
  const c = new MemoryCatalog({ namePrefix: 'io.example' });
  for (const s of servers) c.upsert(s);
  c.markSynced();
  return c;
}

const responses = (c: MemoryCatalog) => c.entries().map((e) => e.response);

describe('html', () => {
  it('escapes every interpolated value unless it is SafeHtml', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(html`<p title="${'"><script>'}">${'<b>'}${new SafeHtml('<i>')}${['<u>', html`<s>`]}${undefined}${false}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;<i>&lt;u&gt;<s></p>',
    );
  });
});

describe('catalog page rendering', () => {
  const evil = server('evil', { title: '<img src=x onerror=alert(1)>', description: '"><script>alert(2)</script>' }, ['<svg onload=alert(3)>']);

  it('shows user text escaped: no tag from a title, description or tool name reaches the markup', () => {
    const page = renderCatalogPage({ servers: responses(view(evil)), query: '' });
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page).toContain('&lt;svg onload=alert(3)&gt;');
    expect(page).not.toMatch(/<img|<svg|<script>alert/);
    expect(page.match(/<script>/g)).toHaveLength(1);
  });

  it('marks servers that do not match ?q= hidden (every word, any of name, title, description, namespace, tools)', () => {
    const c = view(server('weather', { description: 'Forecasts' }, ['forecast']), server('billing', {}, ['invoice-lookup']));
    const [billing, weather] = responses(c);
    expect(matchesQuery(weather!, 'FORE team-a')).toBe(true);
    expect(matchesQuery(weather!, 'forecast invoice')).toBe(false);
    expect(matchesQuery(billing!, 'invoice')).toBe(true);
    expect(matchesQuery(billing!, '')).toBe(true);
    const page = renderCatalogPage({ servers: responses(c), query: 'invoice' });
    expect(page).toContain('<span id="shown">1</span> of 2 servers shown');
    expect(page).toMatch(/<article class="server" data-search="[^"]*weather[^"]*" hidden>/);
    expect(page).toMatch(/<article class="server" data-search="[^"]*billing[^"]*">/);
    expect(page).toContain('value="invoice"');
  });

  it('gives each client the snippet server connect prints, with the token from the environment when auth is required', () => {
    const page = renderCatalogPage({ servers: responses(view(server('billing', {}, ['x'], 'AuthRequired'))), query: '' });
    expect(page).toContain('Auth required');
    expect(page).toContain('claude mcp add --transport http --header &quot;Authorization: Bearer $MCP_BILLING_TOKEN&quot; billing https://mcp.example.com/billing/mcp');
    expect(page).toContain('href="vscode:mcp/install?');
  });

  it('says "Auth required" with the scopes for a server with spec.auth, and nothing of the kind for an open one or one that takes anonymous calls', () => {
    const withAuth = (name: string, auth: Record<string, unknown>): MCPServerLike => {
      const s = server(name);
      return { ...s, spec: { ...(s.spec as Record<string, unknown>), auth } } as MCPServerLike;
    };
    const page = (s: MCPServerLike) => renderCatalogPage({ servers: responses(view(s)), query: '' });
    expect(page(withAuth('billing', { issuer: 'https://id.example.com', scopes: ['mcp:tools', 'billing:read'] }))).toContain('<li class="state warn">Auth required (scopes: mcp:tools billing:read)</li>');
    // No scopes: the words alone, no empty parentheses.
    const noScopes = page(withAuth('billing', { issuer: 'https://id.example.com' }));
    expect(noScopes).toContain('<li class="state warn">Auth required</li>');
    expect(noScopes).not.toContain('scopes:');
    // Scopes are user text: escaped like the rest.
    expect(page(withAuth('billing', { issuer: 'https://id.example.com', scopes: ['<b>'] }))).toContain('Auth required (scopes: &lt;b&gt;)');
    expect(page(withAuth('billing', { issuer: 'https://id.example.com', scopes: ['mcp:tools'], required: false }))).not.toContain('Auth required');
    expect(page(server('billing'))).not.toContain('Auth required');
  });

  it('admits exactly its own inline style and script by hash, and nothing external', () => {
    const page = renderCatalogPage({ servers: [], query: '' });
    expect(page).toContain('No servers are published yet.');
    const hash = (tag: string) => {
      const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(page)![1]!;
      return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
    };
    expect(PAGE_CSP).toContain(`style-src ${hash('style')}`);
    expect(PAGE_CSP).toContain(`script-src ${hash('script')}`);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(PAGE_CSP).not.toMatch(/unsafe|https?:|\*/);
  });
});

describe('page route', () => {
  it('serves / and /index.html to GET and HEAD only', () => {
    expect(isPageRequest('GET', '/?q=x')).toBe(true);
    expect(isPageRequest('HEAD', '/index.html')).toBe(true);
    expect(isPageRequest('POST', '/')).toBe(false);
    expect(isPageRequest('GET', '/v0.1/servers')).toBe(false);
  });

  it('answers 503 until the catalog has listed, then 200 HTML with the CSP; deleted servers are not shown', () => {
    const c = new MemoryCatalog({ namePrefix: 'io.example' });
    c.upsert(server('gone'));
    expect(handlePageRequest(c, '/').status).toBe(503);
    c.markSynced();
    c.upsert(server('kept'));
    c.remove(server('gone'));
    const reply = handlePageRequest(c, '/');
    expect(reply.status).toBe(200);
    expect(reply.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['Content-Security-Policy']).toBe(PAGE_CSP);
    expect(reply.body).toContain('io.example.team-a/kept');
    expect(reply.body).not.toContain('io.example.team-a/gone');
  });
});
