/**
 * A small MCP readiness probe over Streamable HTTP, built on the official SDK client: initialize
 * (+ notifications/initialized), then tools/list. Reused by end-to-end tests through the platform.
 * It never sends DELETE at the end (some servers mishandle it); closing only drops the connection.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface McpProbeResult {
  serverName: string;
  serverVersion: string;
  /** The protocol revision negotiated in initialize. */
  protocolVersion: string;
  /** True when the server issued an Mcp-Session-Id (state lives in one replica). */
  sessionful: boolean;
  /** Tool names, sorted. */
  tools: string[];
}

export interface McpProbeOptions {
  /** Extra request headers, e.g. Authorization or Host. */
  headers?: Record<string, string>;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

/** Bounds tools/list paging against a server that keeps returning a cursor. */
const MAX_PAGES = 50;

export async function probeMcp(url: string | URL, options: McpProbeOptions = {}): Promise<McpProbeResult> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: options.headers } });
  const client = new Client({ name: 'mcp-runtime-probe', version: '0.1.0' });
  const requestOptions = { timeout: options.timeoutMs ?? 10_000 };
  try {
    await client.connect(transport, requestOptions);
    const tools: string[] = [];
    if (client.getServerCapabilities()?.tools) {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await client.listTools(cursor === undefined ? {} : { cursor }, requestOptions);
        tools.push(...result.tools.map((tool) => tool.name));
        cursor = result.nextCursor;
        if (cursor === undefined) break;
      }
    }
    const info = client.getServerVersion();
    return {
      serverName: info?.name ?? '',
      serverVersion: info?.version ?? '',
      protocolVersion: transport.protocolVersion ?? '',
      sessionful: transport.sessionId !== undefined,
      tools: tools.sort(),
    };
  } finally {
    await client.close();
  }
}
