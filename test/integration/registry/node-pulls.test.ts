// The registry admits image pulls from the nodes: Node objects on the real API server → their
// InternalIPs as /32s (what `cluster provision --provider kind` prints for setup) → the
// platform chart's registry NetworkPolicy and Service, applied for real: the policy admits
// exactly those node addresses besides the platform's pods, and the Service has the pinned
// ClusterIP the nodes' containerd was told.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { renderPlatform } from '../../../charts-ts/platform/index.js';
import { nodePullCidrs } from '../../../src/cluster/kind-registry.js';
import { applyWithOutcome } from '../../../src/kube/apply.js';
import type { KubeObject, KubeRest } from '../../../src/kube/rest.js';
import { freshNamespace, type FreshNamespace } from '../harness/index.js';
import { admin } from '../cli/fixtures/cluster.js';

const LABEL = 'mcp-runtime.test/node-pulls';
const run = randomBytes(3).toString('hex');
/** Not 10.96.0.50: the address kind clusters use must stay free for other tests of setup. */
const TEST_CLUSTER_IP = '10.96.0.51';

let rest: KubeRest;
let ns: FreshNamespace;

interface NodeObject extends KubeObject {
  status?: { addresses?: { type: string; address: string }[] };
}
interface NetworkPolicyObject extends KubeObject {
  spec?: { ingress?: { from?: { ipBlock?: { cidr: string }; namespaceSelector?: unknown }[]; ports?: unknown[] }[] };
}
interface ServiceObject extends KubeObject {
  spec?: { clusterIP?: string; ports?: { port: number }[] };
}

const nodes = [
  { name: `node-pulls-${run}-a`, addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'a' }] },
  { name: `node-pulls-${run}-b`, addresses: [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'InternalIP', address: 'fc00:f853:ccd:e793::3' }] },
  { name: `node-pulls-${run}-c`, addresses: [{ type: 'Hostname', address: 'c' }] },
];

beforeAll(async () => {
  rest = await admin();
  ns = await freshNamespace('node-pulls');
  // Unschedulable and tainted: nothing else in the test cluster lands on them.
  for (const n of nodes) {
    await rest.request('POST', '/api/v1/nodes', {
      body: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: n.name, labels: { [LABEL]: run } },
        spec: { unschedulable: true, taints: [{ key: 'mcp-runtime.test/not-a-node', effect: 'NoExecute' }] },
        status: { addresses: n.addresses },
      },
    });
  }
});

afterAll(async () => {
  for (const n of nodes) await rest?.request('DELETE', `/api/v1/nodes/${n.name}`).catch(() => undefined);
  await ns?.cleanup();
});

describe('registry pulls from nodes', () => {
  it('the applied NetworkPolicy admits each node InternalIP read from the API server, and the Service has the pinned ClusterIP', async () => {
    const listed = await rest.list<NodeObject>('/api/v1/nodes', { labelSelector: `${LABEL}=${run}` });
    expect(listed).toHaveLength(3);
    const { cidrs, withoutAddress } = nodePullCidrs(listed);
    expect(cidrs).toEqual(['172.18.0.2/32', '172.18.0.3/32', 'fc00:f853:ccd:e793::3/128']);
    expect(withoutAddress).toEqual([nodes[2]!.name]);

    const charts = renderPlatform({ registryAllowedCidrs: cidrs, registryClusterIP: TEST_CLUSTER_IP });
    const objects = charts.flatMap((c) => c.objects as KubeObject[]);
    const pick = (kind: string) => {
      const o = objects.find((x) => x.kind === kind && x.metadata?.namespace === 'registry' && x.metadata?.name === 'registry');
      if (o === undefined) throw new Error(`no ${kind} registry/registry rendered`);
      return { ...o, metadata: { ...o.metadata, namespace: ns.name } } as KubeObject;
    };
    for (const kind of ['Service', 'NetworkPolicy']) await applyWithOutcome(rest, pick(kind), { fieldManager: 'mcp-runtime-tests', force: true });

    const policy = await rest.get<NetworkPolicyObject>(`/apis/networking.k8s.io/v1/namespaces/${ns.name}/networkpolicies/registry`);
    const from = policy.spec?.ingress?.[0]?.from ?? [];
    expect(from.filter((f) => f.ipBlock !== undefined).map((f) => f.ipBlock!.cidr)).toEqual(cidrs);
    expect(from.filter((f) => f.namespaceSelector !== undefined)).toHaveLength(1); // the platform's pods, as before
    expect(policy.spec?.ingress?.[0]?.ports).toEqual([{ port: 5000, protocol: 'TCP' }]);

    const service = await rest.get<ServiceObject>(`/api/v1/namespaces/${ns.name}/services/registry`);
    expect(service.spec?.clusterIP).toBe(TEST_CLUSTER_IP);
    expect(service.spec?.ports?.map((p) => p.port)).toEqual([5000]);
  });
});
