/** The MCPServers a benchmark creates: N small, identical-but-for-the-name servers. */
import { API_VERSION, KIND } from '../src/api/v1alpha1/index.js';

/** Env var whose value the update wave changes (a pod-template change: a real rollout). */
export const WAVE_ENV = 'BENCH_WAVE';

export function serverName(index: number): string {
  return `bench-${String(index).padStart(4, '0')}`;
}

export function serverNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => serverName(i));
}

export function serverSpec(wave = 0): Record<string, unknown> {
  return {
    image: 'registry.example.com/bench/mcp-echo',
    imageTag: '1.0.0',
    envVars: [{ name: WAVE_ENV, value: String(wave) }],
  };
}

export function mcpServerManifest(namespace: string, name: string, wave = 0): Record<string, unknown> {
  return { apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace }, spec: serverSpec(wave) };
}

export const serversPath = (namespace: string, name = ''): string =>
  `/apis/${API_VERSION}/namespaces/${namespace}/mcpservers${name === '' ? '' : `/${name}`}`;
