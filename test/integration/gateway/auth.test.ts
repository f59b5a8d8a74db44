/**
 * spec.auth in the gateway, against a real OpenID provider (oidc-provider, issuing RFC 9068 JWT
 * access tokens by client_credentials with RFC 8707 resources), the real API server and real MCP
 * servers as processes. Requests come with the header a server's route sets and the Host the
 * edge forwards, so the public URL (and with it the audience) is the gateway's own address.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest, createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { GATEWAY_RULES } from '../../../charts-ts/platform/gateway.js';
import { startGateway, type RunningGateway } from '../../../src/gateway/gateway.js';
import { generateSessionKey } from '../../../src/gateway/session-keys.js';
import { TokenVerifier } from '../../../src/gateway/token-verifier.js';
import { KubeRest } from '../../../src/kube/rest.js';
import { createLogger } from '../../../src/runtime/index.js';
import { asServiceAccount, freshNamespace, hostAddress, installCrds, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin } from '../cli/fixtures/cluster.js';
import { startExample, type RunningExample } from '../../unit/examples/spawn-example.js';
import { startOidcProvider, type RunningOidcProvider } from '../../fixtures/oidc-provider.js';

const SCOPE = 'mcp:tools';
const secret = () => randomBytes(24).toString('base64url');
const agent = { clientId: 'agent', clientSecret: secret(), scope: `${SCOPE} other` };
const shortLived = { clientId: 'short-lived', clientSecret: secret(), scope: SCOPE, tokenTtlSeconds: 1 };
const unscoped = { clientId: 'unscoped', clientSecret: secret(), scope: 'other' };

let rest: KubeRest;
let ns: FreshNamespace;
let gateway: RunningGateway;
let keysDir: string;
let provider: RunningOidcProvider;
let stranger: RunningOidcProvider;
let weather: RunningExample;
let echo: Server;
const echoed: IncomingHttpHeaders[] = [];
const audit: string[] = [];
const logLines: string[] = [];
const issued: string[] = [];

const HOST_IP = hostAddress();

async function createServer(name: string, spec: Record<string, unknown>): Promise<void> {
  await rest.request('POST', `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers`, {
    body: { apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', metadata: { name }, spec: { image: `example/${name}:1`, stateless: true, ...spec } },
  });
  await rest.request('POST', `/apis/discovery.k8s.io/v1/namespaces/${ns.name}/endpointslices`, {
    body: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-0`, labels: { 'kubernetes.io/service-name': name, 'app.kubernetes.io/component': 'mcp-server', 'app.kubernetes.io/managed-by': 'mcp-runtime' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [HOST_IP], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', name: `${name}-0`, namespace: ns.name, uid: randomUUID() } }],
      ports: [{ name: 'http', port: name.startsWith('echo') ? (echo.address() as AddressInfo).port : Number(new URL(weather.mcpUrl).port), protocol: 'TCP' }],
    },
  });
}

/** The public URL of a server as a client sees it: the gateway's own address, the server's path. */
const publicUrl = (server: string) => `${gateway.url}/${server}/mcp`;

/** A raw request as Traefik would pass it (server header set), with exactly the headers given. */
function send(server: string, headers: Record<string, string | string[]>, options: { path?: string; method?: string; body?: string } = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const url = new URL(gateway.url);
  const body = options.body ?? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'POST',
        // Traefik's path rewrite has already run: /<name>/mcp arrives as the container's /mcp.
        path: options.path ?? '/mcp',
        headers: {
          'x-mcp-runtime-server': `${ns.name}/${server}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.method === 'GET' ? undefined : body);
  });
}

/** A GET of the bare well-known path as a server's root-fallback rule passes it: the client's Host, no server header. */
function getRoot(host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: 'GET', path: '/.well-known/oauth-protected-resource', headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function token(clientId: string, resource: string, from: RunningOidcProvider = provider, scope?: string): Promise<string> {
  const client = [agent, shortLived, unscoped].find((c) => c.clientId === clientId)!;
  const t = await from.token({ clientId, clientSecret: client.clientSecret, resource, ...(scope === undefined ? {} : { scope }) });
  issued.push(t);
  return t;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const challengeOf = (h: IncomingHttpHeaders) => String(h['www-authenticate'] ?? '');

beforeAll(async () => {
  await installCrds();
  rest = await admin();
  ns = await freshNamespace('gateway-auth');
  keysDir = await mkdtemp(join(tmpdir(), 'gateway-auth-keys-'));
  await writeFile(join(keysDir, 'current'), generateSessionKey());
  [provider, stranger, weather] = await Promise.all([
    startOidcProvider({ clients: [agent, shortLived, unscoped] }),
    startOidcProvider({ clients: [agent, shortLived, unscoped] }),
    startExample('weather', { HOST: '0.0.0.0' }),
  ]);
  // A pod that shows which headers reach it.
  echo = createHttpServer((req, res) => {
    echoed.push(req.headers);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: [] } }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '0.0.0.0', resolve));

  await createServer('secure', { auth: { issuer: provider.issuer, scopes: [SCOPE] } });
  await createServer('anonymous-ok', { auth: { issuer: provider.issuer, required: false } });
  await createServer('open', {});
  await createServer('echo-hidden', { auth: { issuer: provider.issuer } });
  await createServer('echo-forwarded', { auth: { issuer: provider.issuer, forwardToken: true } });
  await createServer('unreachable-issuer', { auth: { issuer: 'http://127.0.0.1:1' } });
  // get_forecast is denied to everyone but the client "agent".
  // RFC 9728's root fallback: one protected server alone on its host, two sharing another.
  await createServer('solo', { ingressHost: 'solo.example.test', auth: { issuer: provider.issuer, scopes: [SCOPE] } });
  await createServer('shared-a', { ingressHost: 'shared.example.test', auth: { issuer: provider.issuer } });
  await createServer('shared-b', { ingressHost: 'shared.example.test', auth: { issuer: provider.issuer } });
  await createServer('per-caller', { auth: { issuer: provider.issuer }, tools: { deny: ['get_forecast'], callers: [{ claim: 'client_id', values: [agent.clientId], allow: ['*'] }] } });

  const kc = await asServiceAccount(ns.name, 'gateway', { create: true, rules: GATEWAY_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })) });
  const logs = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      done();
    },
  });
  gateway = await startGateway({
    client: new KubeRest(kc).client,
    settings: { listen: { host: '127.0.0.1', port: 0 }, adminListen: { host: '127.0.0.1', port: 0 }, sessionKeysDir: keysDir, auditPayloads: false, drainSeconds: 0, namespaces: [ns.name] },
    logger: createLogger({ level: 'debug', destination: logs }),
    audit: (line) => audit.push(line),
    // No clock tolerance, so a 1 s token expires within a second; no key-fetch cool-down, so a rotation is seen at once.
    tokens: new TokenVerifier({ clockToleranceSeconds: 0, keysCooldownMs: 0 }),
  });
  await waitFor('the gateway routes the servers', () => send('open', {}), { until: (r) => r.status === 200, timeoutMs: 30_000 });
  await waitFor('the gateway knows every server', () => send('echo-forwarded', {}), { until: (r) => r.status === 401, timeoutMs: 30_000 });
}, 90_000);

afterAll(async () => {
  await gateway?.stop(1_000);
  await Promise.all([provider?.stop(), stranger?.stop(), weather?.stop(), new Promise<void>((resolve) => (echo === undefined ? resolve() : echo.close(() => resolve())))]);
  await ns?.cleanup();
  if (keysDir !== undefined) await rm(keysDir, { recursive: true, force: true });
});

describe('spec.auth in the gateway', () => {
  it('publishes RFC 9728 metadata at the path-inserted well-known URL, built from the public host', async () => {
    const prm = await send('secure', {}, { method: 'GET', path: '/.well-known/oauth-protected-resource/secure/mcp' });
    expect(prm.status).toBe(200);
    expect(JSON.parse(prm.body)).toEqual({
      resource: publicUrl('secure'),
      authorization_servers: [provider.issuer],
      scopes_supported: [SCOPE],
      bearer_methods_supported: ['header'],
      resource_name: `${ns.name}/secure`,
    });
    // Behind a TLS edge: the forwarded scheme and host make the URLs.
    const behindTls = await send('secure', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'mcp.example.com' }, { method: 'GET', path: '/.well-known/oauth-protected-resource/secure/mcp' });
    expect(JSON.parse(behindTls.body).resource).toBe('https://mcp.example.com/secure/mcp');
    // Open servers have none; metadata is read, not posted.
    expect((await send('open', {}, { method: 'GET', path: '/.well-known/oauth-protected-resource/open/mcp' })).status).toBe(404);
    expect((await send('secure', {}, { method: 'POST', path: '/.well-known/oauth-protected-resource/secure/mcp' })).status).toBe(405);
  });

  it("answers the bare well-known path for the one protected server on the request's host, with the same document", async () => {
    const root = await waitFor('the gateway knows solo', () => getRoot('solo.example.test'), { until: (r) => r.status === 200, timeoutMs: 30_000 });
    expect(JSON.parse(root.body)).toEqual({
      resource: 'http://solo.example.test/solo/mcp',
      authorization_servers: [provider.issuer],
      scopes_supported: [SCOPE],
      bearer_methods_supported: ['header'],
      resource_name: `${ns.name}/solo`,
    });
    // The same document as at its path-inserted URL (what its route sends with the server header).
    const inserted = await send('solo', { host: 'solo.example.test' }, { method: 'GET', path: '/.well-known/oauth-protected-resource/solo/mcp' });
    expect(JSON.parse(inserted.body)).toEqual(JSON.parse(root.body));
    // Behind TLS the edge's scheme makes the URLs; a server header a client sends is not trusted here.
    const forged = await getRoot('solo.example.test', { 'x-forwarded-proto': 'https', 'x-mcp-runtime-server': `${ns.name}/shared-a` });
    expect(JSON.parse(forged.body).resource).toBe('https://solo.example.test/solo/mcp');
  });

  it('answers 404 with each path-inserted metadata URL when several protected servers share the host, and 404 for a host with none', async () => {
    const shared = await waitFor('the gateway knows both shared servers', () => getRoot('shared.example.test'), { until: (r) => r.body.includes('shared-b'), timeoutMs: 30_000 });
    expect(shared.status).toBe(404);
    expect(JSON.parse(shared.body)).toEqual({
      error: 'several_protected_resources',
      error_description: expect.stringContaining('2 protected MCP servers are routed on shared.example.test'),
      resource_metadata: ['http://shared.example.test/.well-known/oauth-protected-resource/shared-a/mcp', 'http://shared.example.test/.well-known/oauth-protected-resource/shared-b/mcp'],
    });
    // The servers without a host are routed on any other host: several of them here, none on the hosts above.
    const anyHost = JSON.parse((await getRoot('other.example.test')).body) as { resource_metadata: string[] };
    expect(anyHost.resource_metadata).toContain('http://other.example.test/.well-known/oauth-protected-resource/secure/mcp');
    expect(anyHost.resource_metadata.join()).not.toMatch(/solo|shared/);
    // Not a metadata document for anything else, and read-only.
    expect((await getRoot('bad host')).status).toBe(404);
  });

  it('the MCP SDK client follows resource_metadata to the issuer, gets a token by client credentials and calls a tool', async () => {
    const origin = new URL(gateway.url).origin;
    // What Traefik adds on the server's routes (the SDK's requests to the provider go straight there).
    const routed: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin !== origin) return fetch(input, init);
      const headers = new Headers(init?.headers);
      headers.set('X-Mcp-Runtime-Server', `${ns.name}/secure`);
      if (url.pathname === '/secure/mcp') url.pathname = '/mcp';
      return fetch(url, { ...init, headers });
    };
    const authProvider = new ClientCredentialsProvider({ clientId: agent.clientId, clientSecret: agent.clientSecret, scope: SCOPE, expectedIssuer: provider.issuer });
    const client = new Client({ name: 'auth-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(publicUrl('secure')), { fetch: routed, authProvider }));
    const result = await client.callTool({ name: 'get_forecast', arguments: { city: 'Amsterdam' } });
    expect(result.isError).not.toBe(true);
    const sdkToken = authProvider.tokens()?.access_token;
    expect(sdkToken).toBeDefined();
    issued.push(sdkToken!);
    await client.close();
    // The call is audited with the caller (the token's subject).
    const line = audit.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.server === `${ns.name}/secure` && l.tool === 'get_forecast');
    expect(line).toMatchObject({ caller: agent.clientId, status: 'ok' });
  });

  describe('refuses bad credentials with the status and challenge RFC 6750 and MCP prescribe', () => {
    const metadata = () => `resource_metadata="${gateway.url}/.well-known/oauth-protected-resource/secure/mcp"`;

    it.each<[string, () => Promise<Record<string, string | string[]>>, number, string | undefined]>([
      ['no Authorization header', async () => ({}), 401, undefined],
      ['Basic credentials', async () => ({ authorization: 'Basic YWdlbnQ6c2VjcmV0' }), 401, undefined],
      ['a DPoP-scheme token', async () => ({ authorization: `DPoP ${await token('agent', publicUrl('secure'))}` }), 401, undefined],
      ['Bearer without a token', async () => ({ authorization: 'Bearer' }), 400, 'invalid_request'],
      ['Bearer with two tokens', async () => ({ authorization: 'Bearer abc def' }), 400, 'invalid_request'],
      ['two Authorization headers', async () => ({ authorization: [`Bearer ${await token('agent', publicUrl('secure'))}`, 'Bearer x'] }), 400, 'invalid_request'],
      ['a quote in the token', async () => ({ authorization: 'Bearer ab"c' }), 400, 'invalid_request'],
      ['a trailing comma', async () => ({ authorization: `Bearer ${await token('agent', publicUrl('secure'))},` }), 400, 'invalid_request'],
      ['an empty Authorization header', async () => ({ authorization: '' }), 400, 'invalid_request'],
      ['an opaque random token', async () => bearer(randomBytes(32).toString('base64url')), 401, 'invalid_token'],
      ['three dotted garbage parts', async () => bearer('abc.def.ghi'), 401, 'invalid_token'],
      ['a JWT without a signature (alg none)', async () => bearer(new UnsecuredJWT({ scope: SCOPE }).setIssuer(provider.issuer).setAudience(publicUrl('secure')).setExpirationTime('5m').encode()), 401, 'invalid_token'],
      [
        'an HS256 JWT with a made-up secret',
        async () => bearer(await new SignJWT({ scope: SCOPE }).setProtectedHeader({ alg: 'HS256' }).setIssuer(provider.issuer).setAudience(publicUrl('secure')).setExpirationTime('5m').sign(randomBytes(32))),
        401,
        'invalid_token',
      ],
      [
        "a JWT signed with a key the provider does not publish, under the provider's key id",
        async () => {
          const real = await token('agent', publicUrl('secure'));
          const kid = (JSON.parse(Buffer.from(real.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
          const { privateKey } = await generateKeyPair('RS256');
          return bearer(await new SignJWT({ scope: SCOPE }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(provider.issuer).setAudience(publicUrl('secure')).setExpirationTime('5m').sign(privateKey));
        },
        401,
        'invalid_token',
      ],
      [
        'a JWT naming a key id nobody published',
        async () => {
          const { privateKey, publicKey } = await generateKeyPair('ES256');
          const kid = (await exportJWK(publicKey)).x!.slice(0, 8);
          return bearer(await new SignJWT({ scope: SCOPE }).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(provider.issuer).setAudience(publicUrl('secure')).setExpirationTime('5m').sign(privateKey));
        },
        401,
        'invalid_token',
      ],
      [
        'a real token with its payload changed',
        async () => {
          const [h, p, s] = (await token('agent', publicUrl('secure'))).split('.') as [string, string, string];
          const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
          return bearer(`${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`);
        },
        401,
        'invalid_token',
      ],
      [
        'a real token with its signature changed',
        async () => {
          const t = await token('agent', publicUrl('secure'));
          return bearer(`${t.slice(0, -4)}${t.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`);
        },
        401,
        'invalid_token',
      ],
      ['a real token without its signature', async () => bearer((await token('agent', publicUrl('secure'))).split('.').slice(0, 2).join('.')), 401, 'invalid_token'],
      ['a token for another server (audience)', async () => bearer(await token('agent', publicUrl('open'))), 401, 'invalid_token'],
      ['a token for this path on another host (audience)', async () => bearer(await token('agent', 'http://evil.example/secure/mcp')), 401, 'invalid_token'],
      ['a token from another authorization server (issuer)', async () => bearer(await token('agent', publicUrl('secure'), stranger)), 401, 'invalid_token'],
      ['a token without the required scope', async () => bearer(await token('unscoped', publicUrl('secure'))), 403, 'insufficient_scope'],
      ['a token that narrowed its scopes away', async () => bearer(await token('agent', publicUrl('secure'), provider, 'other')), 403, 'insufficient_scope'],
    ])('%s', async (_, headers, status, error) => {
      const r = await send('secure', await headers());
      expect(r.status).toBe(status);
      const challenge = challengeOf(r.headers);
      expect(challenge).toMatch(/^Bearer /);
      expect(challenge).toContain(metadata());
      expect(challenge).toContain(`scope="${SCOPE}"`);
      if (error === undefined) expect(challenge).not.toContain('error=');
      else expect(challenge).toContain(`error="${error}"`);
      // A JSON-RPC error body, as MCP clients expect.
      expect(JSON.parse(r.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 } });
    });

    it.each<[string, Record<string, string>, string, number]>([
      ['a token in the query string', {}, '/mcp?access_token=abc', 400],
      ['a token in the query string next to a header', { authorization: 'Bearer abc' }, '/mcp?x=1&access_token=abc', 400],
    ])('%s', async (_, headers, path, status) => {
      const r = await send('secure', headers, { path });
      expect(r.status).toBe(status);
      expect(challengeOf(r.headers)).toContain('error="invalid_request"');
    });

    it('a header too large for any token (the HTTP server refuses it)', async () => {
      expect((await send('secure', bearer('a'.repeat(20_000)))).status).toBe(431);
    });

    it('an expired token (1 s lifetime), once its second is over', async () => {
      const t = await token('short-lived', publicUrl('secure'));
      const r = await waitFor('the 1 s token refused', () => send('secure', bearer(t)), { until: (x) => x.status !== 200, timeoutMs: 10_000, intervalMs: 200 });
      expect(r.status).toBe(401);
      expect(challengeOf(r.headers)).toContain('error="invalid_token"');
      expect(challengeOf(r.headers)).toContain('expired');
    });
  });

  it('accepts a valid token in any letter case of the scheme, and extra spaces', async () => {
    const t = await token('agent', publicUrl('secure'));
    for (const authorization of [`Bearer ${t}`, `bearer ${t}`, `BEARER   ${t}`]) expect((await send('secure', { authorization })).status).toBe(200);
  });

  it('follows a key rotation: a token under the new key is accepted at once, one under the retired key refused', async () => {
    const before = await token('agent', publicUrl('secure'));
    expect((await send('secure', bearer(before))).status).toBe(200);
    await provider.rotateKeys();
    // A token naming a key the gateway has not seen makes it fetch the key set again at once...
    expect((await send('secure', bearer(await token('agent', publicUrl('secure'))))).status).toBe(200);
    // ...which no longer holds the retired key.
    const old = await send('secure', bearer(before));
    expect(old.status).toBe(401);
    expect(challengeOf(old.headers)).toContain('error="invalid_token"');
  });

  it('with required: false, lets anonymous calls through but still refuses a bad token', async () => {
    expect((await send('anonymous-ok', {})).status).toBe(200);
    expect((await send('anonymous-ok', bearer('abc.def.ghi'))).status).toBe(401);
    expect((await send('anonymous-ok', bearer(await token('agent', publicUrl('anonymous-ok'))))).status).toBe(200);
  });

  it("never passes the caller's token to the pod unless forwardToken says so", async () => {
    echoed.length = 0;
    const hidden = await send('echo-hidden', bearer(await token('agent', publicUrl('echo-hidden'))));
    expect(hidden.status).toBe(200);
    expect(echoed.at(-1)?.authorization).toBeUndefined();
    const t = await token('agent', publicUrl('echo-forwarded'));
    expect((await send('echo-forwarded', bearer(t))).status).toBe(200);
    expect(echoed.at(-1)?.authorization).toBe(`Bearer ${t}`);
  });

  it('answers 503 (not 401) when the issuer cannot be reached to check a token', async () => {
    const r = await send('unreachable-issuer', bearer(await token('agent', publicUrl('unreachable-issuer'))));
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect((await send('unreachable-issuer', {})).status).toBe(401);
  });

  it('applies spec.tools.callers per token: the matching client sees and calls the tool, another gets it neither listed nor callable, both audited with caller and decision', async () => {
    const names = async (t: string) => {
      const r = await send('per-caller', bearer(t));
      expect(r.status).toBe(200);
      return ((JSON.parse(r.body) as { result: { tools: { name: string }[] } }).result.tools ?? []).map((x) => x.name).sort();
    };
    const call = (t: string) =>
      send('per-caller', bearer(t), { body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get_forecast', arguments: { city: 'Amsterdam' } } }) });
    const mine = await token('agent', publicUrl('per-caller'));
    const theirs = await token('unscoped', publicUrl('per-caller'));
    expect(await names(mine)).toEqual(['convert_temperature', 'get_forecast']);
    expect(await names(theirs)).toEqual(['convert_temperature']);
    const allowed = JSON.parse((await call(mine)).body) as { result?: unknown };
    expect(allowed.result).toBeDefined();
    const denied = JSON.parse((await call(theirs)).body) as { error?: { code: number; message: string } };
    expect(denied.error).toMatchObject({ code: -32602 });
    expect(denied.error?.message).toContain('not allowed');
    const lines = audit.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.server === `${ns.name}/per-caller`);
    expect(lines).toEqual([
      expect.objectContaining({ tool: 'get_forecast', caller: agent.clientId, decision: 'allowed', status: 'ok' }),
      expect.objectContaining({ tool: 'get_forecast', caller: unscoped.clientId, decision: 'denied', status: 'denied' }),
    ]);
  });

  it('counts refusals per server, and writes no token or secret to any log or audit line', async () => {
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    const refused = (reason: string) =>
      metrics
        .split('\n')
        .filter((l) => l.startsWith('mcp_gateway_request_errors_total{') && l.includes(`server="${ns.name}/secure"`) && l.includes(`reason="${reason}"`))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(refused('unauthorized')).toBeGreaterThanOrEqual(20);
    expect(refused('forbidden')).toBeGreaterThanOrEqual(2);
    expect(issued.length).toBeGreaterThan(10);
    const everything = [...logLines, ...audit].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const t of issued) {
      expect(everything).not.toContain(t);
      expect(everything).not.toContain(t.split('.')[2]!);
    }
    for (const s of [agent.clientSecret, shortLived.clientSecret, unscoped.clientSecret]) expect(everything).not.toContain(s);
  });
});
