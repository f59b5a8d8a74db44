/**
 * What each MCP client needs to reach a server, built from its name and public URL. Pure.
 * Formats follow each client's current documentation (URLs in CLIENT_DOCS and next to each
 * builder); credentials are never filled in: a server that requires authorization gets a
 * header that reads the token from where the client resolves it (an environment variable, a
 * VS Code input prompt), and a note saying so.
 */
import { CLIENT_DOCS, DEFAULT_CONFIG_FILES, tokenEnvVar, type ClientName, type ConnectTarget } from './clients.js';

/** What `server connect` prints: `text` (stdout) is exactly what to paste or run; `notes` (stderr) say where. */
export interface ClientSnippet {
  readonly text: string;
  readonly notes: readonly string[];
}

/** A shell word: left bare when it is safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\-.:/@%+=,]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Claude Code: `claude mcp add --transport http <name> <url>`; options (--header too) come
 * before the name. https://code.claude.com/docs/en/mcp
 */
export function claudeCodeCommand(target: ConnectTarget): string {
  // Double quotes on purpose: the user's shell expands the variable, so the token never passes through us.
  const header = target.authRequired ? ` --header "Authorization: Bearer $${tokenEnvVar(target.name)}"` : '';
  return `claude mcp add --transport http${header} ${shellQuote(target.name)} ${shellQuote(target.url)}`;
}

/**
 * Cursor: `{ "mcpServers": { "<name>": { "url": ... } } }` in ~/.cursor/mcp.json or the project's
 * .cursor/mcp.json; `${env:NAME}` is interpolated in headers. https://cursor.com/docs/mcp
 */
export function cursorEntry(target: ConnectTarget): Record<string, unknown> {
  return {
    url: target.url,
    ...(target.authRequired ? { headers: { Authorization: `Bearer \${env:${tokenEnvVar(target.name)}}` } } : {}),
  };
}

export interface VscodeInput {
  type: 'promptString';
  id: string;
  description: string;
  password: true;
}

/** The VS Code input that prompts for the token (stored by VS Code, not written to the file). */
export function vscodeTokenInput(target: ConnectTarget): VscodeInput {
  return { type: 'promptString', id: `${target.name}-token`, description: `Bearer token for the MCP server ${target.name}`, password: true };
}

/**
 * VS Code: `{ "servers": { "<name>": { "type": "http", "url": ... } }, "inputs": [...] }` in
 * .vscode/mcp.json or the user profile's mcp.json; `${input:id}` prompts once and keeps the
 * value out of the file. https://code.visualstudio.com/docs/copilot/reference/mcp-configuration
 */
export function vscodeEntry(target: ConnectTarget): Record<string, unknown> {
  return {
    type: 'http',
    url: target.url,
    ...(target.authRequired ? { headers: { Authorization: `Bearer \${input:${vscodeTokenInput(target).id}}` } } : {}),
  };
}

/**
 * VS Code's install links. The URL handler takes the `--add-mcp` object (name plus the server
 * entry, inputs alongside): `vscode:mcp/install?<encodeURIComponent(JSON)>`
 * (https://code.visualstudio.com/docs/copilot/guides/mcp-developer-guide, "MCP URL handler").
 * Pages that cannot link to `vscode:` (GitHub markdown) wrap it in vscode.dev's redirect, the
 * form the "Install in VS Code" badges of MCP server READMEs use.
 */
export function vscodeInstallLinks(target: ConnectTarget): { vscode: string; web: string } {
  const obj = { name: target.name, ...vscodeEntry(target), ...(target.authRequired ? { inputs: [vscodeTokenInput(target)] } : {}) };
  const vscode = `vscode:mcp/install?${encodeURIComponent(JSON.stringify(obj))}`;
  return { vscode, web: `https://insiders.vscode.dev/redirect?url=${encodeURIComponent(vscode)}` };
}

/**
 * Any other client: the server's name, URL and transport, the way MCP names it
 * ("Streamable HTTP"). https://modelcontextprotocol.io/specification/2025-11-25/basic/transports
 */
export function genericEntry(target: ConnectTarget): Record<string, unknown> {
  return {
    name: target.name,
    url: target.url,
    transport: 'streamable-http',
    authRequired: target.authRequired,
    ...(target.authRequired ? { headers: { Authorization: `Bearer \${${tokenEnvVar(target.name)}}` } } : {}),
  };
}

/** The whole file (or document) a client reads, with only this server in it. */
export function configDocument(client: 'cursor' | 'vscode', target: ConnectTarget): Record<string, unknown> {
  if (client === 'cursor') return { mcpServers: { [target.name]: cursorEntry(target) } };
  return { servers: { [target.name]: vscodeEntry(target) }, ...(target.authRequired ? { inputs: [vscodeTokenInput(target)] } : {}) };
}

function authNote(client: ClientName, target: ConnectTarget): string[] {
  if (!target.authRequired) return [];
  const env = tokenEnvVar(target.name);
  const how: Record<ClientName, string> = {
    'claude-code': `export ${env} before running the command (your shell puts the token in the header)`,
    cursor: `Cursor reads the token from the environment variable ${env}`,
    vscode: `VS Code prompts for the token once (input "${vscodeTokenInput(target).id}") and stores it outside the file`,
    json: `send the header "Authorization: Bearer <token>"; the placeholder names ${env}`,
  };
  return [`${target.name} requires authorization (the operator's verification got 401/403): ${how[client]}.`];
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export function snippetFor(client: ClientName, target: ConnectTarget): ClientSnippet {
  switch (client) {
    case 'claude-code':
      return { text: claudeCodeCommand(target), notes: [`Run this to add ${target.name} to Claude Code (docs: ${CLIENT_DOCS[client]}).`, ...authNote(client, target)] };
    case 'cursor':
      return {
        text: json(configDocument('cursor', target)),
        notes: [`Merge into ${DEFAULT_CONFIG_FILES.cursor} (this project) or ~/.cursor/mcp.json (every project), or rerun with --write (docs: ${CLIENT_DOCS[client]}).`, ...authNote(client, target)],
      };
    case 'vscode': {
      const links = vscodeInstallLinks(target);
      return {
        text: json(configDocument('vscode', target)),
        notes: [
          `Merge into ${DEFAULT_CONFIG_FILES.vscode} (this workspace) or run "MCP: Open User Configuration", or rerun with --write (docs: ${CLIENT_DOCS[client]}).`,
          `Or install it in VS Code from this link: ${links.vscode}`,
          `For a web page: ${links.web}`,
          ...authNote(client, target),
        ],
      };
    }
    case 'json':
      return { text: json(genericEntry(target)), notes: [`Streamable HTTP endpoint of ${target.name} (transport: ${CLIENT_DOCS[client]}).`, ...authNote(client, target)] };
  }
}
