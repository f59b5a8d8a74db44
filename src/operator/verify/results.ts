/**
 * What the verifier last published per server, read by the MCPServer reconciler when it
 * computes status. The reconciler stays the only writer of status; the verifier hands it
 * results here and enqueues the server. After a restart the store is empty and the stored
 * status speaks until the first verification (so a restart writes nothing new).
 */
import { findCondition, type MCPServerStatus, type McpStatus } from '../../api/v1alpha1/index.js';
import { jsonEqual } from '../../kube/equal.js';
import type { VerificationCondition, VerificationFinding } from './aggregate.js';

export interface PublishedVerification {
  readonly condition: VerificationCondition;
  readonly mcp?: McpStatus;
}

export class VerificationResults {
  private readonly byKey = new Map<string, PublishedVerification>();

  get(key: string): PublishedVerification | undefined {
    return this.byKey.get(key);
  }

  set(key: string, value: PublishedVerification): void {
    this.byKey.set(key, value);
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** What a stored status says about verification (after a restart, before the first round). */
export function fromStatus(status: MCPServerStatus | undefined): PublishedVerification | undefined {
  const condition = findCondition(status, 'Verified');
  if (condition === undefined) return undefined;
  return {
    condition: { status: condition.status, reason: condition.reason as VerificationCondition['reason'], message: condition.message },
    ...(status?.mcp === undefined ? {} : { mcp: status.mcp }),
  };
}

/** True when a finding says the same as what is published (the inventory's timestamp aside). */
export function sameFinding(published: PublishedVerification | undefined, finding: VerificationFinding): boolean {
  if (published === undefined) return false;
  const c = published.condition;
  if (c.status !== finding.condition.status || c.reason !== finding.condition.reason || c.message !== finding.condition.message) return false;
  if (published.mcp === undefined || finding.mcp === undefined) return published.mcp === finding.mcp;
  const { observedTime: _ignored, ...stored } = published.mcp;
  return jsonEqual(stored, finding.mcp);
}
