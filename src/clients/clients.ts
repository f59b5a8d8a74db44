/**
 * The MCP clients `server connect` knows, what it needs to know about a server to configure
 * them, and where each client documents its format (cited next to each builder).
 */

export const CLIENTS = ['claude-code', 'cursor', 'vscode', 'json'] as const;
export type ClientName = (typeof CLIENTS)[number];

/** What a client needs to reach one MCPServer. */
export interface ConnectTarget {
  /** The entry's name in the client (the MCPServer's name). */
  readonly name: string;
  /** The public streamable-HTTP URL (absolute). */
  readonly url: string;
  /** The operator found the endpoint protected (Verified, reason AuthRequired): the client must send credentials. */
  readonly authRequired: boolean;
}

/** Clients whose configuration is a JSON file we can merge into (`--write`). */
export const FILE_CLIENTS = ['cursor', 'vscode'] as const;
export type FileClientName = (typeof FILE_CLIENTS)[number];

export function isFileClient(client: ClientName): client is FileClientName {
  return (FILE_CLIENTS as readonly string[]).includes(client);
}

/** Each file client's project-level config file, relative to the working directory. */
export const DEFAULT_CONFIG_FILES: Readonly<Record<FileClientName, string>> = {
  vscode: '.vscode/mcp.json',
  cursor: '.cursor/mcp.json',
};

/** The documentation each format follows. */
export const CLIENT_DOCS: Readonly<Record<ClientName, string>> = {
  'claude-code': 'https://code.claude.com/docs/en/mcp',
  cursor: 'https://cursor.com/docs/mcp',
  vscode: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration',
  json: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http',
};

/**
 * The environment variable a bearer token is read from, never the token itself:
 * `weather-api` → `MCP_WEATHER_API_TOKEN`.
 */
export function tokenEnvVar(name: string): string {
  return `MCP_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')}_TOKEN`;
}
