/**
 * Labels. Selector labels are a separate, minimal set: selectors are immutable, so they hold
 * only values that never change for the life of an object (never a construct address, never a
 * version).
 */
export const PART_OF = 'mcp-runtime';
export const MANAGED_BY = 'mcp-runtime';

export type Labels = Record<string, string>;

/** Pod selector of a server's Deployment and Service. Export it to find a server's pods (`server logs`). */
export function serverSelectorLabels(name: string): Labels {
  return { app: name, 'app.kubernetes.io/managed-by': MANAGED_BY };
}

/** Every label a server's objects carry (a superset of the selector labels). */
export function serverLabels(name: string): Labels {
  return {
    ...serverSelectorLabels(name),
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': 'mcp-server',
    'app.kubernetes.io/part-of': PART_OF,
  };
}

/** Selector labels of a platform component (operator, registry, traefik). */
export function componentSelectorLabels(component: string): Labels {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': PART_OF };
}

/** Every label a platform component's objects carry. */
export function componentLabels(component: string): Labels {
  return { ...componentSelectorLabels(component), 'app.kubernetes.io/managed-by': MANAGED_BY };
}
