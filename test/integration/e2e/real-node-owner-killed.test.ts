/**
 * The watchdog's path: the process that owns a control plane with a real node dies by SIGKILL
 * (no exit hook runs), and the watchdog must still leave the host as it found it: no container
 * process, no pod cgroup, no network namespace, mount, link or rule (check-clean.sh).
 *
 * Container processes are the hard part: once containerd's shims are killed they are re-parented
 * away from the node, their command lines do not name the node's dir, and their /proc/PID/root
 * reads "/" from our mount namespace. The kubelet's pod cgroups are how this test sees them.
 * When nothing cleans up at all (the watchdog killed too), check-clean.sh must name those
 * containers, and the node's teardown script must remove them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../../../src/local-cluster/index.js';
import { signalGroup } from '../../../src/local-cluster/process.js';
import { PGID_FILE } from '../../../src/local-cluster/watchdog.js';
import { processAlive, processesReferencing } from '../harness/index.js';
import { realNodeUnsupported } from './real-node-cluster.js';

const unsupported = realNodeUnsupported();
if (unsupported !== undefined) console.warn(`[e2e real node, owner killed] skipped: ${unsupported}`);
const describeRealNode = unsupported === undefined ? describe : describe.skip;

interface OwnerReport {
  dir: string;
  watchdogPid: number;
  pod: string;
}

/** State letter of /proc/PID/stat (the field after the parenthesised command name). */
const processState = (pid: string): string => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.charAt(0);

/**
 * Live processes in the kubelet's pod cgroups (cgroupfs driver: kubepods*), with their command
 * lines. Zombies are left out, as check-clean.sh leaves them out: a killed container whose shim
 * is gone is re-parented to PID 1, and reaping it is init's work, not ours (on these machines
 * init took about 300 ms to reap a killed pod's two processes, which made this test flaky).
 */
function podProcesses(): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cgroup`, 'utf8').includes('/kubepods')) continue;
      if (processState(entry) === 'Z') continue;
      found.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** What the pod in real-node-owner.ts runs, as its command line reads. */
const POD_COMMAND = 'node -e setInterval(() => {}, 1 << 30)';

/** SIGKILL to the process groups the control plane listed for its watchdog. */
function killGroups(dir: string): void {
  const file = `${dir}/${PGID_FILE}`;
  if (!existsSync(file)) return;
  for (const group of readFileSync(file, 'utf8').split(/\s+/).filter(Boolean)) signalGroup(Number(group), 'SIGKILL');
}

const netns = (): string[] => (existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith('cni-')) : []);

/** Starts real-node-owner.ts and resolves once its pod runs. */
async function startOwner(): Promise<{ child: ChildProcess; report: OwnerReport }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/e2e/real-node-owner.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderrTail = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000);
  });
  const report = await new Promise<OwnerReport>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as OwnerReport));
    child.once('exit', (code, signal) => reject(new Error(`the owner exited (${code ?? signal}) before its pod ran:\n${stderrTail}`)));
  });
  return { child, report };
}

const checkClean = (dir: string) => {
  const check = spawnSync('bash', ['scripts/control-plane/check-clean.sh', dir], { encoding: 'utf8' });
  return { code: check.status, out: check.stdout.trim() };
};

describeRealNode('a real node whose owner is killed (SIGKILL)', () => {
  const owners: { child: ChildProcess; report: OwnerReport }[] = [];
  const netnsBefore = netns();
  const ourNetns = () => netns().filter((n) => !netnsBefore.includes(n));

  afterAll(() => {
    // Only if a test failed: leave the host clean for the tests after this one.
    for (const { child, report } of owners) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      killGroups(report.dir);
    }
    for (const p of podProcesses()) spawnSync('kill', ['-KILL', String(p.pid)]);
    for (const ns of ourNetns()) spawnSync('ip', ['netns', 'delete', ns]);
    for (const { report } of owners) {
      spawnSync('bash', ['scripts/control-plane/real-node-teardown.sh', `${report.dir}/node`], { stdio: 'ignore', timeout: 60_000 });
      rmSync(report.dir, { recursive: true, force: true });
    }
  });

  it('the watchdog kills its containers and removes every trace of the node', async () => {
    const owner = await startOwner();
    owners.push(owner);
    const { report } = owner;
    // The pod's own process, seen in its pod cgroup (the test would prove nothing without it).
    expect(podProcesses().map((p) => p.cmd)).toContain(POD_COMMAND);
    expect(ourNetns().length).toBeGreaterThan(0);

    owner.child.kill('SIGKILL');
    await waitFor('the watchdog to finish', () => !processAlive(report.watchdogPid), { timeoutMs: 120_000, intervalMs: 250 });

    expect(existsSync(report.dir)).toBe(false);
    expect(podProcesses()).toEqual([]);
    expect(ourNetns()).toEqual([]);
    expect(checkClean(report.dir)).toEqual({ code: 0, out: expect.stringContaining('clean:') });
  }, 300_000);

  it('check-clean names the containers a node left behind, and the node\'s teardown removes them', async () => {
    const owner = await startOwner();
    owners.push(owner);
    const { report } = owner;
    // Nothing cleans up: the watchdog, the owner, the node's processes and containerd's shims
    // all die, which leaves the containers running with no process of the node above them.
    signalGroup(report.watchdogPid, 'SIGKILL');
    owner.child.kill('SIGKILL');
    killGroups(report.dir);
    for (const shim of processesReferencing(`${report.dir}/node/`)) process.kill(shim, 'SIGKILL');
    const container = await waitFor('only the containers to be left', () => podProcesses(), {
      until: (left) => left.some((p) => p.cmd === POD_COMMAND) && processesReferencing(report.dir).length === 0,
      timeoutMs: 30_000,
      intervalMs: 250,
    }).then((left) => left.find((p) => p.cmd === POD_COMMAND)!);

    const before = checkClean(report.dir);
    expect(before.code).toBe(1);
    expect(before.out).toContain(`leftover container process ${container.pid}: ${POD_COMMAND}`);

    const teardown = spawnSync('bash', ['scripts/control-plane/real-node-teardown.sh', `${report.dir}/node`], { encoding: 'utf8', timeout: 60_000 });
    expect(teardown.status).toBe(0);
    rmSync(report.dir, { recursive: true, force: true });
    expect(podProcesses()).toEqual([]);
    expect(ourNetns()).toEqual([]);
    expect(checkClean(report.dir)).toEqual({ code: 0, out: expect.stringContaining('clean:') });
  }, 300_000);
});
