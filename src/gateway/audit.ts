/**
 * One structured audit line per tools/call. Arguments and results are client and tool data:
 * printed only when an operator turns payloads on. The session id is a bearer credential for the
 * session, so only a fingerprint is printed: enough to correlate one session's lines.
 */
import { createHash } from 'node:crypto';

export interface AuditEntry {
  time: Date;
  server: string;
  tool: string;
  /** The session id the client holds (printed as a fingerprint). */
  session?: string;
  caller?: string;
  decision?: 'allowed' | 'denied';
  status: string;
  httpStatus: number;
  durationMs: number;
  arguments?: unknown;
  result?: unknown;
}

/** A short stable fingerprint of a session id: the first 16 hex characters of its sha256. */
export function sessionFingerprint(session: string): string {
  return createHash('sha256').update(session, 'utf8').digest('hex').slice(0, 16);
}

/** A payload as JSON can carry it; a value JSON cannot encode (cycle, BigInt) is replaced by a marker. */
function payload(value: unknown): unknown {
  try {
    JSON.stringify(value);
    return value;
  } catch {
    return '[not serializable]';
  }
}

/** The entry as one JSON line (no trailing newline). */
export function auditLine(entry: AuditEntry, options: { includePayloads: boolean }): string {
  const line: Record<string, unknown> = {
    time: Number.isNaN(entry.time.getTime()) ? null : entry.time.toISOString(),
    event: 'tools/call',
    server: entry.server,
    tool: entry.tool,
    session: entry.session === undefined ? null : sessionFingerprint(entry.session),
    caller: entry.caller ?? null,
    ...(entry.decision !== undefined && { decision: entry.decision }),
    status: entry.status,
    httpStatus: entry.httpStatus,
    durationMs: Math.round(entry.durationMs * 10) / 10,
  };
  if (options.includePayloads) {
    if (entry.arguments !== undefined) line.arguments = payload(entry.arguments);
    if (entry.result !== undefined) line.result = payload(entry.result);
  }
  // JSON.stringify escapes line breaks inside strings, so this is always one line.
  return JSON.stringify(line);
}
