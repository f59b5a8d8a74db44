import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { MAX_TOKEN_CHARS, SessionKeyError, SessionKeyRing, SessionSealError } from '../../../src/gateway/session-seal.js';

const CONTEXT = 'team-a/notes';
const POD = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';
const route = { pod: POD, session: 'a1b2c3d4-upstream-session' };
const BASE64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const key = (): Buffer => randomBytes(32);

describe('SessionKeyRing', () => {
  it('opens what it sealed, for the same server', () => {
    const ring = new SessionKeyRing(key());
    const token = ring.seal(route, CONTEXT);
    expect(ring.open(token, CONTEXT)).toEqual(route);
  });

  it('issues a different token each time (random IV), all opening to the same route', () => {
    const ring = new SessionKeyRing(key());
    const tokens = new Set(Array.from({ length: 20 }, () => ring.seal(route, CONTEXT)));
    expect(tokens.size).toBe(20);
    for (const token of tokens) expect(ring.open(token, CONTEXT)).toEqual(route);
  });

  it('keeps tokens short: a UUID pod and a UUID session (what most SDKs issue) fit in 83 characters', () => {
    const ring = new SessionKeyRing(key());
    const uuidRoute = { pod: POD, session: '0f0e0d0c-0b0a-4908-8706-050403020100' };
    const token = ring.seal(uuidRoute, CONTEXT);
    expect(token.length).toBe(83);
    expect(ring.open(token, CONTEXT)).toEqual(uuidRoute);
    // An upper-case UUID is not compacted (it would not come back byte for byte), but still round-trips.
    const upper = { pod: POD, session: uuidRoute.session.toUpperCase() };
    expect(ring.open(ring.seal(upper, CONTEXT), CONTEXT)).toEqual(upper);
  });

  it('rejects every single-character tamper (any other base64url character, or a non-alphabet one)', () => {
    const ring = new SessionKeyRing(key());
    const token = ring.seal(route, CONTEXT);
    let tried = 0;
    for (let i = 0; i < token.length; i += 1) {
      for (const c of [...BASE64URL_CHARS, '=', '+', '/', '.', ' ']) {
        if (c === token[i]) continue;
        const tampered = token.slice(0, i) + c + token.slice(i + 1);
        expect(ring.open(tampered, CONTEXT)).toBeUndefined();
        tried += 1;
      }
    }
    expect(tried).toBe(token.length * 68);
  });

  it('rejects truncated, extended and empty tokens', () => {
    const ring = new SessionKeyRing(key());
    const token = ring.seal(route, CONTEXT);
    for (let n = 0; n < token.length; n += 1) expect(ring.open(token.slice(0, n), CONTEXT)).toBeUndefined();
    expect(ring.open(`${token}A`, CONTEXT)).toBeUndefined();
    expect(ring.open(`${token}AAAA`, CONTEXT)).toBeUndefined();
  });

  it('rejects a token sealed for another server (the context is authenticated)', () => {
    const ring = new SessionKeyRing(key());
    const token = ring.seal(route, CONTEXT);
    expect(ring.open(token, 'team-a/other')).toBeUndefined();
    expect(ring.open(token, 'team-b/notes')).toBeUndefined();
    expect(ring.open(token, '')).toBeUndefined();
  });

  it('opens tokens of the previous key after a rotation, and issues with the new one', () => {
    const oldKey = key();
    const before = new SessionKeyRing(oldKey);
    const oldToken = before.seal(route, CONTEXT);
    const after = new SessionKeyRing(key(), [oldKey]);
    expect(after.open(oldToken, CONTEXT)).toEqual(route);
    const newToken = after.seal(route, CONTEXT);
    expect(after.open(newToken, CONTEXT)).toEqual(route);
    // Only the new key issues: the old ring cannot open the new token.
    expect(before.open(newToken, CONTEXT)).toBeUndefined();
  });

  it('rejects a token of a key that left the ring (two rotations later, or a foreign gateway)', () => {
    const oldKey = key();
    const token = new SessionKeyRing(oldKey).seal(route, CONTEXT);
    expect(new SessionKeyRing(key(), [key()]).open(token, CONTEXT)).toBeUndefined();
    expect(new SessionKeyRing(key()).open(token, CONTEXT)).toBeUndefined();
  });

  it('finds the right key when several keys share an id byte', () => {
    // Collect keys until three share the first id byte (256 buckets: a few dozen keys suffice).
    const byFirst = new Map<string, Buffer[]>();
    let same: Buffer[] | undefined;
    while (same === undefined) {
      const k = key();
      const id = new SessionKeyRing(k).keyIds[0]!.slice(0, 2);
      const list = [...(byFirst.get(id) ?? []), k];
      byFirst.set(id, list);
      if (list.length === 3) same = list;
    }
    const [a, b, c] = same as [Buffer, Buffer, Buffer];
    const token = new SessionKeyRing(c).seal(route, CONTEXT);
    expect(new SessionKeyRing(a, [b, c]).open(token, CONTEXT)).toEqual(route);
    expect(new SessionKeyRing(a, [b]).open(token, CONTEXT)).toBeUndefined();
  });

  it('issues only visible ASCII (0x21-0x7E), in the base64url alphabet', () => {
    const ring = new SessionKeyRing(key());
    for (let i = 0; i < 50; i += 1) {
      const token = ring.seal({ pod: POD, session: `s-${i}-${'x'.repeat(i)}` }, CONTEXT);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(token).toMatch(/^[\x21-\x7e]+$/);
    }
  });

  it('round-trips upstream ids made of any visible ASCII, 1 to 256 characters', () => {
    const ring = new SessionKeyRing(key());
    const visible = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
    const sessions = [visible, '!', '~', '"\\\'<>{}', 'a'.repeat(256), visible.repeat(3).slice(0, 256)];
    for (const session of sessions) expect(ring.open(ring.seal({ pod: POD, session }, CONTEXT), CONTEXT)).toEqual({ pod: POD, session });
  });

  it('round-trips pod UIDs that are not UUIDs', () => {
    const ring = new SessionKeyRing(key());
    for (const pod of ['pod-1', 'ÄÖÜ-uid', POD.toUpperCase(), 'x'.repeat(255)]) {
      expect(ring.open(ring.seal({ pod, session: 's' }, CONTEXT), CONTEXT)).toEqual({ pod, session: 's' });
    }
  });

  it('refuses to seal what it could not restore: an empty or non-visible-ASCII session, or an oversized route', () => {
    const ring = new SessionKeyRing(key());
    for (const session of ['', 'with space', 'tab\t', 'caf\u00e9', 'nl\n']) {
      expect(() => ring.seal({ pod: POD, session }, CONTEXT)).toThrow(SessionSealError);
    }
    expect(() => ring.seal({ pod: POD, session: 'a'.repeat(800) }, CONTEXT)).toThrow(SessionSealError);
    expect(() => ring.seal({ pod: '', session: 's' }, CONTEXT)).toThrow(SessionSealError);
    expect(() => ring.seal({ pod: 'p'.repeat(256), session: 's' }, CONTEXT)).toThrow(SessionSealError);
  });

  it('rejects tokens longer than the limit before decoding, and garbage without throwing', () => {
    const ring = new SessionKeyRing(key());
    expect(ring.open('A'.repeat(MAX_TOKEN_CHARS + 1), CONTEXT)).toBeUndefined();
    expect(ring.open('A'.repeat(MAX_TOKEN_CHARS), CONTEXT)).toBeUndefined();
    for (const garbage of ['', '====', 'not a token', '\u0000\u0001', '😀😀😀', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      expect(ring.open(garbage, CONTEXT)).toBeUndefined();
    }
    expect(ring.open(undefined as unknown as string, CONTEXT)).toBeUndefined();
  });

  it('rejects keys that are not 32 bytes with SessionKeyError', () => {
    expect(() => new SessionKeyRing(randomBytes(16))).toThrow(SessionKeyError);
    expect(() => new SessionKeyRing(randomBytes(33))).toThrow(/current session key must be exactly 32 bytes \(got 33\)/);
    expect(() => new SessionKeyRing(key(), [randomBytes(31)])).toThrow(/previous session key 1 must be exactly 32 bytes/);
  });

  it('names its keys with short non-secret ids, current first, without duplicates', () => {
    const current = key();
    const previous = key();
    const ring = new SessionKeyRing(current, [previous, current]);
    expect(ring.keyIds).toHaveLength(2);
    for (const id of ring.keyIds) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(ring.keyIds[0]).toBe(new SessionKeyRing(current).keyIds[0]);
    expect(ring.keyIds[1]).toBe(new SessionKeyRing(previous).keyIds[0]);
    expect(ring.keyIds.join('')).not.toContain(current.toString('hex').slice(0, 8));
  });
});
