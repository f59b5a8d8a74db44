import { describe, expect, it } from '@jest/globals';
import { ZodError } from 'zod';
import { defaultSpec, mcpServerCrd } from '../../../src/api/v1alpha1/index.js';
import { defaultOperatorSettings, renderServer, type OperatorSettings } from '../../../charts-ts/server/index.js';
import { byKind, j, mcpServer, noSettings, one } from './fixtures.js';

const gateway = { namespace: 'edge-gw', name: 'mcp-gateway', port: 80 };
const withGateway: OperatorSettings = { ...noSettings, gateway };
const policyOf = (objects: ReturnType<typeof renderServer>) => j(one(objects, 'NetworkPolicy'));
const sourceNamespaces = (policy: ReturnType<typeof j>): string[] =>
  policy.spec.ingress.flatMap((rule: { from: { namespaceSelector: { matchLabels: Record<string, string> } }[] }) =>
    rule.from.map((peer) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']),
  );
const DNS = { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };

/** The messages defaultSpec() refuses `spec` with, each prefixed by its field path. */
function problems(spec: Record<string, unknown>): string[] {
  try {
    defaultSpec({ image: 'ghcr.io/acme/weather:1.0.0', ...spec });
    return [];
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  }
}

describe('a server NetworkPolicy', () => {
  it('is named after the server, selects exactly its pods and opens only the container port', () => {
    const objects = renderServer(mcpServer('weather', { port: 9000 }, 'team-x'), noSettings);
    const policy = policyOf(objects);
    const deployment = j(one(objects, 'Deployment'));
    expect(policy.apiVersion).toBe('networking.k8s.io/v1');
    expect(policy.metadata).toMatchObject({ name: 'weather', namespace: 'team-x' });
    expect(policy.spec.podSelector).toEqual({ matchLabels: deployment.spec.selector.matchLabels });
    expect(policy.spec.ingress).toHaveLength(1);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 9000, protocol: 'TCP' }]);
  });

  it('is rendered before the Deployment, so pods never start unisolated', () => {
    const kinds = renderServer(mcpServer('weather'), noSettings).map((o) => o.kind);
    expect(kinds.indexOf('NetworkPolicy')).toBeLessThan(kinds.indexOf('Deployment'));
  });

  it('lets in the ingress controller and the operator when the server is not behind the gateway', () => {
    expect(sourceNamespaces(policyOf(renderServer(mcpServer('weather'), noSettings)))).toEqual(['mcp-runtime', 'traefik']);
    const custom = defaultOperatorSettings({ MCP_INGRESS_NAMESPACE: 'ingress-nginx', POD_NAMESPACE: 'platform' });
    expect(sourceNamespaces(policyOf(renderServer(mcpServer('weather'), custom)))).toEqual(['ingress-nginx', 'platform']);
  });

  it("lets in the gateway's namespace, not the ingress controller's, when routed through the gateway", () => {
    const sources = sourceNamespaces(policyOf(renderServer(mcpServer('weather'), withGateway)));
    expect(sources).toEqual(['edge-gw', 'mcp-runtime']);
    // Opting out of the gateway puts the ingress controller back.
    const optedOut = sourceNamespaces(policyOf(renderServer(mcpServer('weather', { gateway: { enabled: false } }), withGateway)));
    expect(optedOut).toEqual(['mcp-runtime', 'traefik']);
  });

  it('names the operator namespace once when the edge lives there too', () => {
    const shared = defaultOperatorSettings({ MCP_INGRESS_NAMESPACE: 'mcp-runtime' });
    expect(sourceNamespaces(policyOf(renderServer(mcpServer('weather'), shared)))).toEqual(['mcp-runtime']);
  });

  it('leaves egress alone when spec.network.egress is absent', () => {
    const policy = policyOf(renderServer(mcpServer('weather', { network: {} }), noSettings));
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.egress).toBeUndefined();
  });

  it('restricts egress to the listed destinations plus DNS when spec.network.egress is given', () => {
    const network = {
      egress: [
        { cidr: '10.20.0.0/16', ports: [{ port: 5432 }] },
        { namespace: 'databases' },
        { cidr: 'fd00::/64', ports: [{ port: 514, protocol: 'UDP' as const }] },
      ],
    };
    const policy = policyOf(renderServer(mcpServer('weather', { network }), noSettings));
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toEqual([
      DNS,
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'databases' } } }] },
      { to: [{ ipBlock: { cidr: 'fd00::/64' } }], ports: [{ port: 514, protocol: 'UDP' }] },
    ]);
  });

  it('allows DNS only when the allow-list is empty', () => {
    const policy = policyOf(renderServer(mcpServer('weather', { network: { egress: [] } }), noSettings));
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toEqual([DNS]);
  });

  it('is not rendered with isolate: false, whatever egress says', () => {
    const objects = renderServer(mcpServer('weather', { network: { isolate: false, egress: [{ namespace: 'db' }] } }), noSettings);
    expect(byKind(objects, 'NetworkPolicy')).toEqual([]);
    expect(byKind(objects, 'Deployment')).toHaveLength(1);
  });
});

describe('spec.network validation', () => {
  it('accepts IPv4 and IPv6 CIDRs and namespace names', () => {
    expect(problems({ network: { egress: [{ cidr: '0.0.0.0/0' }, { cidr: '2001:db8::/32' }, { namespace: 'kube-system' }] } })).toEqual([]);
  });

  it('requires exactly one of cidr and namespace in an egress entry', () => {
    expect(problems({ network: { egress: [{ ports: [{ port: 443 }] }] } })).toEqual(['network.egress.0: set exactly one of cidr and namespace']);
    expect(problems({ network: { egress: [{ cidr: '10.0.0.0/8', namespace: 'db' }] } })).toEqual(['network.egress.0: set exactly one of cidr and namespace']);
  });

  it.each([
    ['10.0.0.0', /prefix length must be 0 to 32/],
    ['10.0.0.0/33', /prefix length must be 0 to 32/],
    ['fd00::/129', /prefix length must be 0 to 128/],
    ['example.com/24', /not an IP address/],
    ['fe80::1%eth0/64', /not an IP address/],
  ])('refuses the CIDR %s', (cidr, message) => {
    const found = problems({ network: { egress: [{ cidr }] } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^network\.egress\.0\.cidr: /);
    expect(found[0]).toMatch(message);
  });

  it('refuses a namespace that is not a DNS label, a port out of range, an unknown protocol and unknown fields', () => {
    expect(problems({ network: { egress: [{ namespace: 'Team_DB' }] } })[0]).toMatch(/^network\.egress\.0\.namespace: must be a DNS-1123 label/);
    expect(problems({ network: { egress: [{ namespace: 'db', ports: [{ port: 0 }] }] } })[0]).toMatch(/^network\.egress\.0\.ports\.0\.port: must be at least 1/);
    expect(problems({ network: { egress: [{ namespace: 'db', ports: [{ port: 65536 }] }] } })[0]).toMatch(/^network\.egress\.0\.ports\.0\.port: must be at most 65535/);
    expect(problems({ network: { egress: [{ namespace: 'db', ports: [{ port: 53, protocol: 'SCTP' }] }] } })[0]).toMatch(/^network\.egress\.0\.ports\.0\.protocol: /);
    expect(problems({ network: { ingress: [] } })[0]).toMatch(/^network: .*ingress/);
  });
});

describe('the MCPServer CRD for spec.network', () => {
  it('checks the CIDR format and the one-of rule on the API server too', () => {
    const spec = j(mcpServerCrd()).spec.versions[0].schema.openAPIV3Schema.properties.spec;
    const entry = spec.properties.network.properties.egress.items;
    expect(entry.properties.cidr.format).toBe('cidr');
    expect(entry['x-kubernetes-validations']).toEqual([{ rule: 'has(self.cidr) != has(self.namespace)', message: 'set exactly one of cidr and namespace' }]);
  });
});
