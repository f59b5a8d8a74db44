/**
 * npm run demo: the main job on a local cluster, with the real CLI, step by step.
 *
 * Where a real node can run (Linux, root, containerd/runc/CNI installed): a local control plane
 * with a real node → setup → Traefik as a host process from the installed Deployment → operator
 * → the examples built on a local Node.js base image and pushed with `mcp-runtime registry push`
 * into the platform registry → pipeline generate/deploy → Ready → a tool of each server called
 * with the MCP SDK client through http://<host>:<port>/<name>/mcp.
 *
 * Elsewhere: the simulated sandbox (KWOK): pods are reported Running and Ready but no container
 * runs, so the URLs are routed, not served; the demo says so. `--simulated` forces this mode.
 * Stops everything at the end (`--keep` keeps it running until Ctrl-C).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mainRealNode as runRealNode } from './demo-real-node.js';
import { checkHostSupport } from '../src/local-cluster/index.js';

const { values } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    metadata: { type: 'string', default: 'examples/.mcp' },
    timeout: { type: 'string', default: '180' },
    // *.localtest.me resolves to 127.0.0.1 in public DNS: a host that needs no /etc/hosts entry.
    host: { type: 'string', default: 'mcp.localtest.me' },
    simulated: { type: 'boolean', default: false },
  },
});

const CLI = join('bin', 'run.js');
const children: ChildProcess[] = [];
let workDir = '';
/** Stops the real-node cluster (and its Traefik), when the real path runs. */
let stopCluster: (() => Promise<void>) | undefined;
const demoStarted = performance.now();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function step(text: string): void {
  console.log(`\n==> ${text}`);
}

/**
 * Runs a CLI command to completion, printing its output; throws on a non-zero exit. Asynchronous
 * on purpose: this process also forwards the real node's pods to the API server (the gateway's
 * watches), which a blocking spawnSync would stall.
 */
async function cli(...args: string[]): Promise<string> {
  console.log(`$ mcp-runtime ${args.join(' ')}`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  if (stdout !== '') process.stdout.write(stdout);
  if (status !== 0) throw new Error(`mcp-runtime ${args[0]} ${args[1] ?? ''} failed with exit code ${status}`);
  return stdout;
}

/** `server list -A -o json`, without printing. */
async function listServersJson(kubeconfig: string): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(process.execPath, [CLI, 'server', 'list', '-A', '-o', 'json', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { status, stdout };
}

/** Starts a long-running CLI command; resolves once a line matching `ready` appears. */
function background(args: string[], ready: RegExp, label: string): Promise<ChildProcess> {
  console.log(`$ mcp-runtime ${args.join(' ')} &`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      seen += text;
      if (label === 'sandbox') process.stdout.write(text.split('\n').filter((l) => l.trim() !== '').map((l) => `   ${l}\n`).join(''));
      if (ready.test(seen)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}) before it was ready:\n${seen.slice(-2000)}`)));
  });
}

async function stopAll(): Promise<void> {
  for (const child of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await stopCluster?.();
  if (workDir !== '') await rm(workDir, { recursive: true, force: true });
}

async function waitForReady(kubeconfig: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = '';
  while (Date.now() < deadline) {
    const result = await listServersJson(kubeconfig);
    if (result.status === 0) {
      // `-o json` prints a kubectl-style List.
      type Condition = { type: string; status: string; message?: string };
      const servers = (JSON.parse(result.stdout) as { items: { metadata: { name: string }; status?: { phase?: string; conditions?: Condition[] } }[] }).items;
      // What is not there yet, in the operator's words (e.g. an image that cannot be pulled).
      last = servers
        .map((s) => {
          const notYet = (s.status?.conditions ?? []).filter((c) => c.status !== 'True').map((c) => `${c.type}: ${c.message ?? ''}`);
          return `${s.metadata.name}=${s.status?.phase ?? 'Pending'}${notYet.length > 0 ? ` (${notYet.join('; ')})` : ''}`;
        })
        .join(' ');
      if (servers.length > 0 && servers.every((s) => s.status?.phase === 'Ready')) return;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`servers not Ready after ${timeoutSeconds} s: ${last}`);
}

async function main(): Promise<void> {
  if (!existsSync(join('dist', 'src', 'commands'))) {
    step('Building the CLI (npm run build)');
    if (spawnSync('npm', ['run', 'build'], { stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
  }
  workDir = await mkdtemp(join(tmpdir(), 'mcp-runtime-demo-'));
  const support = checkHostSupport();
  if (values.simulated) {
    console.log('\n--simulated: using simulated nodes (KWOK); containers will not run.');
  } else if (!support.ok) {
    console.log(`\nNo real node on this machine: ${support.reason}.`);
    console.log('Falling back to simulated nodes (KWOK): servers are deployed and reported Ready, but no container runs and the URLs are not served.');
  } else {
    await mainRealNode();
    return;
  }
  await mainSimulated();
}

async function mainSimulated(): Promise<void> {
  const kubeconfig = join(workDir, 'kubeconfig');
  const manifests = join(workDir, 'manifests');

  step('Starting a local sandbox control plane (nodes are simulated; containers do not really run)');
  await background(['cluster', 'provision', '--provider', 'local', '--kubeconfig', kubeconfig], /sandbox ready:/, 'sandbox');

  step('Installing the platform: CRD, namespaces, operator, registry, Traefik');
  await cli('setup', '--kubeconfig', kubeconfig, '--timeout', '120', '--default-ingress-host', values.host);

  step('Running the operator from this checkout (the in-sandbox operator pods are simulated)');
  await background(
    ['operator', '--kubeconfig', kubeconfig, '--default-ingress-host', values.host, '--ingress-readiness', 'permissive', '--no-leader-elect', '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0', '--no-verify'],
    /caches synced/,
    'operator',
  );

  step(`Generating MCPServer manifests from ${values.metadata}`);
  await cli('pipeline', 'generate', '--dir', values.metadata, '--output-dir', manifests);

  step('Deploying them');
  await cli('pipeline', 'deploy', '--dir', manifests, '--kubeconfig', kubeconfig);

  step('Waiting until every server is Ready');
  await waitForReady(kubeconfig, Number(values.timeout));
  await cli('server', 'list', '-A', '--kubeconfig', kubeconfig);

  console.log('\nDemo complete: every server is Ready. (The sandbox simulates nodes: the URLs are routed, not served.)');
  if (values.keep) {
    console.log(`\nKeeping the sandbox running. Try:\n  node bin/run.js status --kubeconfig ${kubeconfig}\nPress Ctrl-C to stop.`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
}

async function mainRealNode(): Promise<void> {
  await runRealNode({
    workDir,
    host: values.host,
    metadata: values.metadata,
    timeoutSeconds: Number(values.timeout),
    keep: values.keep,
    step,
    cli,
    waitForReady,
    onCluster: (stop) => (stopCluster = stop),
  });
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(`\ndemo failed: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  step('Stopping everything the demo started, and the cluster');
  const stopStarted = performance.now();
  await stopAll();
  console.log(`stopped and cleaned up in ${seconds(performance.now() - stopStarted)}; the demo took ${seconds(performance.now() - demoStarted)} in all`);
}
process.exit(exitCode);
