/**
 * Folds the handshakes of a server's ready pods into what its status says: the `Verified`
 * condition and `status.mcp`. Pure, so the rules below are unit tested one by one:
 *
 * - every ready pod answers MCP (or asks for authorization): True, reason Verified (AuthRequired
 *   when none could be listed because all are protected — reachable is not a failure);
 * - some answer and some do not: False, PartiallyVerified, naming the pods that failed;
 * - none answers: False with the failing pods' reason (Unreachable, Timeout, NotMCP, ...);
 * - no pod is ready: Unknown, NoReadyPods (the Ready condition says why);
 * - `status.mcp` is the inventory of the newest pod that answered, so a rollout reports the
 *   tools it is moving to; absent when no pod answered.
 */
import type { McpStatus } from '../../api/v1alpha1/index.js';
import type { VerifyOutcome, VerifyReason } from './handshake.js';

export interface PodOutcome {
  readonly pod: string;
  /** The pod's creationTimestamp (RFC 3339); the newest pod's inventory wins. */
  readonly created?: string;
  readonly outcome: VerifyOutcome;
}

export type VerifiedReason = VerifyReason | 'PartiallyVerified' | 'NoReadyPods' | 'Disabled';

export interface VerificationCondition {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: VerifiedReason;
  readonly message: string;
}

/** What a verification round found: the condition and the inventory without its timestamp. */
export interface VerificationFinding {
  readonly condition: VerificationCondition;
  readonly mcp?: Omit<McpStatus, 'observedTime'>;
}

/** Failures listed by name in a message; the rest are counted. */
const NAMED_FAILURES = 3;

function failures(failed: readonly PodOutcome[]): string {
  const named = failed.slice(0, NAMED_FAILURES).map((f) => `pod ${f.pod}: ${f.outcome.reason}: ${f.outcome.message}`);
  const more = failed.length - named.length;
  return named.join(' ') + (more > 0 ? ` (and ${more} more)` : '');
}

export function aggregate(outcomes: readonly PodOutcome[]): VerificationFinding {
  if (outcomes.length === 0) {
    return {
      condition: {
        status: 'Unknown',
        reason: 'NoReadyPods',
        message: 'No pod is ready, so none can be verified; the Ready condition says what the pods are waiting for.',
      },
    };
  }
  const answered = outcomes.filter((o) => o.outcome.reachable);
  const failed = outcomes.filter((o) => !o.outcome.reachable);
  const listed = answered
    .filter((o) => o.outcome.server !== undefined)
    .sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.pod.localeCompare(b.pod));
  const newest = listed[0]?.outcome.server;
  const mcp =
    newest === undefined
      ? undefined
      : {
          protocolVersion: newest.protocolVersion,
          serverInfo: { ...newest.serverInfo },
          capabilities: [...newest.capabilities],
          tools: newest.tools.map((t) => ({ ...t })),
          toolCount: newest.toolCount,
          toolsDigest: newest.toolsDigest,
          podsReady: outcomes.length,
          podsVerified: answered.length,
        };
  const of = `${answered.length}/${outcomes.length} ready pods`;
  if (failed.length === 0) {
    if (newest === undefined) {
      return {
        condition: {
          status: 'True',
          reason: 'AuthRequired',
          message: `${of} answer and require authorization (401/403): the server is reachable and protected; its tools cannot be listed without credentials.`,
        },
      };
    }
    return {
      condition: {
        status: 'True',
        reason: 'Verified',
        message: `${of} speak MCP ${newest.protocolVersion} (${newest.serverInfo.name} ${newest.serverInfo.version}, ${newest.toolCount} tools).`,
      },
      ...(mcp === undefined ? {} : { mcp }),
    };
  }
  if (answered.length > 0) {
    return {
      condition: {
        status: 'False',
        reason: 'PartiallyVerified',
        message: `Only ${of} answer MCP; clients routed to the others fail. ${failures(failed)}`,
      },
      ...(mcp === undefined ? {} : { mcp }),
    };
  }
  // None answered: the most common reason speaks for the server (ties: the first pod's).
  const counts = new Map<VerifyReason, number>();
  for (const f of failed) counts.set(f.outcome.reason, (counts.get(f.outcome.reason) ?? 0) + 1);
  const reason = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  return { condition: { status: 'False', reason, message: `No ready pod answers MCP. ${failures(failed)}` } };
}

/** A finding for a server whose verification is switched off in its spec. */
export function disabledFinding(): VerificationFinding {
  return {
    condition: { status: 'Unknown', reason: 'Disabled', message: 'spec.verification.enabled is false: the operator does not check this server over MCP.' },
  };
}

/** Tool names added and removed between two inventories (within the names status keeps). */
export function toolChanges(before: McpStatus | undefined, after: Omit<McpStatus, 'observedTime'> | undefined): string | undefined {
  if (before === undefined || after === undefined || before.toolsDigest === after.toolsDigest) return undefined;
  const was = new Set(before.tools.map((t) => t.name));
  const now = new Set(after.tools.map((t) => t.name));
  const added = [...now].filter((n) => !was.has(n));
  const removed = [...was].filter((n) => !now.has(n));
  const parts = [
    ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
    ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : []),
  ];
  if (parts.length === 0) parts.push('same names, changed definitions (title, description or schemas)');
  return `Tools changed: ${parts.join('; ')} (${before.toolCount} → ${after.toolCount} tools).`;
}
