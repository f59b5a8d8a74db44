import { request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RawResponse {
  status: number;
  body: string;
}

export interface RawRequestOptions {
  method?: string;
  /** Sent as is (string) or as JSON. */
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

/**
 * A request with the kubeconfig's credentials that bypasses client-node's generated models.
 * Needed for non-resource paths (/readyz, /metrics, /version), and for objects the models
 * would mangle on the way out (they drop fields they do not know, e.g. a CRD schema's
 * `default`, which the model calls `_default`).
 */
export async function apiRequest(kc: KubeConfig, path: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const body =
    options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const req: RequestOptions = { method: options.method ?? 'GET', timeout: timeoutMs, headers: {} };
  await kc.applyToHTTPSOptions(req);
  req.headers = {
    ...req.headers,
    Accept: 'application/json, */*',
    ...(body !== undefined ? { 'Content-Type': options.contentType ?? 'application/json' } : {}),
  };
  return new Promise<RawResponse>((resolve, reject) => {
    const r = request(new URL(path, cluster.server), req, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`${req.method} ${path} timed out after ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(body);
  });
}

/** GET on a non-resource path (/readyz, /metrics, /version). */
export function apiGet(kc: KubeConfig, path: string, timeoutMs = 5000): Promise<RawResponse> {
  return apiRequest(kc, path, { timeoutMs });
}
