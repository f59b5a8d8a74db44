/**
 * Server-side apply of plain objects with a per-object outcome (created / configured /
 * unchanged), for real runs and server-side dry runs alike.
 *
 * - Real run: the object did not exist → created; its resourceVersion did not move →
 *   unchanged (the API server skips writes for no-op applies); otherwise configured.
 * - Dry run (`dryRun=All`): the server computes the object it would store; comparing it with
 *   the live object (ignoring bookkeeping fields and status) tells configured from unchanged.
 */
import { jsonEqual } from './equal.js';
import { KubeApiError } from './errors.js';
import type { KubeObject, KubeRest } from './rest.js';

export const CLI_FIELD_MANAGER = 'mcp-runtime-cli';
export const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface ApplyOptions {
  fieldManager?: string;
  dryRun?: boolean;
  /** Take over fields another manager owns (SSA `force`). */
  force?: boolean;
}

export interface ApplyResult {
  object: KubeObject;
  outcome: ApplyOutcome;
  dryRun: boolean;
  /** The live object before the apply (undefined when it did not exist). */
  before?: KubeObject;
  /** What the API server stored (or, in a dry run, would store). */
  after: KubeObject;
}

/** `Deployment registry/registry`, `Namespace mcp-servers`. */
export function describeObject(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? '?'} ${ns !== undefined && ns !== '' ? `${ns}/` : ''}${obj.metadata?.name ?? '?'}`;
}

const VOLATILE_METADATA = ['resourceVersion', 'generation', 'uid', 'creationTimestamp', 'managedFields', 'selfLink'];

/** The object without status and bookkeeping: what a person would call its content. */
export function comparable(obj: KubeObject | undefined): KubeObject | undefined {
  if (obj === undefined) return undefined;
  const copy = structuredClone(obj);
  delete copy.status;
  if (copy.metadata !== undefined) for (const key of VOLATILE_METADATA) delete copy.metadata[key];
  return copy;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: unknown;
}

/** The fields `manager` owns through apply (its managedFields entry without the timestamp). */
export function ownedFields(obj: KubeObject | undefined, manager: string): unknown {
  const entries = (obj?.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  return entries
    .filter((e) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === '')
    .map((e) => e.fieldsV1);
}

export function outcomeOf(before: KubeObject | undefined, after: KubeObject, dryRun: boolean, manager: string): ApplyOutcome {
  if (before === undefined) return 'created';
  if (!dryRun) return before.metadata?.resourceVersion === after.metadata?.resourceVersion ? 'unchanged' : 'configured';
  if (!jsonEqual(comparable(before), comparable(after))) return 'configured';
  return jsonEqual(ownedFields(before, manager), ownedFields(after, manager)) ? 'unchanged' : 'configured';
}

/** Server-side applies one object. The caller's object is not modified. */
export async function applyObject(rest: KubeRest, object: KubeObject, options: ApplyOptions = {}): Promise<ApplyResult> {
  const manager = options.fieldManager ?? CLI_FIELD_MANAGER;
  const dryRun = options.dryRun === true;
  const path = await rest.objectPath(object);
  const before = await rest.find<KubeObject>(path);
  const after = await rest.request<KubeObject>('PATCH', path, {
    query: { fieldManager: manager, force: options.force === true ? true : undefined, dryRun: dryRun ? 'All' : undefined },
    body: object,
    contentType: APPLY_PATCH_CONTENT_TYPE,
  });
  return { object, outcome: outcomeOf(before, after, dryRun, manager), dryRun, before, after };
}

export interface DeleteOptions {
  /** Foreground waits for dependents server-side; Background (default) returns at once. */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  dryRun?: boolean;
}

/** Deletes an object; returns false when it was already gone. */
export async function deleteObject(rest: KubeRest, path: string, options: DeleteOptions = {}): Promise<boolean> {
  try {
    // With a DeleteOptions body the API server reads the options from the body only, so dryRun
    // goes there (a dryRun query parameter would be ignored and the object really deleted).
    await rest.request('DELETE', path, {
      body: {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: options.propagationPolicy ?? 'Background',
        ...(options.dryRun === true ? { dryRun: ['All'] } : {}),
      },
    });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return false;
    throw error;
  }
}
