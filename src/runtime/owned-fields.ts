/**
 * Cache projections: what an informer keeps of an object when the controller needs less than
 * all of it. The largest is `ownedFieldsProjection`: for children the controller applies
 * server-side, keep only the fields its field manager owns (read from metadata.managedFields,
 * which is then dropped), plus metadata and status. That is exactly what a drift check can
 * compare against the desired object (every field we apply is a field we own), without the
 * defaults the API server filled in (a Deployment's pod template roughly doubles) or fields
 * other managers set.
 *
 * Drift is still seen: when someone else changes or removes a field we own, the API server
 * moves or drops its ownership, so the field is missing from the projection and the desired
 * object's field walk reports it (then a forced apply takes it back).
 */
import type { KubernetesObject } from '@kubernetes/client-node';

/** A managedFields entry's fieldsV1 (structured-merge-diff's field set). */
type FieldSet = { [key: string]: FieldSet };

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: FieldSet;
}

/** Metadata a controller reads (names, ownership, versions, labels and annotations). */
const KEPT_METADATA = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers'] as const;

/** kubectl's client-side apply record: a full copy of the object, never read by a controller. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function isLeaf(fields: FieldSet): boolean {
  for (const key in fields) if (key !== '.') return false;
  return true;
}

function matchesKey(item: unknown, key: Record<string, unknown>): boolean {
  if (item === null || typeof item !== 'object') return false;
  for (const [k, v] of Object.entries(key)) if ((item as Record<string, unknown>)[k] !== v) return false;
  return true;
}

/** The part of `value` that `fields` names (a leaf keeps the whole value). */
export function projectFields(value: unknown, fields: FieldSet): unknown {
  if (isLeaf(fields) || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const chosen = new Map<number, FieldSet>();
    for (const [key, sub] of Object.entries(fields)) {
      if (key.startsWith('k:')) {
        const wanted = JSON.parse(key.slice(2)) as Record<string, unknown>;
        // The key fields identify the item: kept even where the field set does not list them.
        const withKey = { ...sub, ...Object.fromEntries(Object.keys(wanted).map((k) => [`f:${k}`, {}])) };
        value.forEach((item, i) => {
          if (matchesKey(item, wanted)) chosen.set(i, withKey);
        });
      } else if (key.startsWith('v:')) {
        const wanted = JSON.stringify(JSON.parse(key.slice(2)));
        value.forEach((item, i) => {
          if (JSON.stringify(item) === wanted) chosen.set(i, sub);
        });
      } else if (key.startsWith('i:')) {
        chosen.set(Number(key.slice(2)), sub);
      }
    }
    // The original order: lists compared by position stay comparable.
    return value.flatMap((item, i) => {
      const sub = chosen.get(i);
      return sub === undefined ? [] : [projectFields(item, sub)];
    });
  }
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(fields)) {
    if (!key.startsWith('f:')) continue;
    const name = key.slice(2);
    const child = (value as Record<string, unknown>)[name];
    if (child !== undefined) out[name] = projectFields(child, sub);
  }
  return out;
}

/** The metadata a controller reads, without managedFields and kubectl's last-applied copy. */
export function keptMetadata(metadata: KubernetesObject['metadata']): KubernetesObject['metadata'] {
  if (metadata === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of KEPT_METADATA) if (metadata[key] !== undefined) out[key] = metadata[key];
  if (metadata.annotations?.[LAST_APPLIED] !== undefined) {
    const { [LAST_APPLIED]: _dropped, ...annotations } = metadata.annotations;
    out.annotations = annotations;
  }
  return out as KubernetesObject['metadata'];
}

export interface OwnedFieldsOptions {
  /** The field manager whose applied fields are kept. */
  fieldManager: string;
  /** Top-level fields kept whole besides the owned ones (default ['status']). */
  keep?: readonly string[];
  /** Fields of `spec` kept even when another manager owns them (e.g. a Service's clusterIP). */
  keepSpec?: readonly string[];
}

/**
 * An informer transform keeping, of every object: apiVersion, kind, the metadata controllers
 * read, the fields `fieldManager` applied, `keep` (status by default) and `keepSpec`.
 */
export function ownedFieldsProjection<T extends KubernetesObject>(options: OwnedFieldsOptions): (obj: T) => T {
  const keep = options.keep ?? ['status'];
  const keepSpec = options.keepSpec ?? [];
  return (obj) => {
    const source = obj as unknown as Record<string, unknown>;
    const entries = (obj.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
    const applied = entries.find((e) => e.manager === options.fieldManager && e.operation === 'Apply' && (e.subresource ?? '') === '');
    const owned = (applied?.fieldsV1 === undefined ? {} : projectFields(source, applied.fieldsV1)) as Record<string, unknown>;
    const out: Record<string, unknown> = { apiVersion: obj.apiVersion, kind: obj.kind, ...owned, metadata: keptMetadata(obj.metadata) };
    for (const key of keep) if (source[key] !== undefined) out[key] = source[key];
    const spec = source.spec as Record<string, unknown> | undefined;
    if (spec !== undefined && keepSpec.length > 0) {
      const projected = { ...((owned.spec as Record<string, unknown> | undefined) ?? {}) };
      for (const key of keepSpec) if (spec[key] !== undefined) projected[key] = spec[key];
      out.spec = projected;
    }
    return out as unknown as T;
  };
}
