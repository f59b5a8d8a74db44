// `server connect` against the real API server: MCPServers whose status (written through the
// status subresource, as the operator writes it) carries a URL; each client's snippet; --write
// on real files; and the acceptance: the URL in `--client vscode`'s output reaches a real MCP
// server (the weather example running as a process) with the MCP SDK client.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parse as parseJsonc } from 'jsonc-parser';
import { freshNamespace, installCrds, type FreshNamespace } from '../harness/index.js';
import ServerConnect from '../../../src/commands/server/connect.js';
import type { KubeRest } from '../../../src/kube/rest.js';
import { startExample, type RunningExample } from '../../unit/examples/spawn-example.js';
import { runCli, spawnCli, tempDir } from './cli.js';
import { admin, adminKubeconfig, applyAsTests } from './fixtures/cluster.js';

let rest: KubeRest;
let kubeconfig: string;
let ns: FreshNamespace;
let dir: { path: string; cleanup: () => Promise<void> };

const PUBLIC = 'http://mcp.platform.test';

async function createServer(name: string, status?: Record<string, unknown>): Promise<void> {
  await applyAsTests(rest, {
    apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
    kind: 'MCPServer',
    metadata: { name, namespace: ns.name },
    spec: { image: `registry.example.com/${name}` },
  });
  if (status === undefined) return;
  await rest.request('PATCH', `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers/${name}/status`, {
    contentType: 'application/merge-patch+json',
    body: { status: { phase: 'Ready', observedGeneration: 1, ...status } },
  });
}

const verified = (reason: string) => ({
  conditions: [{ type: 'Verified', status: 'True', reason, message: 'the operator verified the endpoint', lastTransitionTime: new Date().toISOString() }],
});

beforeAll(async () => {
  rest = await admin();
  kubeconfig = adminKubeconfig();
  await installCrds();
  ns = await freshNamespace('cli-connect');
  dir = await tempDir('connect');
  await createServer('weather', { url: `${PUBLIC}/weather/mcp`, ...verified('Verified') });
  await createServer('billing', { url: `${PUBLIC}/billing/mcp`, ...verified('AuthRequired') });
  await createServer('pathonly', { url: '/pathonly/mcp' });
  await createServer('pending');
});

afterAll(async () => {
  await ns?.cleanup();
  await dir?.cleanup();
});

const flags = () => ['-n', ns.name, '--kubeconfig', kubeconfig];
const connect = (name: string, ...argv: string[]) => runCli(ServerConnect, [name, ...flags(), ...argv]);

describe('server connect prints each client\'s snippet from status.url', () => {
  it('claude-code: the `claude mcp add` line', async () => {
    const run = await connect('weather', '--client', 'claude-code');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`claude mcp add --transport http weather ${PUBLIC}/weather/mcp\n`);
    expect(run.stderr).toContain('https://code.claude.com/docs/en/mcp');
  });

  it('cursor: the mcpServers document', async () => {
    const run = await connect('weather', '--client', 'cursor');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ mcpServers: { weather: { url: `${PUBLIC}/weather/mcp` } } });
    expect(run.stderr).toContain('.cursor/mcp.json');
  });

  it('vscode: the servers document on stdout, the install links on stderr', async () => {
    const run = await connect('weather', '--client', 'vscode');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ servers: { weather: { type: 'http', url: `${PUBLIC}/weather/mcp` } } });
    const link = /vscode:mcp\/install\?(\S+)/.exec(run.stderr)?.[1];
    expect(JSON.parse(decodeURIComponent(link!))).toEqual({ name: 'weather', type: 'http', url: `${PUBLIC}/weather/mcp` });
    expect(run.stderr).toContain('https://insiders.vscode.dev/redirect?url=vscode%3Amcp%2Finstall%3F');
  });

  it('json: name, url, transport', async () => {
    const run = await connect('weather', '--client', 'json');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ name: 'weather', url: `${PUBLIC}/weather/mcp`, transport: 'streamable-http', authRequired: false });
  });

  it('a server that requires authorization gets header placeholders, never a token', async () => {
    const claude = await connect('billing', '--client', 'claude-code');
    expect(claude.stdout).toBe(`claude mcp add --transport http --header "Authorization: Bearer $MCP_BILLING_TOKEN" billing ${PUBLIC}/billing/mcp\n`);
    expect(claude.stderr).toContain('billing requires authorization');
    const vscode = await connect('billing', '--client', 'vscode');
    expect(JSON.parse(vscode.stdout).servers.billing.headers).toEqual({ Authorization: 'Bearer ${input:billing-token}' });
    expect(JSON.parse(vscode.stdout).inputs).toEqual([expect.objectContaining({ id: 'billing-token', password: true })]);
    const cursor = await connect('billing', '--client', 'cursor');
    expect(JSON.parse(cursor.stdout).mcpServers.billing.headers).toEqual({ Authorization: 'Bearer ${env:MCP_BILLING_TOKEN}' });
  });

  it('a path-only status.url needs --base-url (exit 2), which supplies the host', async () => {
    const bare = await connect('pathonly', '--client', 'json');
    expect(bare.exitCode).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('pass --base-url');
    const based = await connect('pathonly', '--client', 'json', '--base-url', 'http://localhost:8080');
    expect(based.exitCode).toBe(0);
    expect(JSON.parse(based.stdout).url).toBe('http://localhost:8080/pathonly/mcp');
  });

  it('a server not reconciled yet (no status.url) exits 12 and says to wait; a missing one exits 6', async () => {
    const pending = await spawnCli('server/connect', ['pending', ...flags(), '--client', 'vscode']);
    expect(pending.exitCode).toBe(12);
    expect(pending.stdout).toBe('');
    expect(pending.stderr).toBe(
      `Error: MCPServer ${ns.name}/pending has no public URL yet (status.url is empty): the operator has not reconciled it. ` +
        `Wait for the operator, and check \`mcp-runtime server status pending -n ${ns.name}\` if it does not appear.\n`,
    );
    const missing = await connect('nosuch', '--client', 'vscode');
    expect(missing.exitCode).toBe(6);
  }, 60_000);
});

describe('server connect --write', () => {
  it('merges into an existing VS Code file: the other entry, unknown keys and comments stay; a .bak keeps the old file', async () => {
    const file = join(dir.path, 'existing', 'mcp.json');
    const original = [
      '// shared with the team',
      '{',
      '  "servers": {',
      '    // the notes server',
      '    "notes": { "type": "http", "url": "http://notes.internal/mcp" },',
      '  },',
      '  "x-team": "platform",',
      '}',
      '',
    ].join('\n');
    await mkdir(join(dir.path, 'existing'));
    await writeFile(file, original);
    const run = await connect('weather', '--client', 'vscode', '--write', '--config-file', file);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`Updated ${file}: added "weather" to it (previous version: ${file}.bak).`);
    const written = await readFile(file, 'utf8');
    expect(written).toContain('// shared with the team');
    expect(written).toContain('// the notes server');
    expect(written).toContain('    "notes": { "type": "http", "url": "http://notes.internal/mcp" },');
    expect(parseJsonc(written, [], { allowTrailingComma: true })).toEqual({
      servers: { weather: { type: 'http', url: `${PUBLIC}/weather/mcp` }, notes: { type: 'http', url: 'http://notes.internal/mcp' } },
      'x-team': 'platform',
    });
    expect(await readFile(`${file}.bak`, 'utf8')).toBe(original);
    // No temporary file left behind.
    expect((await readdir(join(dir.path, 'existing'))).sort()).toEqual(['mcp.json', 'mcp.json.bak']);

    const again = await connect('weather', '--client', 'vscode', '--write', '--config-file', file);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain('already has this entry');
    expect(await readFile(file, 'utf8')).toBe(written);
  });

  it('creates a Cursor file (and its folder) that does not exist yet, without a backup', async () => {
    const file = join(dir.path, 'fresh', '.cursor', 'mcp.json');
    const run = await connect('weather', '--client', 'cursor', '--write', '--config-file', file);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`Created ${file} with "weather".`);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcpServers: { weather: { url: `${PUBLIC}/weather/mcp` } } });
    expect(await readdir(join(dir.path, 'fresh', '.cursor'))).toEqual(['mcp.json']);
  });

  it('refuses a file that does not parse: exit 3 naming file:line:col, the file unchanged, no backup', async () => {
    const folder = join(dir.path, 'broken');
    const file = join(folder, 'mcp.json');
    const original = '{\n  "servers": {\n    "notes": { "url": "http://notes.internal/mcp" }\n    "other": {}\n  }\n}\n';
    await mkdir(folder);
    await writeFile(file, original);
    const run = await spawnCli('server/connect', ['weather', ...flags(), '--client', 'vscode', '--write', '--config-file', file]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toBe(`${file}:4:5 "," is expected\nError: ${file} is not valid JSON (comments and trailing commas allowed); it was not changed\n`);
    expect(await readFile(file, 'utf8')).toBe(original);
    expect(await readdir(folder)).toEqual(['mcp.json']);
  }, 60_000);

  it('a file in the way of the config folder: exit 11 naming the path, nothing written', async () => {
    const blocker = join(dir.path, 'blocker');
    await writeFile(blocker, 'not a folder');
    const run = await connect('weather', '--client', 'cursor', '--write', '--config-file', join(blocker, 'mcp.json'));
    expect(run.exitCode).toBe(11);
    expect(run.stderr).toContain(`cannot write ${join(blocker, 'mcp.json')}: cannot read it: a file is in the way of its folder; the file was not changed`);
    expect(await readFile(blocker, 'utf8')).toBe('not a folder');
  });

  it('claude-code has no file: the command is printed, nothing is written, exit 2', async () => {
    const run = await connect('weather', '--client', 'claude-code', '--write');
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe(`claude mcp add --transport http weather ${PUBLIC}/weather/mcp\n`);
    expect(run.stderr).toContain('--write does not apply to --client claude-code');
  });
});

describe('acceptance: the snippet of `server connect --client vscode` connects a real MCP client', () => {
  let example: RunningExample | undefined;

  afterAll(async () => {
    await example?.stop();
  });

  it('the URL from the printed .vscode/mcp.json entry lists the weather tools with the SDK client', async () => {
    example = await startExample('weather');
    await createServer('live', { url: example.mcpUrl, ...verified('Verified') });
    const run = await connect('live', '--client', 'vscode');
    expect(run.exitCode).toBe(0);
    const entry = JSON.parse(run.stdout).servers.live as { type: string; url: string };
    expect(entry.type).toBe('http');

    const client = new Client({ name: 'connect-acceptance', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(entry.url));
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe('weather');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['convert_temperature', 'get_forecast']);
    } finally {
      await client.close();
    }
  }, 60_000);
});
