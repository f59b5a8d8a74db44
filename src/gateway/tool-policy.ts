/**
 * spec.tools, as the gateway enforces it: a tool is allowed when no deny pattern matches it and,
 * if an allow list is given, an allow pattern does. A pattern is an exact name or a prefix ending
 * in `*`. Pure.
 */
import type { ToolPolicy } from '../api/v1alpha1/index.js';

const matches = (pattern: string, name: string): boolean => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name);

/** What one caller may use: the server-wide lists, or those of the first caller rule that matches. */
export interface EffectiveToolPolicy {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
}

/** True when the policy says nothing (every tool allowed, for everyone): the gateway then leaves answers alone. */
export function isOpenPolicy(policy: ToolPolicy | undefined): boolean {
  return policy === undefined || (policy.allow === undefined && (policy.deny ?? []).length === 0 && (policy.callers ?? []).length === 0);
}

/** The values a token claim holds: an array's strings, a `scope`'s words, or the string itself. */
function claimValues(claims: Readonly<Record<string, unknown>>, claim: string): string[] {
  const value = claims[claim];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return claim === 'scope' || claim === 'scp' ? value.split(' ').filter((v) => v !== '') : [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [];
}

/** The lists that apply to a caller (claims undefined: anonymous, the server-wide lists). */
export function policyFor(policy: ToolPolicy, claims: Readonly<Record<string, unknown>> | undefined): EffectiveToolPolicy {
  if (claims !== undefined) {
    for (const rule of policy.callers ?? []) {
      const held = claimValues(claims, rule.claim);
      if (rule.values.some((v) => held.includes(v))) return { ...(rule.allow === undefined ? {} : { allow: rule.allow }), ...(rule.deny === undefined ? {} : { deny: rule.deny }) };
    }
  }
  return { ...(policy.allow === undefined ? {} : { allow: policy.allow }), ...(policy.deny === undefined ? {} : { deny: policy.deny }) };
}

export function toolAllowed(policy: EffectiveToolPolicy | undefined, name: string | undefined): boolean {
  if (policy === undefined) return true;
  if (name === undefined) return policy.allow === undefined;
  if ((policy.deny ?? []).some((p) => matches(p, name))) return false;
  return policy.allow === undefined || policy.allow.some((p) => matches(p, name));
}

/** A JSON-RPC message with its tools/list result filtered (anything else unchanged). */
export function filterToolsListMessage(message: unknown, policy: EffectiveToolPolicy): unknown {
  const m = message as { result?: { tools?: unknown } } | null;
  if (m === null || typeof m !== 'object' || m.result === undefined || !Array.isArray(m.result.tools)) return message;
  const tools = (m.result.tools as { name?: unknown }[]).filter((t) => typeof t?.name === 'string' && toolAllowed(policy, t.name));
  return { ...m, result: { ...m.result, tools } };
}

/**
 * Filters a whole tools/list answer: a JSON body (one message or a batch) or an SSE stream
 * (each event's data is one message; other events pass unchanged). Undefined when the body is
 * not what the content type says: the caller then refuses to pass it on unfiltered.
 */
export function filterToolsListBody(contentType: string | undefined, body: string, policy: EffectiveToolPolicy): string | undefined {
  try {
    if ((contentType ?? '').startsWith('text/event-stream')) {
      return body
        .split(/\r?\n\r?\n/)
        .map((event) => {
          const lines = event.split(/\r?\n/);
          const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
          if (data.length === 0) return event;
          const filtered = JSON.stringify(filterToolsListMessage(JSON.parse(data.join('\n')), policy));
          return [...lines.filter((l) => !l.startsWith('data:')), `data: ${filtered}`].join('\n');
        })
        .join('\n\n');
    }
    const parsed = JSON.parse(body) as unknown;
    return JSON.stringify(Array.isArray(parsed) ? parsed.map((m) => filterToolsListMessage(m, policy)) : filterToolsListMessage(parsed, policy));
  } catch {
    return undefined;
  }
}
