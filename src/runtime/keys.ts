/**
 * Object keys: `namespace/name` for namespaced objects, `name` for cluster-scoped ones
 * (client-go's MetaNamespaceKeyFunc), so keys from every source compare equal.
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export interface ObjectRef {
  namespace?: string;
  name: string;
}

export function objectKey(ref: ObjectRef): string {
  return ref.namespace !== undefined && ref.namespace !== '' ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** Key of an object; throws when it has no name (such an object cannot come from the API). */
export function keyOf(obj: KubernetesObject): string {
  const name = obj.metadata?.name;
  if (name === undefined || name === '') throw new Error(`object of kind ${obj.kind ?? '?'} has no metadata.name`);
  return objectKey({ namespace: obj.metadata?.namespace, name });
}

export function parseKey(key: string): ObjectRef {
  const slash = key.indexOf('/');
  if (slash < 0) return { name: key };
  if (slash === 0 || slash === key.length - 1 || key.indexOf('/', slash + 1) >= 0) throw new Error(`invalid object key "${key}"`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
