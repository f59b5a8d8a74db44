import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiError, errorCode, KubeClient, NotKubernetesError, type WatchEvent } from '../../../src/runtime/kube-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let handler: Handler = (_req, res) => res.end();
let client: KubeClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  client = new KubeClient(kc, { timeoutMs: 2000, userAgent: 'test-agent' });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('KubeClient.request', () => {
  it('sends JSON with credentials and query, and parses the answer', async () => {
    let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    handler = (req, res, body) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"kind":"ConfigMap","data":{"a":"b"}}');
    };
    const out = await client.request('PATCH', '/api/v1/namespaces/n/configmaps/x', {
      query: { fieldManager: 'me', force: true, dryRun: undefined },
      body: { data: { a: 'b' } },
      contentType: 'application/apply-patch+yaml',
    });
    expect(out).toEqual({ kind: 'ConfigMap', data: { a: 'b' } });
    expect(seen.method).toBe('PATCH');
    expect(seen.url).toBe('/api/v1/namespaces/n/configmaps/x?fieldManager=me&force=true');
    expect(seen.headers?.authorization).toBe('Bearer secret-token');
    expect(seen.headers?.['content-type']).toBe('application/apply-patch+yaml');
    expect(seen.headers?.['user-agent']).toBe('test-agent');
    expect(JSON.parse(seen.body ?? '')).toEqual({ data: { a: 'b' } });
  });

  it('over plain http without insecure-skip-tls-verify (kubectl proxy) sends no credentials, and works', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }],
      users: [{ name: 'u', token: 'secret-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    let authorization: string | undefined = 'unset';
    handler = (req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"gitVersion":"v1.34.4"}');
    };
    await expect(new KubeClient(kc).request('GET', '/version')).resolves.toEqual({ gitVersion: 'v1.34.4' });
    expect(authorization).toBeUndefined();
  });

  it('names an HTML answer: not a Kubernetes API server at <url>', async () => {
    handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>hi</title>');
    const error = await client.request('GET', '/version').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotKubernetesError);
    expect((error as Error).message).toMatch(/^not a Kubernetes API server at http:\/\/127\.0\.0\.1:\d+: it answered with an HTML page \(HTTP 200\)/);
  });

  it('turns an error answer into ApiError with the Status', async () => {
    handler = (_req, res) =>
      res.writeHead(409, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code: 409, reason: 'Conflict', message: 'the object has been modified' }));
    const error = await client.request('PUT', '/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(errorCode(error)).toBe(409);
    expect((error as ApiError).reason).toBe('Conflict');
    expect((error as ApiError).message).toContain('the object has been modified');
  });

  it('times out', async () => {
    handler = () => {}; // never answers
    await expect(client.request('GET', '/slow', { timeoutMs: 100 })).rejects.toThrow(/timed out after 100 ms/);
  });

  it('aborts with the caller signal', async () => {
    handler = () => {};
    const abort = new AbortController();
    const pending = client.request('GET', '/slow', { signal: abort.signal });
    setTimeout(() => abort.abort(new Error('caller gave up')), 20);
    await expect(pending).rejects.toThrow(/caller gave up/);
  });
});

describe('KubeClient.watch', () => {
  it('parses events split across chunks and resolves when the server ends the stream', async () => {
    let url = '';
    handler = (req, res) => {
      url = req.url ?? '';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const a = JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '1' } } });
      const b = JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '2' } } });
      res.write(a.slice(0, 10));
      setTimeout(() => {
        res.write(`${a.slice(10)}\n${b}`);
        setTimeout(() => res.end('\n'), 10);
      }, 10);
    };
    type Meta = { metadata: { resourceVersion: string } };
    const events: WatchEvent<Meta>[] = [];
    await client.watch<Meta>('/api/v1/configmaps', { resourceVersion: '0', allowWatchBookmarks: true }, (e) => events.push(e), new AbortController().signal);
    expect(url).toBe('/api/v1/configmaps?resourceVersion=0&allowWatchBookmarks=true&watch=true');
    expect(events.map((e) => `${e.type} ${e.object.metadata.resourceVersion}`)).toEqual(['ADDED 1', 'BOOKMARK 2']);
  });

  it('rejects with ApiError (410) when the watch cannot start', async () => {
    handler = (_req, res) => res.writeHead(410, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired' }));
    const error = await client.watch('/w', {}, () => {}, new AbortController().signal).catch((e: unknown) => e);
    expect(errorCode(error)).toBe(410);
  });

  it('rejects when the connection breaks mid-stream', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(`${JSON.stringify({ type: 'ADDED', object: {} })}\n`);
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const events: unknown[] = [];
    await expect(client.watch('/w', {}, (e) => events.push(e), new AbortController().signal)).rejects.toThrow();
    expect(events).toHaveLength(1);
  });

  it('rejects when the handler throws (the informer uses this for ERROR events)', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(`${JSON.stringify({ type: 'ERROR', object: { code: 500 } })}\n`);
    };
    await expect(
      client.watch(
        '/w',
        {},
        () => {
          throw new Error('handler says no');
        },
        new AbortController().signal,
      ),
    ).rejects.toThrow(/handler says no/);
  });

  it('resolves when aborted, before or during the stream', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('');
    };
    const abort = new AbortController();
    const watching = client.watch('/w', {}, () => {}, abort.signal);
    setTimeout(() => abort.abort(), 30);
    await expect(watching).resolves.toBeUndefined();
    await expect(client.watch('/w', {}, () => {}, abort.signal)).resolves.toBeUndefined();
  });

  it('rejects on an unparseable line', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('not json\n');
    };
    await expect(client.watch('/w', {}, () => {}, new AbortController().signal)).rejects.toThrow(/unparseable/);
  });
});
