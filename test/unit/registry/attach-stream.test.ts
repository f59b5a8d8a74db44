// The archive transport of the in-cluster push (attach API, stdin of the receive container)
// against a fake API server speaking the Kubernetes websocket stream protocols: every byte
// arrives, stdin is closed at the end (v5: a close frame; v4: closing the socket), and a
// connection that drops mid-transfer is reported, not mistaken for success.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { attachStreamer, type LocalArchive } from '../../../src/registry/in-cluster-push.js';
import { KubeClient } from '../../../src/runtime/kube-http.js';

// ws is the websocket library @kubernetes/client-node uses (a dependency of it; no type
// declarations are installed, hence this small interface and the untyped import).
interface FakeSocket {
  readonly protocol: string;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
  send(data: Buffer): void;
  close(): void;
  terminate(): void;
}
interface WsModule {
  WebSocketServer: new (options: { server: Server; handleProtocols: () => string }) => {
    on(event: 'connection', listener: (ws: FakeSocket, req: IncomingMessage) => void): void;
  };
}
const wsModuleName = 'ws';
const { WebSocketServer } = (await import(wsModuleName)) as WsModule;

interface Received {
  url: string;
  protocol: string;
  bytes: number;
  sha256: string;
  closedStdin: 'frame' | 'socket';
}

let dir: string;
let archive: LocalArchive;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-attach-'));
  const data = randomBytes(6 * 1024 * 1024 + 123);
  const path = join(dir, 'image.tar');
  await writeFile(path, data);
  archive = { path, format: 'oci-archive', sha256: createHash('sha256').update(data).digest('hex'), sizeBytes: data.length };
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

let server: Server | undefined;
afterEach(async () => {
  if (server !== undefined) await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
});

/** A fake API server; `dropAfter` closes the socket after that many stdin bytes. */
async function fakeApiServer(protocol: 'v5.channel.k8s.io' | 'v4.channel.k8s.io', dropAfter?: number): Promise<{ client: KubeClient; received: Promise<Received> }> {
  server = createServer();
  server.keepAliveTimeout = 1;
  const wss = new WebSocketServer({ server, handleProtocols: () => protocol });
  const received = new Promise<Received>((resolve) => {
    wss.on('connection', (ws, req) => {
      const hash = createHash('sha256');
      let bytes = 0;
      let done = false;
      const finish = (closedStdin: Received['closedStdin']) => {
        if (done) return;
        done = true;
        resolve({ url: req.url ?? '', protocol: ws.protocol, bytes, sha256: hash.digest('hex'), closedStdin });
      };
      ws.on('message', (data: Buffer) => {
        const channel = data[0];
        if (channel === 255 && data[1] === 0) {
          // stdin closed: the receive container checks the archive and exits; kubelet ends the stream.
          ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`received ${bytes} bytes\n`)]));
          finish('frame');
          ws.close();
          return;
        }
        if (channel !== 0) return;
        hash.update(data.subarray(1));
        bytes += data.length - 1;
        if (dropAfter !== undefined && bytes >= dropAfter) {
          finish('socket');
          ws.terminate();
        }
      });
      ws.on('close', () => finish('socket'));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const address = server.address() as { port: number };
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${address.port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'c', cluster: 'fake', user: 'u' }],
    currentContext: 'c',
  });
  return { client: new KubeClient(kc), received };
}

const target = { namespace: 'registry', pod: 'mcp-runtime-push-1', container: 'receive' };

describe('attachStreamer', () => {
  it.each(['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const)('delivers every byte to the receive container and closes stdin (%s)', async (protocol) => {
    const { client, received } = await fakeApiServer(protocol);
    const progress: number[] = [];
    await attachStreamer(client)(target, archive, (sent) => progress.push(sent));
    const got = await received;
    expect(got.url).toBe('/api/v1/namespaces/registry/pods/mcp-runtime-push-1/attach?container=receive&stderr=true&stdin=true&stdout=true&tty=false');
    expect(got.protocol).toBe(protocol);
    expect(got.bytes).toBe(archive.sizeBytes);
    expect(got.sha256).toBe(archive.sha256);
    expect(got.closedStdin).toBe(protocol === 'v5.channel.k8s.io' ? 'frame' : 'socket');
    expect(progress.at(-1)).toBe(archive.sizeBytes);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('reports a connection that drops mid-transfer', async () => {
    const { client } = await fakeApiServer('v5.channel.k8s.io', 2 * 1024 * 1024);
    await expect(attachStreamer(client)(target, archive, () => {})).rejects.toThrow(/the attach connection closed after \d+ of \d+ bytes/);
  });
});
