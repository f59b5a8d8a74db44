/**
 * Runs an example server from source as a child process (node + the tsx loader, so SIGTERM
 * reaches the server itself, not a wrapper) on a free port of 127.0.0.1, and reads its JSON logs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

export interface RunningExample {
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  /** The MCP endpoint, <baseUrl>/mcp. */
  readonly mcpUrl: string;
  /** Every JSON log line printed so far. */
  readonly logs: readonly LogLine[];
  /** Sends SIGTERM (once) and resolves with the exit code. Safe to call more than once. */
  stop(): Promise<number | null>;
}

export async function startExample(name: 'weather' | 'notes', env: Record<string, string> = {}): Promise<RunningExample> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', `examples/${name}/src/server.ts`], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as LogLine;
        logs.push(entry);
        if (entry.msg === 'listening') resolve(entry.port as number);
      } catch {
        // Not one of our JSON lines (e.g. a runtime warning): ignore.
      }
    });
    void exited.then((code) => reject(new Error(`${name} exited with ${code} before listening:\n${stderr}`)));
  });

  let stopping: Promise<number | null> | undefined;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    mcpUrl: `${baseUrl}/mcp`,
    logs,
    stop() {
      if (!stopping) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        stopping = exited;
      }
      return stopping;
    },
  };
}

/** Raw MCP POST, for what the SDK client would never send (bad headers, stale session ids). */
export async function postMcp(url: string, message: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(message),
  });
}

export const initializeRequest = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-test', version: '1.0.0' } },
} as const;

/** The JSON-RPC messages of a response, whether it came as JSON or as an SSE stream. */
export async function readMessages(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) return [JSON.parse(text)];
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:') && line.length > 'data:'.length)
    .map((line) => JSON.parse(line.slice('data:'.length)));
}
