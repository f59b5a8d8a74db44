import { describe, expect, it } from '@jest/globals';
import { parseMetadataText, toMCPServerManifest, MissingImageError } from '../../../src/metadata/index.js';

const load = (text: string) => {
  const { servers, problems } = parseMetadataText('m.yaml', text);
  expect(problems).toEqual([]);
  return servers.map((s) => s.server);
};

describe('toMCPServerManifest', () => {
  it('maps route to ingressPath and keeps only the fields that were written (plus metadata defaults)', () => {
    const [server] = load('servers:\n  - name: weather\n    image: ghcr.io/acme/weather\n    route: weather/v1/mcp\n    envVars: [{name: UNITS, value: metric}]\n');
    expect(toMCPServerManifest(server!)).toEqual({
      apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
      kind: 'MCPServer',
      metadata: { name: 'weather', namespace: 'mcp-servers', labels: { 'app.kubernetes.io/managed-by': 'mcp-runtime', 'app.kubernetes.io/name': 'weather' } },
      spec: {
        ingressPath: '/weather/v1/mcp',
        image: 'ghcr.io/acme/weather',
        port: 8088,
        servicePort: 80,
        containerPath: '/mcp',
        replicas: 1,
        envVars: [{ name: 'UNITS', value: 'metric' }],
      },
    });
  });

  it('puts the description into an annotation and honours the namespace', () => {
    const [server] = load('servers:\n  - name: notes\n    namespace: team-a\n    image: notes\n    description: Keeps notes per session\n');
    const manifest = toMCPServerManifest(server!);
    expect(manifest.metadata.namespace).toBe('team-a');
    expect(manifest.metadata.annotations).toEqual({ 'mcp.agent-hellboy.io/description': 'Keeps notes per session' });
    expect(manifest.spec.ingressPath).toBe('/notes/mcp');
  });

  it('refuses a server without an image and says how to get one', () => {
    const [server] = load('servers:\n  - name: draft\n');
    expect(() => toMCPServerManifest(server!)).toThrow(MissingImageError);
    expect(() => toMCPServerManifest(server!)).toThrow('mcp-runtime server build draft');
  });
});
