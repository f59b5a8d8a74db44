/**
 * The writes of the project (operator and CLI): server-side apply of a desired object, status
 * patches, deletes.
 *
 * Server-side apply is sent as the exact JSON the caller built (Content-Type
 * application/apply-patch+yaml; JSON is YAML), not through client-node's
 * KubernetesObjectApi.patch: that re-serializes built-in kinds through its models, silently
 * dropping any field the models do not know, and returns models (Date objects) instead of
 * what the server stored. See the integration test `apply.test.ts` for the evidence.
 *
 * Pass the *desired* state only (what this field manager owns), never an object read from the
 * cache: managedFields or a stale resourceVersion in an apply body are errors.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { isNotFound } from './kube-errors.js';
import type { KubeClient, Query } from './kube-http.js';
import { restMapperFor, type RestMapper } from './rest-mapper.js';
import { resourcePath, type ResourceType } from './resources.js';

export const APPLY_PATCH = 'application/apply-patch+yaml';
export const MERGE_PATCH = 'application/merge-patch+json';

export interface ApplyOptions {
  /** Take ownership of fields another manager owns (controllers usually want true). Default false. */
  force?: boolean;
  /** Validate and default on the server without persisting (dryRun=All). */
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Resolves kinds; default the client's shared discovery mapper. */
  mapper?: RestMapper;
}

/** Server-side applies `obj` and returns the object as the API server stored it (raw JSON). */
export async function applyObject<T extends KubernetesObject>(
  client: KubeClient,
  obj: T,
  fieldManager: string,
  options: ApplyOptions = {},
): Promise<T> {
  const type = await typeOf(client, obj, options.mapper);
  const path = resourcePath(type, { namespace: namespaceOf(type, obj), name: nameOf(obj) });
  const query: Query = { fieldManager, force: options.force === true ? true : undefined, dryRun: options.dryRun === true ? 'All' : undefined };
  return client.request<T>('PATCH', path, { query, body: obj, contentType: APPLY_PATCH, signal: options.signal });
}

export interface StatusPatchOptions {
  fieldManager: string;
  /**
   * 'merge' (default): JSON merge patch of `status`; with `resourceVersion` it fails with 409
   * when the object changed since it was read (optimistic locking, no lost updates).
   * 'apply': server-side apply of `status` on the status subresource (force applies).
   */
  mode?: 'merge' | 'apply';
  resourceVersion?: string;
  signal?: AbortSignal;
}

/** Writes `status` through the status subresource (spec changes in the body are ignored there). */
export async function patchStatus<T extends KubernetesObject>(
  client: KubeClient,
  type: ResourceType,
  ref: { namespace?: string; name: string },
  status: unknown,
  options: StatusPatchOptions,
): Promise<T> {
  const path = resourcePath(type, { namespace: ref.namespace, name: ref.name, subresource: 'status' });
  if ((options.mode ?? 'merge') === 'apply') {
    const body = {
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: { name: ref.name, ...(type.namespaced ? { namespace: ref.namespace } : {}) },
      status,
    };
    return client.request<T>('PATCH', path, {
      query: { fieldManager: options.fieldManager, force: true },
      body,
      contentType: APPLY_PATCH,
      signal: options.signal,
    });
  }
  const body = options.resourceVersion !== undefined ? { metadata: { resourceVersion: options.resourceVersion }, status } : { status };
  return client.request<T>('PATCH', path, {
    query: { fieldManager: options.fieldManager },
    body,
    contentType: MERGE_PATCH,
    signal: options.signal,
  });
}

export interface DeleteOptions {
  /** Default 'Background' (owned objects are collected by the garbage collector). */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Only delete this exact object (guards against deleting a re-created namesake). */
  uid?: string;
  /** Validate on the server without deleting (dryRun=All). */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** Deletes an object; true if it was deleted, false if it was already gone. */
export async function deleteObject(
  client: KubeClient,
  type: ResourceType,
  ref: { namespace?: string; name: string },
  options: DeleteOptions = {},
): Promise<boolean> {
  const path = resourcePath(type, { namespace: ref.namespace, name: ref.name });
  const body = {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    propagationPolicy: options.propagationPolicy ?? 'Background',
    ...(options.uid !== undefined ? { preconditions: { uid: options.uid } } : {}),
    // With a DeleteOptions body the API server reads the options from the body only, so dryRun
    // goes there (a dryRun query parameter would be ignored and the object really deleted).
    ...(options.dryRun === true ? { dryRun: ['All'] } : {}),
  };
  try {
    await client.request('DELETE', path, { body, signal: options.signal });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function typeOf(client: KubeClient, obj: KubernetesObject, mapper?: RestMapper): Promise<ResourceType> {
  if (obj.apiVersion === undefined || obj.kind === undefined) throw new Error('applyObject needs apiVersion and kind');
  return (mapper ?? restMapperFor(client)).resolve(obj.apiVersion, obj.kind);
}

function nameOf(obj: KubernetesObject): string {
  const name = obj.metadata?.name;
  if (name === undefined || name === '') throw new Error(`applyObject: ${obj.kind} has no metadata.name`);
  return name;
}

function namespaceOf(type: ResourceType, obj: KubernetesObject): string | undefined {
  if (!type.namespaced) return undefined;
  const ns = obj.metadata?.namespace;
  if (ns === undefined || ns === '') throw new Error(`applyObject: ${type.kind} ${nameOf(obj)} has no metadata.namespace`);
  return ns;
}
