import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchResolvingTo } from '../../../src/local-cluster/loopback-fetch.js';

let server: Server;
let port: number;
const hosts: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    if (req.url === '/hang') return; // never answers: for the abort below
    if (req.url === '/stream') {
      // An SSE stream that stays open, like an MCP GET stream.
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write('data: first\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('fetchResolvingTo', () => {
  it('connects any name to 127.0.0.1 and sends that name as Host', async () => {
    const res = await fetchResolvingTo()(`http://mcp.localtest.me:${port}/x`);
    expect(await res.text()).toBe('ok');
    expect(hosts.at(-1)).toBe(`mcp.localtest.me:${port}`);
  });

  it('leaves no abort listener on a long-lived signal once each request is done, and still aborts through it', async () => {
    const f = fetchResolvingTo();
    const controller = new AbortController();
    for (let i = 0; i < 30; i++) {
      const res = await f(`http://mcp.localtest.me:${port}/`, { signal: controller.signal });
      expect(await res.text()).toBe('ok');
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const pending = f(`http://mcp.localtest.me:${port}/hang`, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('streams a body as it comes, and an abort after the headers ends the stream', async () => {
    const controller = new AbortController();
    const res = await fetchResolvingTo()(`http://mcp.localtest.me:${port}/stream`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    controller.abort();
    // The stream fails (the connection is reset) instead of waiting for more events.
    await expect(reader.read()).rejects.toThrow('aborted');
  });
});
