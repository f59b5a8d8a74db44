/**
 * Lets pods on the real node reach the API server the way in-cluster clients do: through the
 * `kubernetes` Service (KUBERNETES_SERVICE_HOST, the first ClusterIP), which kube-proxy sends to
 * the endpoints we publish here.
 *
 * The API server listens on 127.0.0.1 only (nothing else on the host should reach it), and a
 * pod's 127.0.0.1 is its own. So this process forwards TCP from the node IP (a host address that
 * pods reach over the CNI bridge) to the API server. TLS passes through untouched: clients verify
 * the API server's certificate, which names the Service's ClusterIP and DNS names. The listener
 * lives in this process, so it ends with it; there is no host-wide state to clean up.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface ApiForwarder {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startApiForwarder(listenIp: string, port: number, apiServerPort: number): Promise<ApiForwarder> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const server: Server = createServer((client) => {
    track(client);
    const upstream = createConnection({ host: '127.0.0.1', port: apiServerPort });
    track(upstream);
    client.pipe(upstream).pipe(client);
    // Either side failing ends both (a reset client, an API server restart).
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', end);
    upstream.once('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listenIp, () => resolve());
  });
  server.unref();
  return {
    address: listenIp,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The `kubernetes` Service's endpoints, as the API server's own reconciler would publish them
 * (it runs with --endpoint-reconciler-type=none: 127.0.0.1 is not a valid endpoint), with the
 * path each is applied at. kube-proxy reads the EndpointSlice; the Endpoints object is for
 * clients that still read that.
 */
export function kubernetesEndpointObjects(ip: string, port: number): { path: string; object: object }[] {
  const ports = [{ name: 'https', port, protocol: 'TCP' }];
  return [
    {
      path: '/api/v1/namespaces/default/endpoints/kubernetes',
      object: {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: [{ ip }], ports }],
      },
    },
    {
      path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes',
      object: {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'mcp-runtime.local-cluster' },
        },
        addressType: 'IPv4',
        endpoints: [{ addresses: [ip], conditions: { ready: true } }],
        ports,
      },
    },
  ];
}
