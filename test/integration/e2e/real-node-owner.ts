/**
 * A program for real-node-owner-killed.test.ts: it starts a control plane with a real node, runs
 * one long-lived pod on that node, prints one JSON line (the data dir, the watchdog's pid, the
 * pod's name) and then waits to be killed. The test kills it with SIGKILL, so none of its exit
 * hooks run: only the control plane's watchdog can clean up after it.
 */
import { startControlPlane, waitFor } from '../../../src/local-cluster/index.js';

const POD = 'outlives-its-owner';
const NAMESPACE = 'default';

const cp = await startControlPlane({ realNode: true, log: (line) => process.stderr.write(`${line}\n`), startTimeoutMs: 180_000 });
const k8s = await import('@kubernetes/client-node');
const core = (await cp.kubeConfig()).makeApiClient(k8s.CoreV1Api);
await core.createNamespacedPod({
  namespace: NAMESPACE,
  body: {
    metadata: { name: POD },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'idle',
        image: cp.realNode!.images.node.reference,
        imagePullPolicy: 'Never',
        command: ['node', '-e', 'setInterval(() => {}, 1 << 30)'],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      }],
    },
  },
});
await waitFor(`pod ${POD} running`, () => core.readNamespacedPod({ name: POD, namespace: NAMESPACE }), {
  until: (pod) => pod.status?.phase === 'Running',
  timeoutMs: 90_000,
  intervalMs: 500,
});
process.stdout.write(`${JSON.stringify({ dir: cp.dir, watchdogPid: cp.watchdogPid, pod: POD })}\n`);
// Keeps the process (and so the cluster) alive until the test kills it.
setInterval(() => {}, 1 << 30);
