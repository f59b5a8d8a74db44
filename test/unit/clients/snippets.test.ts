// The builders of `server connect`: each client's documented format, and a server that needs
// authorization getting a header that reads the token from the client's side, never a value.
import { describe, expect, it } from '@jest/globals';
import { tokenEnvVar, type ConnectTarget } from '../../../src/clients/clients.js';
import { claudeCodeCommand, configDocument, genericEntry, shellQuote, snippetFor, vscodeInstallLinks } from '../../../src/clients/snippets.js';
import { connectTarget, publicUrl } from '../../../src/clients/target.js';
import { NoPublicUrlError } from '../../../src/clients/errors.js';
import { UsageError } from '../../../src/kube/errors.js';
import type { ServerObject } from '../../../src/servers/servers.js';

const open: ConnectTarget = { name: 'weather', url: 'http://mcp.example.com/weather/mcp', authRequired: false };
const guarded: ConnectTarget = { name: 'billing-api', url: 'https://mcp.example.com/billing-api/mcp', authRequired: true };

describe('claude-code', () => {
  it('is `claude mcp add --transport http <name> <url>`', () => {
    expect(claudeCodeCommand(open)).toBe('claude mcp add --transport http weather http://mcp.example.com/weather/mcp');
  });

  it('puts --header before the name, reading the token from an environment variable', () => {
    expect(claudeCodeCommand(guarded)).toBe('claude mcp add --transport http --header "Authorization: Bearer $MCP_BILLING_API_TOKEN" billing-api https://mcp.example.com/billing-api/mcp');
  });

  it('quotes a URL the shell would split or expand', () => {
    expect(shellQuote("http://h/a b?x=1&y='2'")).toBe(`'http://h/a b?x=1&y='\\''2'\\'''`);
    expect(claudeCodeCommand({ ...open, url: 'http://h/mcp?a=1&b=2' })).toBe("claude mcp add --transport http weather 'http://h/mcp?a=1&b=2'");
  });
});

describe('cursor', () => {
  it('is mcpServers.<name>.url', () => {
    expect(configDocument('cursor', open)).toEqual({ mcpServers: { weather: { url: open.url } } });
  });

  it('adds an Authorization header interpolated from ${env:...} when authorization is required', () => {
    expect(configDocument('cursor', guarded)).toEqual({
      mcpServers: { 'billing-api': { url: guarded.url, headers: { Authorization: 'Bearer ${env:MCP_BILLING_API_TOKEN}' } } },
    });
  });
});

describe('vscode', () => {
  it('is servers.<name> with type http', () => {
    expect(configDocument('vscode', open)).toEqual({ servers: { weather: { type: 'http', url: open.url } } });
  });

  it('prompts for a token through an input (password) when authorization is required', () => {
    expect(configDocument('vscode', guarded)).toEqual({
      servers: { 'billing-api': { type: 'http', url: guarded.url, headers: { Authorization: 'Bearer ${input:billing-api-token}' } } },
      inputs: [{ type: 'promptString', id: 'billing-api-token', description: 'Bearer token for the MCP server billing-api', password: true }],
    });
  });

  it("install link: vscode:mcp/install?<encoded --add-mcp object>, and vscode.dev's redirect wrapping it", () => {
    const links = vscodeInstallLinks(open);
    expect(links.vscode.startsWith('vscode:mcp/install?')).toBe(true);
    expect(JSON.parse(decodeURIComponent(links.vscode.slice('vscode:mcp/install?'.length)))).toEqual({ name: 'weather', type: 'http', url: open.url });
    const web = new URL(links.web);
    expect(web.origin + web.pathname).toBe('https://insiders.vscode.dev/redirect');
    expect(web.searchParams.get('url')).toBe(links.vscode);
    const guardedObj = JSON.parse(decodeURIComponent(vscodeInstallLinks(guarded).vscode.slice('vscode:mcp/install?'.length)));
    expect(guardedObj.inputs).toEqual([expect.objectContaining({ id: 'billing-api-token', password: true })]);
  });

  it('prints the document on stdout and the file, the links and the auth note as notes', () => {
    const snippet = snippetFor('vscode', guarded);
    expect(JSON.parse(snippet.text)).toEqual(configDocument('vscode', guarded));
    expect(snippet.notes.join('\n')).toContain('.vscode/mcp.json');
    expect(snippet.notes.join('\n')).toContain(vscodeInstallLinks(guarded).vscode);
    expect(snippet.notes.join('\n')).toContain('requires authorization');
    expect(snippetFor('vscode', open).notes.join('\n')).not.toContain('authorization');
  });
});

describe('json', () => {
  it('is { name, url, transport: streamable-http, authRequired }', () => {
    expect(genericEntry(open)).toEqual({ name: 'weather', url: open.url, transport: 'streamable-http', authRequired: false });
    expect(genericEntry(guarded)).toEqual({
      name: 'billing-api',
      url: guarded.url,
      transport: 'streamable-http',
      authRequired: true,
      headers: { Authorization: 'Bearer ${MCP_BILLING_API_TOKEN}' },
    });
    expect(JSON.parse(snippetFor('json', open).text)).toEqual(genericEntry(open));
  });
});

describe('tokenEnvVar', () => {
  it('upper-cases the name and replaces what a variable cannot hold', () => {
    expect(tokenEnvVar('weather')).toBe('MCP_WEATHER_TOKEN');
    expect(tokenEnvVar('a.b-c')).toBe('MCP_A_B_C_TOKEN');
  });
});

const server = (status: ServerObject['status']): ServerObject => ({ metadata: { name: 'weather', namespace: 'team-a' }, status });

describe('the target from an MCPServer', () => {
  it('uses an absolute status.url as is', () => {
    expect(publicUrl(server({ url: 'https://mcp.example.com/weather/mcp' } as ServerObject['status']))).toBe('https://mcp.example.com/weather/mcp');
  });

  it('without a URL: NoPublicUrlError naming the server and `server status`', () => {
    expect(() => publicUrl(server(undefined))).toThrow(NoPublicUrlError);
    expect(() => publicUrl(server({ url: '' } as ServerObject['status']))).toThrow(/team-a\/weather has no public URL yet.*server status weather -n team-a/);
  });

  it('a path-only URL needs --base-url, which gives scheme, host and an optional prefix', () => {
    const pathOnly = server({ url: '/weather/mcp' } as ServerObject['status']);
    expect(() => publicUrl(pathOnly)).toThrow(UsageError);
    expect(() => publicUrl(pathOnly)).toThrow(/--base-url/);
    expect(publicUrl(pathOnly, 'http://localhost:8080')).toBe('http://localhost:8080/weather/mcp');
    expect(publicUrl(pathOnly, 'https://gw.example.com/platform/')).toBe('https://gw.example.com/platform/weather/mcp');
    expect(() => publicUrl(pathOnly, 'localhost:8080')).toThrow(/--base-url/);
    expect(() => publicUrl(pathOnly, 'not a url')).toThrow(/is not a URL/);
  });

  it('authorization is required when Verified has reason AuthRequired', () => {
    const at = (reason: string) =>
      connectTarget(server({ url: 'http://h/weather/mcp', conditions: [{ type: 'Verified', status: 'True', reason, message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }] } as ServerObject['status']));
    expect(at('AuthRequired').authRequired).toBe(true);
    expect(at('Verified').authRequired).toBe(false);
    expect(connectTarget(server({ url: 'http://h/weather/mcp' } as ServerObject['status'])).authRequired).toBe(false);
  });

  it('authorization is required when the gateway asks for tokens (spec.auth), as the catalog says', () => {
    const withAuth = (auth: Record<string, unknown>) => connectTarget({ ...server({ url: 'http://h/weather/mcp' } as ServerObject['status']), spec: { auth } as ServerObject['spec'] });
    expect(withAuth({ issuer: 'https://id.example.com' }).authRequired).toBe(true);
    // Anonymous calls pass: no credentials needed.
    expect(withAuth({ issuer: 'https://id.example.com', required: false }).authRequired).toBe(false);
  });
});
