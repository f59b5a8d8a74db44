/**
 * Does a registry answer the distribution API (`GET /v2/`)? 200 means open, 401 means it is up
 * and wants credentials; both count as "answers". TLS is verified against Node's CA bundle
 * plus the `ca.crt` / `*.crt` files of `certDir`; `insecure` skips verification and falls back
 * to plain HTTP.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { registryHost } from '../images/reference.js';

export interface PingOptions {
  readonly insecure?: boolean;
  readonly certDir?: string;
  readonly timeoutMs?: number;
}

export interface PingResult {
  readonly url: string;
  /** The registry answered /v2/ with 200 or 401. */
  readonly answers: boolean;
  readonly status?: number;
  readonly authRequired: boolean;
  /** Why it does not answer (network, TLS, HTTP status). */
  readonly error?: string;
  readonly tlsError?: boolean;
}

async function caBundle(certDir: string | undefined): Promise<string[] | undefined> {
  if (certDir === undefined) return undefined;
  const files = (await readdir(certDir)).filter((f) => f.endsWith('.crt')).sort();
  const extra = await Promise.all(files.map((f) => readFile(join(certDir, f), 'utf8')));
  return [...rootCertificates, ...extra];
}

function get(url: URL, options: { ca?: string[]; rejectUnauthorized: boolean; timeoutMs: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      { method: 'GET', timeout: options.timeoutMs, ...(url.protocol === 'https:' ? { ca: options.ca, rejectUnauthorized: options.rejectUnauthorized } : {}) },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|HOSTNAME|ALTNAME/;

export async function pingRegistry(registry: string, options: PingOptions = {}): Promise<PingResult> {
  const host = registryHost(registry);
  const timeoutMs = options.timeoutMs ?? 5000;
  const ca = await caBundle(options.certDir);
  const attempts = options.insecure === true ? ['https', 'http'] : ['https'];
  let last: PingResult | undefined;
  for (const scheme of attempts) {
    const url = new URL(`${scheme}://${host}/v2/`);
    try {
      const status = await get(url, { ...(ca === undefined ? {} : { ca }), rejectUnauthorized: options.insecure !== true, timeoutMs });
      const answers = status === 200 || status === 401;
      return {
        url: url.toString(),
        answers,
        status,
        authRequired: status === 401,
        ...(answers ? {} : { error: `/v2/ answered HTTP ${status}` }),
      };
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const tlsError = TLS_CODES.test(e.code ?? '') || /certificate/i.test(e.message);
      last = {
        url: url.toString(),
        answers: false,
        authRequired: false,
        tlsError,
        error: tlsError ? `TLS certificate verification failed: ${e.message}` : `${e.code ?? ''} ${e.message}`.trim(),
      };
    }
  }
  return last!;
}
