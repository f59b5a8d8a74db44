import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { cloudCommands, findExecutable, kindArgs, kindConfig } from '../../../src/cluster/provision.js';
import { namespaceObject, PLATFORM_NAMESPACES } from '../../../src/cluster/namespaces.js';
import { kubeconfigSource } from '../../../src/kube/config.js';
import { renderPlatform } from '../../../charts-ts/platform/index.js';

describe('cluster provision helpers', () => {
  it('kind config has one control plane and N-1 workers (the registry parts: test/unit/cluster/kind-registry.test.ts)', () => {
    expect(parse(kindConfig(3, '/c')).nodes.map((n: { role: string }) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(parse(kindConfig(1, '/c')).nodes).toHaveLength(1);
    expect(kindArgs('mcp', '/tmp/c.yaml', '/tmp/kc')).toEqual(['create', 'cluster', '--name', 'mcp', '--config', '/tmp/c.yaml', '--kubeconfig', '/tmp/kc']);
  });

  it('prints the cloud CLI commands with name and node count', () => {
    expect(cloudCommands('gke', 'mcp', 3)[0]).toBe('gcloud container clusters create mcp --num-nodes 3 --region <region>');
    expect(cloudCommands('eks', 'mcp', 2)[0]).toBe('eksctl create cluster --name mcp --nodes 2 --region <region>');
    expect(cloudCommands('aks', 'mcp', 1)[0]).toContain('az aks create --resource-group <resource-group> --name mcp --node-count 1');
    for (const p of ['gke', 'eks', 'aks'] as const) expect(cloudCommands(p, 'x', 1)[1]).toMatch(/get-credentials|update-kubeconfig/);
  });

  it('finds executables on PATH only', () => {
    expect(findExecutable('node')).toMatch(/node$/);
    expect(findExecutable('definitely-not-a-binary-mcp')).toBeUndefined();
    expect(findExecutable('node', '')).toBeUndefined();
  });
});

describe('namespaces', () => {
  it('deploy-created namespaces carry exactly the labels of the platform chart namespaces', () => {
    const chart = renderPlatform({}).find((c) => c.name === 'namespaces')!;
    expect(chart.objects.map((o) => o.metadata.name).sort()).toEqual([...PLATFORM_NAMESPACES].sort());
    for (const obj of chart.objects) expect(namespaceObject(obj.metadata.name)).toEqual(obj);
  });
});

describe('kubeconfig source', () => {
  it('prefers the flag, then $KUBECONFIG, then ~/.kube/config, then in-cluster', () => {
    expect(kubeconfigSource({ kubeconfig: 'x' }, {}, '/nohome')).toEqual({ kind: 'file', path: expect.stringMatching(/\/x$/) });
    expect(kubeconfigSource({}, { KUBECONFIG: `/nope:${process.execPath}` }, '/nohome')).toEqual({ kind: 'env', paths: [process.execPath] });
    expect(kubeconfigSource({}, {}, '/nohome')).toBeUndefined();
    expect(kubeconfigSource({}, { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, '/nohome')).toEqual({ kind: 'in-cluster' });
  });
});
