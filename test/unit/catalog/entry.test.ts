// MCPServer → catalog entry: names, versions, texts, remotes, packages, live and official _meta.
import { describe, expect, it } from '@jest/globals';
import { catalogEntry, updatedAtMs, type MCPServerLike } from '../../../src/catalog/entry.js';
import { namePrefixProblem } from '../../../src/catalog/names.js';
import { catalogVersion } from '../../../src/catalog/version.js';
import { parseImageReference } from '../../../src/images/reference.js';
import { MCPServerManifestSchema } from '../../../src/api/v1alpha1/mcpserver.js';
import { registrySchemaErrors } from '../../fixtures/mcp-registry/validator.js';

const settings = { namePrefix: 'io.example.mcp' };
const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function server(overrides: { spec?: Record<string, unknown>; status?: MCPServerLike['status']; metadata?: MCPServerLike['metadata'] } = {}): MCPServerLike {
  return {
    metadata: { name: 'weather', namespace: 'team-a', generation: 3, creationTimestamp: '2026-01-01T10:00:00Z', ...overrides.metadata },
    spec: { image: 'registry.example.com/team/weather', port: 8088, containerPath: '/mcp', ...overrides.spec },
    ...(overrides.status !== undefined ? { status: overrides.status } : {}),
  };
}

const liveStatus: NonNullable<MCPServerLike['status']> = {
  phase: 'Ready',
  url: 'http://mcp.example.com/weather/mcp',
  image: `registry.example.com/team/weather:1.4.2@${DIGEST}`,
  replicas: 2,
  readyReplicas: 2,
  observedGeneration: 3,
  conditions: [
    { type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: '2026-01-01T10:01:00Z' },
    { type: 'Verified', status: 'True', reason: 'AuthRequired', message: '', lastTransitionTime: '2026-01-01T10:02:00Z' },
  ],
  mcp: {
    protocolVersion: '2025-06-18',
    serverInfo: { name: 'Weather Server', version: '1.4.2' },
    capabilities: ['tools'],
    tools: [{ name: 'forecast' }, { name: 'alerts', description: 'Active alerts' }],
    toolCount: 2,
    toolsDigest: 'abc',
    podsReady: 2,
    podsVerified: 2,
    observedTime: '2026-01-01T10:03:00Z',
  },
};

describe('catalogEntry', () => {
  it('maps a live server to a ServerResponse the official schema accepts', () => {
    const entry = catalogEntry(server({ status: liveStatus }), settings)!;
    expect(registrySchemaErrors('ServerResponse', entry.response)).toEqual([]);
    expect(entry.response.server).toEqual({
      name: 'io.example.mcp.team-a/weather',
      description: 'MCP server weather in namespace team-a',
      version: '1.4.2',
      title: 'Weather Server',
      packages: [{ registryType: 'oci', identifier: liveStatus.image, transport: { type: 'streamable-http', url: 'http://localhost:8088/mcp' } }],
      remotes: [{ type: 'streamable-http', url: 'http://mcp.example.com/weather/mcp' }],
    });
    expect(entry.response._meta['io.agent-hellboy.mcp-runtime/live']).toEqual({
      namespace: 'team-a',
      name: 'weather',
      ready: true,
      phase: 'Ready',
      verified: true,
      verifiedReason: 'AuthRequired',
      authRequired: true,
      replicas: 2,
      readyReplicas: 2,
      protocolVersion: '2025-06-18',
      serverInfo: { name: 'Weather Server', version: '1.4.2' },
      capabilities: ['tools'],
      tools: ['forecast', 'alerts'],
      toolCount: 2,
      generation: 3,
      observedGeneration: 3,
      image: liveStatus.image,
    });
    expect(entry.response._meta['io.modelcontextprotocol.registry/official']).toEqual({
      status: 'active',
      publishedAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:03:00.000Z',
      isLatest: true,
    });
    expect(entry.deleted).toBe(false);
  });

  it('maps an object of the original API (no catalog field, no status) with defaults', () => {
    const original = server({ spec: { imageTag: undefined } });
    expect(MCPServerManifestSchema.safeParse({ apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', ...original }).success).toBe(true);
    const entry = catalogEntry(original, settings)!;
    expect(registrySchemaErrors('ServerResponse', entry.response)).toEqual([]);
    expect(entry.response.server.version).toBe('0.0.0-gen3');
    expect(entry.response.server.title).toBeUndefined();
    expect(entry.response.server.remotes).toBeUndefined();
    expect(entry.response._meta['io.agent-hellboy.mcp-runtime/live']).toMatchObject({ ready: false, verified: false, authRequired: false, tools: [], toolCount: 0 });
  });

  it('says auth is required, by whom and with which scopes, for a server with spec.auth', () => {
    const live = (spec: Record<string, unknown>) => catalogEntry(server({ spec, status: { ...liveStatus, conditions: [] } }), settings)!.response._meta['io.agent-hellboy.mcp-runtime/live'];
    expect(live({ auth: { issuer: 'https://id.example.com', scopes: ['mcp:tools'] } })).toMatchObject({ authRequired: true, auth: { issuer: 'https://id.example.com', scopes: ['mcp:tools'], required: true } });
    // Anonymous calls pass: not "required", but the issuer is still shown.
    expect(live({ auth: { issuer: 'https://id.example.com', required: false } })).toMatchObject({ authRequired: false, auth: { scopes: [], required: false } });
    expect(live({})).not.toHaveProperty('auth');
    expect(registrySchemaErrors('ServerResponse', catalogEntry(server({ spec: { auth: { issuer: 'https://id.example.com' } } }), settings)!.response)).toEqual([]);
  });

  it('uses spec.catalog title, description and version over what the server reports', () => {
    const entry = catalogEntry(server({ status: liveStatus, spec: { catalog: { title: 'Weather', description: 'Forecasts and alerts', version: '2.0.0-rc.1' } } }), settings)!;
    expect(entry.response.server).toMatchObject({ title: 'Weather', description: 'Forecasts and alerts', version: '2.0.0-rc.1' });
    expect(registrySchemaErrors('ServerResponse', entry.response)).toEqual([]);
  });

  it('leaves out a server that opted out, and one without name or namespace', () => {
    expect(catalogEntry(server({ spec: { catalog: { publish: false } } }), settings)).toBeUndefined();
    expect(catalogEntry(server({ spec: { catalog: { publish: true } } }), settings)).toBeDefined();
    expect(catalogEntry({ metadata: { name: 'x' } }, settings)).toBeUndefined();
  });

  it('cuts long texts to the registry limit of 100 characters', () => {
    const long = 'a'.repeat(63);
    const entry = catalogEntry(server({ metadata: { name: long, namespace: long } }), settings)!;
    expect(entry.response.server.description).toHaveLength(100);
    expect(entry.response.server.description.endsWith('…')).toBe(true);
    expect(registrySchemaErrors('ServerResponse', entry.response)).toEqual([]);
  });

  it('omits a remote whose URL is not http(s) and marks a server being deleted as deleted', () => {
    const entry = catalogEntry(server({ status: { url: 'mcp.example.com/x' }, metadata: { deletionTimestamp: '2026-01-02T00:00:00Z' } }), settings)!;
    expect(entry.response.server.remotes).toBeUndefined();
    expect(entry.deleted).toBe(true);
    expect(entry.response._meta['io.modelcontextprotocol.registry/official']).toMatchObject({ status: 'deleted', statusChangedAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z' });
  });
});

describe('updatedAt', () => {
  it('is the latest of creation, managed-field writes, condition transitions and the MCP observation', () => {
    const base = server({ status: liveStatus });
    expect(new Date(updatedAtMs(base)).toISOString()).toBe('2026-01-01T10:03:00.000Z');
    const edited = { ...base, metadata: { ...base.metadata, managedFields: [{ time: '2026-01-01T09:00:00Z' }, { time: '2026-01-05T08:00:00Z' }] } };
    expect(new Date(updatedAtMs(edited)).toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(new Date(updatedAtMs(server())).toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });
});

describe('catalogVersion', () => {
  const image = (ref: string) => parseImageReference(ref);
  it.each([
    ['spec.catalog.version first', { specVersion: '3.1.0', image: image('r/x:1.0.0'), serverVersion: '9', generation: 1 }, '3.1.0'],
    ['the image tag, without a leading v', { image: image('r/x:v1.2.0'), serverVersion: '9', generation: 1 }, '1.2.0'],
    ['not the tag latest: the version the server reports', { image: image('r/x:latest'), serverVersion: '0.9.1', generation: 1 }, '0.9.1'],
    ['no tag, server says latest, pinned digest', { image: image(`r/x@${DIGEST}`), serverVersion: 'latest', generation: 1 }, '0.0.0-sha256-0123456789ab'],
    ['nothing else: the generation', { image: image('r/x'), generation: 7 }, '0.0.0-gen7'],
    ['a spec version of latest is never used', { specVersion: 'latest', generation: 2 }, '0.0.0-gen2'],
    ['a range is never used', { serverVersion: '^1.2', generation: 2 }, '0.0.0-gen2'],
  ])('%s', (_what, sources, expected) => {
    expect(catalogVersion(sources)).toBe(expected);
  });
});

describe('name prefix', () => {
  it('accepts reverse-DNS names and explains what is wrong with others', () => {
    expect(namePrefixProblem('io.example.mcp')).toBeUndefined();
    expect(namePrefixProblem('')).toMatch(/empty/);
    expect(namePrefixProblem('io.example/mcp')).toMatch(/reverse-DNS/);
    expect(namePrefixProblem('io..x')).toMatch(/reverse-DNS/);
    expect(namePrefixProblem('a'.repeat(73))).toMatch(/at most 72/);
  });
});
