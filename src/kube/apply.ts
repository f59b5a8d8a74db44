/**
 * What a command reports about an apply: created / configured / unchanged, for real runs and
 * server-side dry runs alike. The write itself is the project's one server-side apply
 * (src/runtime/apply.ts); this adds the read before it and the comparison after it.
 *
 * - Real run: the object did not exist → created; its resourceVersion did not move →
 *   unchanged (the API server skips writes for no-op applies); otherwise configured.
 * - Dry run (`dryRun=All`): the server computes the object it would store; comparing it with
 *   the live object (ignoring bookkeeping fields and status) tells configured from unchanged.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { applyObject } from '../runtime/apply.js';
import { jsonEqual } from './equal.js';
import type { KubeObject, KubeRest } from './rest.js';

export const CLI_FIELD_MANAGER = 'mcp-runtime-cli';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface OutcomeApplyOptions {
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

/** Reads the live object, server-side applies `object` (not modified) and says what changed. */
export async function applyWithOutcome(rest: KubeRest, object: KubeObject, options: OutcomeApplyOptions = {}): Promise<ApplyResult> {
  const manager = options.fieldManager ?? CLI_FIELD_MANAGER;
  const dryRun = options.dryRun === true;
  const before = await rest.find<KubeObject>(await rest.objectPath(object));
  const after = await applyObject(rest.client, object as KubernetesObject, manager, { force: options.force, dryRun, mapper: rest.mapper });
  return { object, outcome: outcomeOf(before, after as KubeObject, dryRun, manager), dryRun, before, after: after as KubeObject };
}
