/**
 * `/healthz` (liveness) and `/readyz` (readiness) on one port, as controller-runtime's probe
 * server: each endpoint runs its named checks; 200 "ok" when all pass, 500 listing failures
 * otherwise. `?verbose` lists every check. `/healthz/<name>` runs one check.
 */
import { createServer, type Server } from 'node:http';
import { close, listen } from './metrics.js';

/** Resolves (or returns) normally when healthy; throws or returns a message string when not. */
export type Check = () => void | string | Promise<void | string>;

export class HealthServer {
  private readonly server: Server;
  private readonly checks = { healthz: new Map<string, Check>(), readyz: new Map<string, Check>() };

  constructor() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://probe');
      const [, endpoint, only] = url.pathname.split('/');
      if (req.method !== 'GET' || (endpoint !== 'healthz' && endpoint !== 'readyz')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      this.run(endpoint, only, url.searchParams.has('verbose')).then(({ ok, body }) =>
        res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(body),
      );
    });
  }

  addHealthzCheck(name: string, check: Check): void {
    this.checks.healthz.set(name, check);
  }

  addReadyzCheck(name: string, check: Check): void {
    this.checks.readyz.set(name, check);
  }

  /** Runs the checks of one endpoint (exported for tests and for callers without HTTP). */
  async run(endpoint: 'healthz' | 'readyz', only?: string, verbose = false): Promise<{ ok: boolean; body: string }> {
    const checks = [...this.checks[endpoint]].filter(([name]) => only === undefined || only === '' || name === only);
    if (only !== undefined && only !== '' && checks.length === 0) return { ok: false, body: `no check named "${only}"\n` };
    const lines: string[] = [];
    let ok = true;
    for (const [name, check] of checks) {
      let failure: string | undefined;
      try {
        const result = await check();
        if (typeof result === 'string') failure = result;
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (failure !== undefined) ok = false;
      lines.push(failure === undefined ? `[+]${name} ok` : `[-]${name} failed: ${failure}`);
    }
    if (ok && !verbose) return { ok, body: 'ok\n' };
    return { ok, body: `${lines.join('\n')}\n${endpoint} check ${ok ? 'passed' : 'failed'}\n` };
  }

  listen(port: number, host?: string): Promise<number> {
    return listen(this.server, port, host);
  }

  close(): Promise<void> {
    return close(this.server);
  }
}
