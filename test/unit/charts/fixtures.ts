// Builders shared by the chart tests (not a test file).
import { API_VERSION, KIND, defaultSpec, type MCPServer, type MCPServerSpecInput } from '../../../src/api/v1alpha1/index.js';
import { defaultOperatorSettings, type OperatorSettings, type RenderedObject } from '../../../charts-ts/server/index.js';

/** An MCPServer as the API server stores it: CRD defaults applied. */
export function mcpServer(name: string, spec: Partial<MCPServerSpecInput> = {}, namespace?: string): MCPServer {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: defaultSpec({ image: 'ghcr.io/acme/weather:1.0.0', ...spec }),
  };
}

export const noSettings: OperatorSettings = defaultOperatorSettings({});

export const withCredentials: OperatorSettings = defaultOperatorSettings({
  PROVISIONED_REGISTRY_URL: 'https://reg.example.com',
  PROVISIONED_REGISTRY_USERNAME: 'robot',
  PROVISIONED_REGISTRY_PASSWORD: 'hunter2',
});

export function byKind(objects: readonly RenderedObject[], kind: string): RenderedObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function one(objects: readonly RenderedObject[], kind: string): RenderedObject {
  const found = byKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, got ${found.length}`);
  return found[0]!;
}

/** Loose access into rendered JSON for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const j = (o: unknown): any => o;

/** Every string anywhere in a value (keys and values), for "no '*' anywhere" style checks. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...allStrings(v)]);
  return [];
}
