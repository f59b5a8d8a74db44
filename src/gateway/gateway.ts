/**
 * The gateway process: caches (servers, endpoints), the proxy listener, and an admin listener
 * with /metrics, /healthz and /readyz. Stopping drains: /readyz fails and the listener keeps
 * serving for `drainSeconds` (until Traefik has dropped this pod), then stops accepting, lets
 * requests in flight finish and closes what is left when the grace period ends.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { respondWithMetrics, type KubeClient, type Logger } from '../runtime/index.js';
import { ServerDirectory } from './directory.js';
import { GatewayMetrics } from './metrics.js';
import { TokenVerifier } from './token-verifier.js';
import { createProxyHandler } from './proxy.js';
import { readSessionKeyDir, SESSION_KEY_FILES } from './session-keys.js';
import type { SessionKeyRing } from './session-seal.js';
import type { GatewaySettings } from './settings.js';

/** How often the key files are compared with what is loaded (a Secret update reaches the volume within about a minute). */
const KEY_RELOAD_MS = 10_000;

export interface RunningGateway {
  /** http://host:port of the proxy. */
  readonly url: string;
  /** http://host:port of /metrics, /healthz, /readyz. */
  readonly adminUrl: string;
  readonly metrics: GatewayMetrics;
  /** Ids of the session keys in use, the sealing one first (never the keys). */
  keyIds(): readonly string[];
  /** Drain, then close everything. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartGatewayOptions {
  readonly client: KubeClient;
  readonly settings: GatewaySettings;
  readonly logger: Logger;
  /** Where audit lines go (default: stdout, one JSON object per line). */
  readonly audit?: (line: string) => void;
  /** How often the key files are compared with what is loaded (default 10 s). */
  readonly keyReloadMs?: number;
  /** Token verification for servers with spec.auth (default: a verifier with its own defaults). */
  readonly tokens?: TokenVerifier;
}

async function keyFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of Object.values(SESSION_KEY_FILES)) hash.update(await readFile(join(dir, file)).catch(() => Buffer.alloc(0))).update('\0');
  return hash.digest('hex');
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      resolve(`http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
    });
  });
}

/**
 * How long a keep-alive connection to a pod may sit idle in the pool before the gateway closes
 * it; a pod's `Keep-Alive: timeout=N` shortens it to N - 1 s. Below the 5 s idle timeout of
 * Node's and uvicorn's HTTP servers, so the gateway closes first and a request rarely goes out on
 * a connection the pod is closing at that moment (then reset, and sent again: proxy.ts). Without
 * it Node's agent ignored the pod's hint and kept idle connections forever. Only idle
 * connections: a quiet SSE stream in use is not cut (Node only emits 'timeout' for those).
 */
export const UPSTREAM_IDLE_TIMEOUT_MS = 4_000;

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { settings, logger } = options;
  // Fails here, with the file named, when the Secret is missing or malformed.
  let keys: SessionKeyRing = await readSessionKeyDir(settings.sessionKeysDir);
  let keysSeen = await keyFingerprint(settings.sessionKeysDir);
  logger.info({ keys: keys.keyIds }, 'session keys loaded');
  const reload = setInterval(() => {
    void (async () => {
      const seen = await keyFingerprint(settings.sessionKeysDir);
      if (seen === keysSeen) return;
      try {
        keys = await readSessionKeyDir(settings.sessionKeysDir);
        keysSeen = seen;
        logger.info({ keys: keys.keyIds }, 'session keys reloaded');
      } catch (error) {
        // Keep serving with the keys we have; say why the new ones were refused.
        logger.error({ err: error }, 'new session keys refused');
      }
    })();
  }, options.keyReloadMs ?? KEY_RELOAD_MS);
  reload.unref();

  const metrics = new GatewayMetrics({ defaultMetrics: true });
  const directory = new ServerDirectory({ client: options.client, namespaces: settings.namespaces, logger });
  directory.start();
  let synced = false;
  let draining = false;
  void directory.waitForSync().then((ok) => {
    synced = ok;
    if (ok) logger.info(directory.counts(), 'server and endpoint caches synced');
  });

  const agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: UPSTREAM_IDLE_TIMEOUT_MS });
  const audit = options.audit ?? ((line: string) => process.stdout.write(`${line}\n`));
  const proxy = createServer({ requestTimeout: 0 }, createProxyHandler({
      directory,
      keys: () => keys,
      metrics,
      audit,
      auditPayloads: settings.auditPayloads,
      logger,
      agent,
      tokens: options.tokens ?? new TokenVerifier(),
      ...(settings.publicUrl === undefined ? {} : { publicUrl: settings.publicUrl }),
    }));
  // Longer than Traefik's idle timeout towards backends (90 s), so Traefik closes idle
  // connections first and never reuses one the gateway has just closed.
  proxy.keepAliveTimeout = 120_000;
  proxy.headersTimeout = 125_000;

  const admin = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/readyz') {
      const ready = synced && !draining;
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ok' : draining ? 'draining' : 'caches not synced');
    } else if (path === '/metrics') {
      respondWithMetrics(metrics.registry, res);
    } else {
      res.writeHead(404).end();
    }
  });

  const url = await listen(proxy, settings.listen.host, settings.listen.port);
  const adminUrl = await listen(admin, settings.adminListen.host, settings.adminListen.port);
  logger.info({ url, adminUrl, auditPayloads: settings.auditPayloads }, 'gateway listening');

  let stopped: Promise<void> | undefined;
  return {
    url,
    adminUrl,
    metrics,
    keyIds: () => keys.keyIds,
    stop(graceMs = 20_000) {
      // Once: a second caller (a signal during a stop, a test's clean-up) waits for the first.
      stopped ??= drainAndClose(graceMs);
      return stopped;
    },
  };

  async function drainAndClose(graceMs: number): Promise<void> {
    draining = true;
    logger.info({ drainSeconds: settings.drainSeconds }, 'draining');
    if (settings.drainSeconds > 0) await new Promise((r) => setTimeout(r, settings.drainSeconds * 1000));
    const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
    proxy.closeIdleConnections();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([closed, deadline]);
    proxy.closeAllConnections();
    clearInterval(reload);
    agent.destroy();
    await directory.stop();
    await new Promise<void>((resolve) => admin.close(() => resolve()));
    admin.closeAllConnections();
  }
}
