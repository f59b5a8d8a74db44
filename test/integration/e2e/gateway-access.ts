/**
 * Ways around or through the platform's ingress for the end-to-end tests: a fetch that goes
 * straight to gateway pods, as the route would deliver there, and Traefik's access log.
 */
import { readFile } from 'node:fs/promises';
import { SERVER_HEADER } from '../../../src/gateway/routing-header.js';
import type { HostTraefik } from '../../../src/local-cluster/index.js';

/**
 * A fetch for an MCP transport that skips Traefik: every request goes to the gateway pod `pickIp`
 * names (called per request), with the header the server's route sets and the path the route
 * leaves (it strips `/<name>`, so the gateway sees `/mcp`).
 */
export function gatewayPodFetch(server: string, pickIp: () => string): typeof fetch {
  return ((_input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set(SERVER_HEADER, server);
    return fetch(`http://${pickIp()}:8080/mcp`, { ...init, headers });
  }) as typeof fetch;
}

/** Traefik's JSON access log (one object per request), empty when it was not turned on. */
export async function accessLogEntries(traefik: HostTraefik): Promise<Record<string, unknown>[]> {
  if (traefik.accessLogFile === undefined) return [];
  return (await readFile(traefik.accessLogFile, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
