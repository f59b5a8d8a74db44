/**
 * Traefik as a host process, driven by the Deployment `setup` installed (charts-ts/platform/
 * traefik.ts): same entry points, providers, IngressClass, timeouts and prod/dev flags. Only what
 * a host process needs differently is changed, each derived from the installed objects:
 * - listen addresses: 127.0.0.1 and ports chosen here, instead of the pod's :8000/:8080;
 * - the API server: endpoint, CA file and a token of the Deployment's own ServiceAccount
 *   (TokenRequest), instead of the in-cluster config a pod gets, so it has exactly the RBAC the
 *   platform grants Traefik;
 * - the Ingress status address: 127.0.0.1 (ingressendpoint.ip), instead of the published Service's
 *   load-balancer address that no controller fills here.
 */
import { appendFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { freePorts } from '../ports.js';
import { startProcess, type ManagedProcess } from '../process.js';
import type { LogFn } from '../types.js';
import { waitFor } from '../wait.js';
import { PGID_FILE } from '../watchdog.js';
import { obtainTraefik } from './node-images.js';

export interface HostTraefikAddresses {
  web: string;
  /** Where the HTTPS entry point listens, when the Deployment has one (setup --with-tls). */
  websecure?: string;
  admin: string;
  server: string;
  caFile: string;
  tokenFile: string;
}

const PROVIDERS = ['kubernetesingress', 'kubernetescrd'] as const;

/** The Deployment's arguments, rewritten for a host process (see the file comment). Pure. */
export function hostTraefikArgs(deploymentArgs: readonly string[], a: HostTraefikAddresses): string[] {
  const out: string[] = [];
  for (const arg of deploymentArgs) {
    const [key = '', value] = arg.replace(/^--/, '').split(/=(.*)/s);
    const k = key.toLowerCase();
    if (k === 'entrypoints.web.address') out.push(`--${key}=${a.web}`);
    else if (k === 'entrypoints.websecure.address' && a.websecure !== undefined) out.push(`--${key}=${a.websecure}`);
    else if (k === 'entrypoints.traefik.address') out.push(`--${key}=${a.admin}`);
    else if (k === 'providers.kubernetesingress.ingressendpoint.publishedservice') {
      out.push('--providers.kubernetesingress.ingressendpoint.ip=127.0.0.1');
    } else out.push(value === undefined ? `--${key}` : `--${key}=${value}`);
  }
  for (const provider of PROVIDERS) {
    if (!deploymentArgs.some((arg) => arg.toLowerCase().startsWith(`--providers.${provider}`))) continue;
    out.push(
      `--providers.${provider}.endpoint=${a.server}`,
      `--providers.${provider}.certAuthFilePath=${a.caFile}`,
      // A file path: Traefik reads the token from it, so it never shows in a process listing.
      `--providers.${provider}.token=${a.tokenFile}`,
    );
  }
  return out;
}

export interface HostTraefikOptions {
  kc: KubeConfig;
  server: string;
  caFile: string;
  /** Where token, log and state go: the real node's dir (its teardown stops Traefik too). */
  dir: string;
  /** The control plane's data dir: Traefik's process group is handed to its watchdog. */
  controlPlaneDir: string;
  namespace?: string;
  name?: string;
  log?: LogFn;
  /** Port of the web entry point on 127.0.0.1 (default: a free one). */
  webPort?: number;
  timeoutMs?: number;
  /**
   * Also write Traefik's access log (JSON, one line per request, in the same dir): what a test
   * that lost an answer needs to see which hop cut it. Default false.
   */
  accessLog?: boolean;
}

export interface HostTraefik {
  /** http://127.0.0.1:<port>: where the routes are served. */
  url: string;
  webPort: number;
  /** Port of the HTTPS entry point on 127.0.0.1, when the Deployment has one. */
  websecurePort?: number;
  pid: number;
  logFile: string;
  /** The access log, when `accessLog` was asked for. */
  accessLogFile?: string;
  exited: ManagedProcess['exited'];
  stop(): Promise<void>;
}

export async function startHostTraefik(o: HostTraefikOptions): Promise<HostTraefik> {
  const log = o.log ?? (() => {});
  const namespace = o.namespace ?? 'traefik';
  const name = o.name ?? 'traefik';
  const k8s = await import('@kubernetes/client-node');
  const apps = o.kc.makeApiClient(k8s.AppsV1Api);
  const core = o.kc.makeApiClient(k8s.CoreV1Api);
  const deployment = await apps.readNamespacedDeployment({ name, namespace }).catch((error: unknown) => {
    throw new Error(`Traefik's Deployment ${namespace}/${name} is not installed (run \`mcp-runtime setup\` first): ${(error as Error).message}`);
  });
  const spec = deployment.spec?.template.spec;
  const container = spec?.containers.find((c) => c.name === name) ?? spec?.containers[0];
  if (container?.args === undefined) throw new Error(`Deployment ${namespace}/${name} has no Traefik container arguments`);
  const serviceAccount = spec?.serviceAccountName ?? 'default';

  const binary = await obtainTraefik(log);
  const hasWebsecure = container.args.some((arg) => arg.toLowerCase().startsWith('--entrypoints.websecure.address='));
  // One call, so the ports differ from each other.
  const ports = await freePorts(3);
  const [webPort, adminPort] = o.webPort === undefined ? [ports[0]!, ports[1]!] : [o.webPort, ports[0]!];
  const websecurePort = hasWebsecure ? ports[2] : undefined;
  const dir = join(o.dir, 'traefik');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tokenFile = join(dir, 'token');
  const token = await core.createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: 24 * 3600 } },
  });
  await writeFile(tokenFile, token.status?.token ?? '', { mode: 0o600 });

  const args = hostTraefikArgs(container.args, {
    web: `127.0.0.1:${webPort}`,
    ...(websecurePort === undefined ? {} : { websecure: `127.0.0.1:${websecurePort}` }),
    admin: `127.0.0.1:${adminPort}`,
    server: o.server,
    caFile: o.caFile,
    tokenFile,
  });
  const logFile = join(dir, 'traefik.log');
  const accessLogFile = o.accessLog === true ? join(dir, 'access.log') : undefined;
  if (accessLogFile !== undefined) args.push('--accesslog=true', `--accesslog.filepath=${accessLogFile}`, '--accesslog.format=json');
  const started = performance.now();
  // No KUBERNETES_SERVICE_HOST/KUBECONFIG: Traefik must use the endpoint and token given.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
  const proc = startProcess('traefik', binary, args, { logFile, env, cwd: dir });
  appendFileSync(join(o.controlPlaneDir, PGID_FILE), `${proc.pid}\n`);
  const abortIf = () => (proc.exitInfo === null ? undefined : `traefik exited (${JSON.stringify(proc.exitInfo)}):\n${proc.logTail()}`);
  await waitFor('Traefik /ping', async () => (await fetch(`http://127.0.0.1:${adminPort}/ping`)).status, {
    until: (status) => status === 200,
    timeoutMs: o.timeoutMs ?? 60_000,
    intervalMs: 100,
    abortIf,
  });
  log(`Traefik ready on http://127.0.0.1:${webPort} after ${Math.round(performance.now() - started)} ms (serving account ${namespace}/${serviceAccount})`);
  return {
    url: `http://127.0.0.1:${webPort}`,
    webPort,
    ...(websecurePort === undefined ? {} : { websecurePort }),
    pid: proc.pid,
    logFile,
    ...(accessLogFile === undefined ? {} : { accessLogFile }),
    exited: proc.exited,
    stop: () => proc.stop(15_000),
  };
}
