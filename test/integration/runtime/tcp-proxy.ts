import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A TCP proxy in front of the API server, so tests can do to a watch what networks do:
 * cut it (both sockets destroyed) or freeze it (open, but no byte gets through — a half-open
 * connection after a NAT or load balancer forgot it). TLS passes through untouched.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();
  private frozenMode = false;
  private refusing = false;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = connect(this.target.port, this.target.host);
      const pair = { client, upstream, frozen: false };
      this.pairs.add(pair);
      const drop = (): void => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
      if (this.frozenMode) this.freezePair(pair);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Open connections. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Destroys every connection (the client sees a reset). */
  cutAll(): void {
    for (const pair of [...this.pairs]) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
  }

  /** Like an API server restart: every connection is cut and new ones fail for `ms`. */
  async outage(ms: number): Promise<void> {
    this.refusing = true;
    this.cutAll();
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.refusing = false;
  }

  /** Stops forwarding on existing connections without closing them; new ones work. */
  freezeExisting(): void {
    for (const pair of this.pairs) this.freezePair(pair);
  }

  private freezePair(pair: { client: Socket; upstream: Socket; frozen: boolean }): void {
    pair.frozen = true;
    pair.client.unpipe(pair.upstream);
    pair.upstream.unpipe(pair.client);
    pair.upstream.pause();
    pair.client.pause();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts a proxy to the kubeconfig's API server and returns a kubeconfig that goes through it. */
export async function proxiedKubeConfig(admin: KubeConfig): Promise<{ kc: KubeConfig; proxy: TcpProxy }> {
  const cluster = admin.getCurrentCluster();
  if (cluster === null) throw new Error('no current cluster');
  const url = new URL(cluster.server);
  const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
  const port = await proxy.listen();
  const kc = new KubeConfig();
  const user = admin.getCurrentUser();
  if (user === null) throw new Error('no current user');
  kc.loadFromOptions({
    clusters: [{ ...cluster, name: 'proxied', server: `${url.protocol}//${url.hostname}:${port}` }],
    users: [user],
    contexts: [{ name: 'proxied', cluster: 'proxied', user: user.name }],
    currentContext: 'proxied',
  });
  return { kc, proxy };
}
