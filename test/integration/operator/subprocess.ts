/**
 * Runs the operator as a separate process, so tests can SIGKILL it like a crash: as the CLI
 * command `mcp-runtime operator` (spawnOperator) or as the platform's container runs it, from
 * the environment alone (spawnOperatorEntry).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { OPERATOR_RUNTIME_ENV as E } from '../../../src/operator/config.js';
import { imageEnv, operatorNodeFlags } from '../../support/platform-container.js';

export interface OperatorProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit signal or code. */
  readonly exited: Promise<string>;
}

export async function writeKubeconfig(kc: KubeConfig): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-operator-kc-'));
  const file = join(dir, 'kubeconfig');
  await writeFile(file, kc.exportConfig(), { mode: 0o600 });
  return file;
}

function started(argv: readonly string[], env: NodeJS.ProcessEnv, label: string): OperatorProcess {
  const logFile = join(tmpdir(), `mcp-operator-${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.log`);
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  return { child, logFile, exited };
}

/**
 * The operator entry's environment for a test: one namespace, no leader election, no
 * verification (simulated pods have no network), Ingresses ready without a load balancer, and
 * metrics and health on free loopback ports.
 */
export function entrySettings(kubeconfig: string, namespace: string): Record<string, string> {
  return {
    KUBECONFIG: kubeconfig,
    [E.namespaces]: namespace,
    [E.ingressReadiness]: 'permissive',
    [E.leaderElect]: 'false',
    [E.verify]: 'false',
    [E.metricsAddress]: '127.0.0.1:0',
    [E.healthAddress]: '127.0.0.1:0',
  };
}

/**
 * The container's entry (OPERATOR_ENTRY) from the TypeScript sources, started as the pod starts
 * it: the Deployment's node flags and the image's environment, with exactly `env` on top (and
 * PATH/HOME).
 */
export function spawnOperatorEntry(env: Record<string, string>, label = 'entry'): OperatorProcess {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return started([...operatorNodeFlags(), '--import', 'tsx', 'src/operator/main.ts'], { ...base, ...imageEnv(), ...env }, label);
}

export function spawnOperator(
  kubeconfig: string,
  namespace: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): OperatorProcess {
  return started(
    ['--import', 'tsx', 'bin/dev.js', 'operator', '--kubeconfig', kubeconfig, '--namespaces', namespace, '--ingress-readiness', 'permissive', '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0', '--no-verify', ...args],
    { ...process.env, LEADER_ELECTION_NAMESPACE: namespace, ...env },
    namespace,
  );
}

export async function kill(operator: OperatorProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<string> {
  if (operator.child.exitCode === null && operator.child.signalCode === null) operator.child.kill(signal);
  return operator.exited;
}
