import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { auditLine, type AuditEntry, sessionFingerprint } from '../../../src/gateway/audit.js';

const SESSION = 'AbCdEf0123456789-sealed-token_xyz';
const entry: AuditEntry = {
  time: new Date('2026-11-27T13:45:01.234Z'),
  server: 'default/notes',
  tool: 'add_note',
  session: SESSION,
  status: 'ok',
  httpStatus: 200,
  durationMs: 12.345,
  arguments: { text: 'private note' },
  result: { content: [{ type: 'text', text: 'saved' }] },
};

describe('auditLine', () => {
  it('prints one JSON line with the fields in a fixed order, payloads absent by default', () => {
    const line = auditLine(entry, { includePayloads: false });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      time: '2026-11-27T13:45:01.234Z',
      event: 'tools/call',
      server: 'default/notes',
      tool: 'add_note',
      session: createHash('sha256').update(SESSION).digest('hex').slice(0, 16),
      caller: null,
      status: 'ok',
      httpStatus: 200,
      durationMs: 12.3,
    });
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['time', 'event', 'server', 'tool', 'session', 'caller', 'status', 'httpStatus', 'durationMs']);
    expect(line).not.toContain('private note');
    expect(line).not.toContain('saved');
    expect(line).not.toMatch(/"arguments"|"result"/);
  });

  it('never prints the session id itself, only a stable fingerprint', () => {
    const a = auditLine(entry, { includePayloads: true });
    const b = auditLine({ ...entry, time: new Date() }, { includePayloads: false });
    expect(a).not.toContain(SESSION);
    const fingerprint = (line: string): unknown => (JSON.parse(line) as { session: unknown }).session;
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(fingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(auditLine({ ...entry, session: `${SESSION}x` }, { includePayloads: false }))).not.toBe(fingerprint(a));
    expect(sessionFingerprint(SESSION)).toBe(fingerprint(a));
  });

  it('prints null for an unknown session or caller, and the caller and decision when given', () => {
    const { session: _session, ...noSession } = entry;
    expect(JSON.parse(auditLine(noSession, { includePayloads: false }))).toMatchObject({ session: null, caller: null });
    const line = JSON.parse(auditLine({ ...entry, caller: 'alice@example.com', decision: 'denied', status: 'denied', httpStatus: 403 }, { includePayloads: false }));
    expect(line).toMatchObject({ caller: 'alice@example.com', decision: 'denied', status: 'denied', httpStatus: 403 });
    expect(Object.keys(line as object).indexOf('decision')).toBe(Object.keys(line as object).indexOf('caller') + 1);
  });

  it('prints arguments and result when payloads are on', () => {
    const line = JSON.parse(auditLine(entry, { includePayloads: true })) as Record<string, unknown>;
    expect(line.arguments).toEqual({ text: 'private note' });
    expect(line.result).toEqual({ content: [{ type: 'text', text: 'saved' }] });
    const { arguments: _a, result: _r, ...bare } = entry;
    expect(JSON.parse(auditLine(bare, { includePayloads: true }))).not.toHaveProperty('arguments');
  });

  it('keeps one line whatever the payload holds, and survives values JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const line = auditLine({ ...entry, tool: 'multi\nline', arguments: { text: 'a\nb\r\nc\u2028' }, result: cyclic }, { includePayloads: true });
    expect(line.split('\n')).toHaveLength(1);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.tool).toBe('multi\nline');
    expect(parsed.result).toBe('[not serializable]');
    expect(JSON.parse(auditLine({ ...entry, arguments: 10n }, { includePayloads: true }))).toMatchObject({ arguments: '[not serializable]' });
  });

  it('rounds the duration to 0.1 ms', () => {
    const duration = (ms: number): unknown => (JSON.parse(auditLine({ ...entry, durationMs: ms }, { includePayloads: false })) as { durationMs: unknown }).durationMs;
    expect(duration(0.04)).toBe(0);
    expect(duration(0.05)).toBe(0.1);
    expect(duration(1234.5678)).toBe(1234.6);
    expect(duration(7)).toBe(7);
  });
});
