/**
 * The catalog page as HTML, from the same entries the Registry API serves. Pure. Every server:
 * its title and registry name, namespace, live state (Ready, Verified with its reason, whether it
 * requires authorization), tools, public URL and the connect snippet of each supported client,
 * exactly what `mcp-runtime server connect --client ...` prints (src/clients/snippets.ts).
 */
import { CLIENTS, tokenEnvVar, type ClientName, type ConnectTarget } from '../clients/clients.js';
import { snippetFor, vscodeInstallLinks } from '../clients/snippets.js';
import { html, SafeHtml } from './html.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.js';
import { LIVE_META_KEY, type ServerResponse } from './types.js';

const CLIENT_TITLES: Readonly<Record<ClientName, string>> = {
  'claude-code': 'Claude Code (run in a shell)',
  cursor: 'Cursor (.cursor/mcp.json)',
  vscode: 'VS Code (.vscode/mcp.json)',
  json: 'Any other client (JSON)',
};

/** Lowercased words the search looks in: names, title, description, namespace, tools. */
export function searchText(response: ServerResponse): string {
  const live = response._meta[LIVE_META_KEY];
  const { server } = response;
  return [server.name, server.title, server.description, live.namespace, live.name, ...live.tools].filter((s) => s !== undefined).join(' ').toLowerCase();
}

/** Every word of the query (case-insensitive) occurs in the server's search text. */
export function matchesQuery(response: ServerResponse, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const text = searchText(response);
  return words.every((w) => text.includes(w));
}

function states(response: ServerResponse): SafeHtml {
  const live = response._meta[LIVE_META_KEY];
  const ready = live.ready ? html`<li class="state ok">Ready</li>` : html`<li class="state bad">Not ready${live.phase !== undefined && live.phase !== 'Ready' ? ` (${live.phase})` : ''}</li>`;
  const reason = live.verifiedReason;
  const verified =
    reason === undefined
      ? html`<li class="state info">Not verified yet</li>`
      : live.verified
        ? html`<li class="state ok">Verified${reason !== 'Verified' && reason !== 'AuthRequired' ? `: ${reason}` : ''}</li>`
        : html`<li class="state bad">Not verified: ${reason}</li>`;
  const scopes = live.auth !== undefined && live.auth.scopes.length > 0 ? ` (scopes: ${live.auth.scopes.join(' ')})` : '';
  const auth = live.authRequired ? html`<li class="state warn">Auth required${scopes}</li>` : undefined;
  const replicas = html`<li class="state info">${live.readyReplicas}/${live.replicas} replicas ready</li>`;
  return html`<ul class="states" aria-label="state">${ready}${verified}${auth}${replicas}</ul>`;
}

function tools(response: ServerResponse): SafeHtml {
  const live = response._meta[LIVE_META_KEY];
  if (live.toolCount === 0 && live.tools.length === 0) return html`<h3>Tools (0)</h3><p class="note">No tools reported (yet).</p>`;
  const more = live.toolCount - live.tools.length;
  return html`<h3>Tools (${live.toolCount})</h3><ul class="tools">${live.tools.map((t) => html`<li>${t}</li>`)}</ul>${more > 0 ? html`<p class="note">and ${more} more</p>` : undefined}`;
}

function connect(target: ConnectTarget): SafeHtml {
  const links = vscodeInstallLinks(target);
  const auth = target.authRequired
    ? html`<p class="note">This server requires authorization: the snippets read a bearer token from <code>${tokenEnvVar(target.name)}</code> (Claude Code, Cursor) or prompt for it (VS Code); none is ever written here.</p>`
    : undefined;
  return html`<details class="connect"><summary>Connect</summary>${auth}${CLIENTS.map(
    (client) => html`<h3>${CLIENT_TITLES[client]}</h3><pre data-client="${client}"><code>${snippetFor(client, target).text}</code></pre>`,
  )}<p><a href="${links.vscode}">Install in VS Code</a> · <a href="${links.web}">via vscode.dev</a></p></details>`;
}

function serverCard(response: ServerResponse, hidden: boolean): SafeHtml {
  const live = response._meta[LIVE_META_KEY];
  const { server } = response;
  const url = server.remotes?.[0]?.url;
  const target: ConnectTarget | undefined = url === undefined ? undefined : { name: live.name, url, authRequired: live.authRequired };
  return html`<article class="server" data-search="${searchText(response)}"${hidden ? new SafeHtml(' hidden') : undefined}>
<h2>${server.title ?? live.name}</h2>
<p class="id"><code>${server.name}</code> · namespace <code>${live.namespace}</code> · version <code>${server.version}</code></p>
<p class="desc">${server.description}</p>
${states(response)}
${tools(response)}
<h3>URL</h3>${url === undefined ? html`<p class="note">No public URL yet.</p>` : html`<p><a href="${url}"><code>${url}</code></a></p>`}
${target === undefined ? undefined : connect(target)}
</article>`;
}

export interface PageInput {
  /** Live entries, in the order to show them. */
  servers: readonly ServerResponse[];
  /** The `?q=` search (empty: everything). */
  query: string;
}

export function renderCatalogPage({ servers, query }: PageInput): string {
  const cards = servers.map((s) => ({ s, match: matchesQuery(s, query) }));
  const shown = cards.filter((c) => c.match).length;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MCP servers · catalog</title>
<style>${new SafeHtml(PAGE_STYLE)}</style>
</head>
<body>
<header>
<h1>MCP servers</h1>
<form method="get" role="search"><input type="search" id="q" name="q" value="${query}" placeholder="Search names, descriptions, tools" aria-label="Search servers"><button type="submit">Search</button></form>
<p class="count"><span id="shown">${shown}</span> of ${servers.length} servers shown</p>
</header>
<main>
${servers.length === 0 ? html`<p>No servers are published yet.</p>` : cards.map((c) => serverCard(c.s, !c.match))}
</main>
<footer><p>Also as the MCP Registry API: <a href="v0.1/servers"><code>/v0.1/servers</code></a>.</p></footer>
<script>${new SafeHtml(PAGE_SCRIPT)}</script>
</body>
</html>
`.value;
}
