// Test fixtures for registry tests: a real CNCF distribution registry (Debian's
// `docker-registry`) on 127.0.0.1, plain HTTP or TLS with a throw-away CA made with openssl,
// and a FROM-scratch image built with podman. No jest imports: plain helpers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync, openSync, closeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../../src/local-cluster/ports.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SCRATCH_FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'images', 'scratch');
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export function installed(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

export function dockerDaemonAnswers(): boolean {
  return installed('docker') && spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * Why the registry tests cannot run here, or undefined when they can. On a developer's machine
 * missing podman or skopeo skip them; in CI (CI set), where .ci/run installs both, a missing
 * tool is a broken install step, so it fails instead of letting the suites pass by skipping.
 * A missing docker-registry or openssl always fails the tests.
 */
export function missingTools(): string | undefined {
  const missing = ['podman', 'skopeo'].filter((t) => !installed(t));
  if (missing.length === 0) return undefined;
  const reason = `not installed: ${missing.join(', ')} (apt-get install podman skopeo)`;
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') throw new Error(`CI must run the registry tests, but ${reason}`);
  return reason;
}

export interface TestRegistry {
  readonly host: string;
  readonly tls: boolean;
  /** Folder with ca.crt (TLS only): what --cert-dir takes. */
  readonly certDir?: string;
  readonly dir: string;
  /** GET/HEAD on the registry API; TLS verified against the test CA. */
  api(method: 'GET' | 'HEAD', path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>;
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** A CA and a server certificate for 127.0.0.1 signed by it. */
function makeCerts(dir: string): { caCert: string; cert: string; key: string; certDir: string } {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=mcp-runtime test CA'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'ext.cnf'], dir);
  const certDir = join(dir, 'trust');
  mkdirSync(certDir);
  writeFileSync(join(certDir, 'ca.crt'), readFileSync(join(dir, 'ca.crt')));
  return { caCert: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), certDir };
}

async function waitUntilUp(check: () => Promise<boolean>, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer within 15 s:\n${readFileSync(logFile, 'utf8')}`);
}

export async function startRegistry(options: { tls: boolean }): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), `mcp-runtime-test-registry-${options.tls ? 'tls' : 'plain'}-`));
  let child: ChildProcess | undefined;
  try {
    const [port] = await freePorts(1);
    const host = `127.0.0.1:${port}`;
    const certs = options.tls ? makeCerts(dir) : undefined;
    const config = [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'storage')}`,
      'http:',
      `  addr: ${host}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      ...(certs === undefined ? [] : ['  tls:', `    certificate: ${certs.cert}`, `    key: ${certs.key}`]),
      '',
    ].join('\n');
    writeFileSync(join(dir, 'config.yml'), config);
    const logFile = join(dir, 'registry.log');
    const fd = openSync(logFile, 'a');
    child = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const ca = certs === undefined ? undefined : readFileSync(certs.caCert, 'utf8');
    const api: TestRegistry['api'] = (method, path, headers = {}) =>
      new Promise((resolvePromise, reject) => {
        const url = new URL(`${certs === undefined ? 'http' : 'https'}://${host}${path}`);
        const send = certs === undefined ? httpRequest : httpsRequest;
        const req = send(url, { method, headers, ...(ca === undefined ? {} : { ca }) }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const started = child;
    await waitUntilUp(async () => (await api('GET', '/v2/')).status === 200, started, logFile);
    return {
      host,
      tls: options.tls,
      dir,
      ...(certs === undefined ? {} : { certDir: certs.certDir }),
      api,
      async stop() {
        if (started.exitCode === null && started.signalCode === null) {
          const exited = new Promise<void>((r) => started.once('exit', () => r()));
          started.kill('SIGTERM');
          const timer = setTimeout(() => started.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Accept header for manifests: OCI and Docker v2 (what podman/skopeo push). */
export const MANIFEST_ACCEPT =
  'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json';

/** Builds the FROM-scratch fixture with podman under a unique local name; returns it. */
export function buildScratchImage(): string {
  const image = `localhost/mcp-runtime-test-scratch:${randomBytes(4).toString('hex')}`;
  const r = spawnSync('podman', ['build', '-q', '-t', image, SCRATCH_FIXTURE], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`podman build failed: ${r.stderr}`);
  return image;
}

export function removeImages(images: readonly string[]): void {
  if (images.length > 0) spawnSync('podman', ['rmi', '--force', ...images], { stdio: 'ignore' });
}

/** The command that runs the CLI from source as a subprocess: [node, ...args]. */
export function cliCommand(args: readonly string[]): { command: string; args: string[] } {
  const loader = `file://${join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')}`;
  return { command: process.execPath, args: ['--import', loader, join(REPO_ROOT, 'test', 'integration', 'registry', 'run-cli.ts'), ...args] };
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const { command, args: full } = cliCommand(args);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, full, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** oclif wraps error messages and prefixes the lines with ` ›`; this undoes both for matching. */
export function unwrap(text: string): string {
  return text.replace(/^\s*›\s*/gm, '').replace(/\s+/g, ' ');
}
