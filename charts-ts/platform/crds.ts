/**
 * CustomResourceDefinitions as constructs. Cluster-scoped: put them in a chart without a
 * namespace (cdk8s stamps a chart's namespace even on cluster-scoped kinds).
 */
import { ApiObject, type ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import { mcpServerCrd } from '../../src/api/v1alpha1/index.js';
import { TRAEFIK_KINDS, traefikCrd } from './traefik-crds.js';

/** The MCPServer CRD: the very object `npm run gen` writes to crds/mcp.agent-hellboy.io_mcpservers.yaml. */
export class McpServerCrd extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ApiObject(this, 'Resource', mcpServerCrd() as unknown as ApiObjectProps);
  }
}

/** The minimal Traefik CRDs (traefik-crds.ts). */
export class TraefikCrds extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const [kind, plural] of TRAEFIK_KINDS) {
      new ApiObject(this, kind, traefikCrd(kind, plural) as unknown as ApiObjectProps);
    }
  }
}
