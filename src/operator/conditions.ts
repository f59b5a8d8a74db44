/**
 * Condition bookkeeping in the style of apimachinery's meta.SetStatusCondition: a condition's
 * lastTransitionTime changes only when its status changes, so rewriting an unchanged status
 * produces an identical object (and therefore no write).
 */
import type { Condition, ConditionType } from '../api/v1alpha1/index.js';

export interface ConditionInput {
  readonly type: ConditionType;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

export function mergeConditions(
  previous: readonly Condition[] | undefined,
  next: readonly ConditionInput[],
  generation: number,
  now: () => Date,
): Condition[] {
  return next.map((condition) => {
    const before = previous?.find((p) => p.type === condition.type);
    const lastTransitionTime =
      before !== undefined && before.status === condition.status ? before.lastTransitionTime : rfc3339(now());
    return { ...condition, lastTransitionTime, observedGeneration: generation };
  });
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
