// `registry provision` against the real API server: the Secret mcp-runtime/mcp-runtime-registry
// holds url/username/password; the password appears in no file under $HOME (nor the config
// dir) and in no output. Then `registry status` / `registry info` / `registry push` use the
// provisioned registry: a real TLS docker-registry, reachable only when its CA is trusted.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  OPERATOR_IMAGE_ANNOTATION,
  PROVISIONED_REGISTRY_NAMESPACE,
  PROVISIONED_REGISTRY_SECRET,
  readProvisionedRegistry,
} from '../../../src/registry/provision.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { KubeClient, isNotFound } from '../../../src/runtime/kube-http.js';
import { KUBECONFIG_ENV, kubeConfig } from '../harness/index.js';
import { MANIFEST_ACCEPT, buildScratchImage, missingTools, removeImages, runCli, startRegistry, unwrap, type TestRegistry } from './fixture.js';

const SECRET_PATH = `/api/v1/namespaces/${PROVISIONED_REGISTRY_NAMESPACE}/secrets/${PROVISIONED_REGISTRY_SECRET}`;
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

interface Secret {
  type?: string;
  metadata?: { annotations?: Record<string, string> };
  data?: Record<string, string>;
}

/** Every regular file below `dir` whose content contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && readFileSync(path).includes(needle)) hits.push(path);
    }
  };
  walk(dir);
  return hits;
}

describe('registry provision / status / info with a provisioned external registry', () => {
  let kc: KubeConfig;
  let client: KubeClient;
  let home: string;
  let tls: TestRegistry | undefined;
  const images: string[] = [];

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    KUBECONFIG: process.env[KUBECONFIG_ENV],
    HOME: home,
    XDG_CONFIG_HOME: '',
    MCP_RUNTIME_REGISTRY_PASSWORD: '',
    ...extra,
  });
  const decode = (secret: Secret, key: string) => (secret.data?.[key] === undefined ? undefined : Buffer.from(secret.data[key]!, 'base64').toString('utf8'));
  const readSecret = () => client.request<Secret>('GET', SECRET_PATH);

  beforeAll(async () => {
    kc = kubeConfig();
    client = new KubeClient(kc);
    home = mkdtempSync(join(tmpdir(), 'mcp-runtime-test-home-'));
    tls = await startRegistry({ tls: true });
  });

  afterAll(async () => {
    try {
      await client.request('DELETE', SECRET_PATH);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await tls?.stop();
    rmSync(home, { recursive: true, force: true });
    removeImages(images);
  });

  it('stores url, username and password (from --password-stdin) in the Secret; the password is in no file and no output', async () => {
    const password = `pw-${randomBytes(16).toString('hex')}`;
    const run = await runCli(
      ['registry', 'provision', '--url', 'https://reg.example.com:5443/team/', '--username', 'ci-bot', '--password-stdin', '--operator-image', 'reg.example.com:5443/team/mcp-runtime:0.1.0'],
      { env: env(), input: `${password}\n` },
    );
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Stored registry reg\.example\.com:5443\/team \(user ci-bot, password from stdin\) in Secret mcp-runtime\/mcp-runtime-registry/);

    const secret = await readSecret();
    expect(secret.type).toBe('Opaque');
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['password', 'url', 'username']);
    expect(decode(secret, 'url')).toBe('reg.example.com:5443/team');
    expect(decode(secret, 'username')).toBe('ci-bot');
    expect(decode(secret, 'password')).toBe(password);
    expect(secret.metadata?.annotations?.[OPERATOR_IMAGE_ANNOTATION]).toBe('reg.example.com:5443/team/mcp-runtime:0.1.0');

    // The library function `setup` uses: everything but the password, and where the password is.
    expect(await readProvisionedRegistry(client)).toEqual({
      url: 'reg.example.com:5443/team',
      username: 'ci-bot',
      secretName: 'mcp-runtime-registry',
      namespace: 'mcp-runtime',
      passwordKey: 'password',
      hasPassword: true,
      operatorImage: 'reg.example.com:5443/team/mcp-runtime:0.1.0',
    });

    // Not in any output, not in any file under $HOME (which holds the config dir), not even base64-encoded.
    for (const needle of [password, Buffer.from(password).toString('base64')]) {
      expect(run.stdout).not.toContain(needle);
      expect(run.stderr).not.toContain(needle);
      expect(filesContaining(home, needle)).toEqual([]);
    }
    // The non-secret part is cached for `server build`, privately.
    const configFile = join(home, '.config', 'mcp-runtime', 'config.yaml');
    const cached = readFileSync(configFile, 'utf8');
    expect(cached).toContain('url: reg.example.com:5443/team');
    expect(cached).toContain('operatorImage: reg.example.com:5443/team/mcp-runtime:0.1.0');
    expect(cached).not.toMatch(/password:|ci-bot/);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
  });

  it('takes the password from MCP_RUNTIME_REGISTRY_PASSWORD, and warns (without echoing it) for --password', async () => {
    const fromEnv = `env-${randomBytes(12).toString('hex')}`;
    const run = await runCli(['registry', 'provision', '--url', 'reg.example.com', '--username', 'ci-bot'], { env: env({ MCP_RUNTIME_REGISTRY_PASSWORD: fromEnv }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/password from env/);
    expect(decode(await readSecret(), 'password')).toBe(fromEnv);
    expect(`${run.stdout}${run.stderr}`).not.toContain(fromEnv);

    const fromFlag = `flag-${randomBytes(12).toString('hex')}`;
    const flagged = await runCli(['registry', 'provision', '--url', 'reg.example.com', '--username', 'ci-bot', '--password', fromFlag], { env: env() });
    expect(flagged.code).toBe(0);
    expect(unwrap(flagged.stderr)).toMatch(/--password puts the password in your shell history/);
    expect(`${flagged.stdout}${flagged.stderr}`).not.toContain(fromFlag);
    expect(decode(await readSecret(), 'password')).toBe(fromFlag);
    expect(filesContaining(home, fromFlag)).toEqual([]);
  });

  it('refuses a username without a password when stdin is not a terminal (exit 2, no stack trace)', async () => {
    const before = await readSecret();
    const run = await runCli(['registry', 'provision', '--url', 'other.example.com', '--username', 'someone'], { env: env() });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(unwrap(run.stderr)).toMatch(/needs a password: pipe it with --password-stdin or set MCP_RUNTIME_REGISTRY_PASSWORD/);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(decode(await readSecret(), 'url')).toBe(decode(before, 'url'));
  });

  it('re-provisioning an anonymous registry removes the old credentials from the Secret', async () => {
    const run = await runCli(['registry', 'provision', '--url', tls!.host], { env: env() });
    expect(run.code).toBe(0);
    const secret = await readSecret();
    expect(Object.keys(secret.data ?? {})).toEqual(['url']);
    expect(decode(secret, 'url')).toBe(tls!.host);
    expect(await readProvisionedRegistry(client)).toMatchObject({ url: tls!.host, hasPassword: false });
    expect((await readProvisionedRegistry(client))?.username).toBeUndefined();
  });

  it('`registry status` asks the provisioned registry: healthy when its CA is trusted, a TLS error (exit 6) when not', async () => {
    const ok = await runCli(['registry', 'status', '--cert-dir', tls!.certDir!], { env: env() });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`external ${tls!.host.replace(/\./g, '\\.')}`));
    expect(ok.stdout).toMatch(/answers \(HTTP 200\)/);
    expect(ok.stdout).toMatch(/Status: healthy/);

    const bad = await runCli(['registry', 'status'], { env: env() });
    expect(bad.code).toBe(ExitCode.FAILURE);
    expect(bad.stdout).toMatch(/does not answer: TLS certificate verification failed/);
    expect(bad.stderr).not.toMatch(STACK_LINE);

    const info = await runCli(['registry', 'info'], { env: env() });
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(new RegExp(`Registry: external, ${tls!.host.replace(/\./g, '\\.')}`));
  });

  (missingTools() === undefined ? it : it.skip)('`registry push` without --registry pushes to the provisioned registry (TLS verified with --cert-dir)', async () => {
    const image = buildScratchImage();
    images.push(image);
    const tag = image.split(':')[1]!;
    const run = await runCli(['registry', 'push', '--image', image, '--cert-dir', tls!.certDir!], { env: env() });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(0);
    const digest = /@(sha256:[0-9a-f]{64})/.exec(run.stdout)?.[1];
    expect(run.stdout.trim()).toBe(`${tls!.host}/mcp-runtime-test-scratch:${tag}@${digest}`);
    const manifest = await tls!.api('GET', `/v2/mcp-runtime-test-scratch/manifests/${tag}`, { Accept: MANIFEST_ACCEPT });
    expect(manifest.status).toBe(200);
    expect(manifest.headers['docker-content-digest']).toBe(digest);
  });
});
