// Graceful shutdown of a real process: SIGTERM stops new work, waits for the reconcile in
// flight, releases the Lease, and the process exits on its own.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { freshNamespace, kubeConfig, waitFor, type FreshNamespace } from '../harness/index.js';
import { KubeClient } from '../../../src/runtime/kube-http.js';

let admin: KubeConfig;
let ns: FreshNamespace;

beforeAll(async () => {
  admin = kubeConfig();
  ns = await freshNamespace('rt-shutdown');
});

afterAll(async () => {
  await ns.cleanup();
});

describe('Manager in a process', () => {
  it('on SIGTERM finishes the reconcile in flight, releases the Lease and exits cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rt-shutdown-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, admin.exportConfig(), { mode: 0o600 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/runtime/fixtures/manager-main.ts', kubeconfig, ns.name], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
    try {
      await waitFor('the process to lead', () => output.includes('LEADING'), { timeoutMs: 60_000, abortIf: () => (child.exitCode !== null ? `exited: ${output}` : undefined) });
      const core = admin.makeApiClient(CoreV1Api);
      await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'slow' } } });
      await waitFor('the slow reconcile to start', async () => {
        const cm = await core.readNamespacedConfigMap({ name: 'slow', namespace: ns.name });
        return cm.metadata?.annotations?.['test/started'] === 'yes';
      });
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still running after 30 s'), 30_000)))]);
      clearTimeout(timer);
      expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
      expect(output).toContain('STOPPED');
      const cm = await core.readNamespacedConfigMap({ name: 'slow', namespace: ns.name });
      expect(cm.metadata?.annotations?.['test/finished']).toBe('yes');
      const lease = await new KubeClient(admin).request<{ spec: { holderIdentity?: string; leaseDurationSeconds?: number } }>(
        'GET',
        `/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases/sigterm-lock`,
      );
      expect(lease.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
      // The log shows the order: reconcile finished before the lease was released.
      expect(output.indexOf('slow reconcile finished')).toBeLessThan(output.indexOf('released leader lease'));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
