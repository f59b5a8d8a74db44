/**
 * A cross-field rule is stated once and enforced twice: as CEL in the CRD
 * (`x-kubernetes-validations`, so the API server rejects it) and as a zod refinement (so the
 * CLI rejects the same input before it reaches a cluster). Keeping both halves side by side in
 * one object is what keeps them from drifting apart.
 */
import { z } from 'zod';

export interface CrossFieldRule<T> {
  /**
   * CEL expression evaluated by the API server with `self` bound to the object. Omitted when the
   * API server enforces the rule by other means (e.g. `x-kubernetes-list-type: map` keys).
   */
  readonly cel?: string;
  /** The message both the API server and the CLI print. */
  readonly message: string;
  /** Field the message is reported on (relative to the object), for file:line reporting. */
  readonly path: readonly (string | number)[];
  /** The same rule in TypeScript; returns true when the object is valid. */
  readonly holds: (value: T) => boolean;
}

/** Adds the TypeScript half of each rule to a zod schema (no CRD metadata). */
export function refineWithRules<S extends z.ZodObject>(schema: S, rules: readonly CrossFieldRule<z.output<S>>[]): S {
  return schema.superRefine((value, ctx) => {
    for (const rule of rules) {
      if (!rule.holds(value as z.output<S>)) {
        ctx.addIssue({ code: 'custom', message: rule.message, path: [...rule.path] });
      }
    }
  }) as S;
}

/** Adds both halves: the zod refinement and the CEL rules the CRD generator emits. */
export function withCrossFieldRules<S extends z.ZodObject>(schema: S, rules: readonly CrossFieldRule<z.output<S>>[]): S {
  const validations = rules.flatMap((rule) =>
    rule.cel === undefined
      ? []
      : [
          {
            rule: rule.cel,
            message: rule.message,
            ...(rule.path.length > 0 ? { fieldPath: rule.path.map((p) => `.${String(p)}`).join('') } : {}),
          },
        ],
  );
  return refineWithRules(schema, rules).meta({ 'x-kubernetes-validations': validations }) as S;
}
