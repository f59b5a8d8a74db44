/**
 * A minimal JSON client over one keep-alive HTTPS agent, with a kubeconfig's credentials
 * (client certificate or bearer token). The benchmark's own bursts and the floor use it: the
 * project's KubeClient opens a new TLS connection per request (it gets a fresh agent from
 * client-node's applyToHTTPSOptions every time), which would make the benchmark itself a
 * noticeable CPU load on a small machine.
 */
import { Agent, request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KeepAliveClient {
  /** Resolves with the parsed body; rejects with the status and body on a non-2xx answer. */
  request<T = unknown>(method: string, path: string, body?: string | object, contentType?: string): Promise<T>;
  close(): void;
}

export async function keepAliveClient(kc: KubeConfig, maxSockets: number): Promise<KeepAliveClient> {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const agent = new Agent({ ca: opts.ca, cert: opts.cert, key: opts.key, keepAlive: true, maxSockets });
  const auth = { ...(opts.headers as Record<string, string> | undefined) };
  const base = cluster.server.replace(/\/+$/, '');
  return {
    request<T>(method: string, path: string, body?: string | object, contentType = 'application/json') {
      const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string | number> = { ...auth, Accept: 'application/json' };
      if (text !== undefined) {
        headers['Content-Type'] = contentType;
        headers['Content-Length'] = Buffer.byteLength(text);
      }
      return new Promise<T>((resolve, reject) => {
        const req = request(base + path, { method, agent, headers, timeout: 120_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            const out = Buffer.concat(chunks).toString('utf8');
            if (code >= 200 && code < 300) resolve((out === '' ? undefined : JSON.parse(out)) as T);
            else reject(new Error(`${method} ${path}: ${code} ${out.slice(0, 500)}`));
          });
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on('error', reject);
        req.end(text);
      });
    },
    close: () => agent.destroy(),
  };
}
