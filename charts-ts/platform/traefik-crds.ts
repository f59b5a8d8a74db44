/**
 * Minimal CustomResourceDefinitions for Traefik's kubernetescrd provider. The provider watches
 * all of these kinds and stops if any is missing, so installing only `Middleware` (the one we
 * use) is not enough. The schemas are deliberately open (`x-kubernetes-preserve-unknown-fields`):
 * Traefik validates its own objects, and we avoid vendoring ~3,000 lines of upstream schema.
 *
 * crds/third-party/traefik.io_crds.yaml is the reviewed, hand-written copy of exactly these
 * objects; a unit test keeps the two equal.
 */
export const TRAEFIK_GROUP = 'traefik.io';

/** [kind, plural] of every kind the provider watches (Traefik v3). */
export const TRAEFIK_KINDS: readonly (readonly [kind: string, plural: string])[] = [
  ['IngressRoute', 'ingressroutes'],
  ['IngressRouteTCP', 'ingressroutetcps'],
  ['IngressRouteUDP', 'ingressrouteudps'],
  ['Middleware', 'middlewares'],
  ['MiddlewareTCP', 'middlewaretcps'],
  ['ServersTransport', 'serverstransports'],
  ['ServersTransportTCP', 'serverstransporttcps'],
  ['TLSOption', 'tlsoptions'],
  ['TLSStore', 'tlsstores'],
  ['TraefikService', 'traefikservices'],
];

export function traefikCrd(kind: string, plural: string): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${TRAEFIK_GROUP}` },
    spec: {
      group: TRAEFIK_GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  };
}

export const traefikCrds = (): Record<string, unknown>[] => TRAEFIK_KINDS.map(([kind, plural]) => traefikCrd(kind, plural));
