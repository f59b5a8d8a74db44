/**
 * renderServer(): the objects of one MCPServer as plain JSON, for the operator (every
 * reconcile) and `synth --servers` alike. A fresh App per call and `chart.toJson()`, never
 * `app.synth()` (that writes files). Output keys are sorted by cdk8s, so equal input gives
 * byte-identical output.
 */
import { App, Chart } from 'cdk8s';
import type { MCPServer } from '../../src/api/v1alpha1/index.js';
import { HostedMcpServer } from './hosted-server.js';
import type { ResolvedServer } from './resolve.js';
import type { OperatorSettings } from './settings.js';

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/**
 * Every kind renderServer() can return (in its order), so the operator knows what to watch and
 * what to prune when an object is no longer rendered (e.g. the Middleware once paths match).
 */
export const SERVER_OBJECT_KINDS = [
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' },
  { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute' },
] as const;

export interface RenderResult {
  readonly resolved: ResolvedServer;
  /** Secret?, NetworkPolicy?, Deployment, Service, Middleware?, then Ingress or (gateway) Middleware + Certificate? + IngressRoute; no ownerReferences (the operator adds them). */
  readonly objects: RenderedObject[];
}

/** renderServer plus the ResolvedServer it was built from (to avoid resolving twice). */
export function renderServerWithResolution(server: MCPServer, settings: OperatorSettings): RenderResult {
  const app = new App();
  // No chart namespace (each object names its own) and no name hashes (names are exact).
  const chart = new Chart(app, 'server', { disableResourceNameHashes: true });
  const hosted = new HostedMcpServer(chart, 'mcp', { server, settings });
  return { resolved: hosted.resolved, objects: chart.toJson() as RenderedObject[] };
}

/**
 * The Kubernetes objects for one MCPServer. Pure and deterministic. Throws
 * InvalidImageReferenceError when the image reference is malformed.
 */
export function renderServer(server: MCPServer, settings: OperatorSettings): RenderedObject[] {
  return renderServerWithResolution(server, settings).objects;
}
