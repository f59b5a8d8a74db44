import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  generateSessionKey,
  parseSessionKeys,
  readSessionKeyDir,
  rotatedSessionKeys,
  SESSION_KEY_FILES,
  SessionKeyError,
} from '../../../src/gateway/session-keys.js';
import { SessionKeyRing } from '../../../src/gateway/session-seal.js';

const SOURCE = '/etc/mcp-gateway/session-keys';
const CONTEXT = 'default/notes';
const route = { pod: 'pod-uid', session: 'upstream-1' };

/** The message a parse throws, asserting it is a SessionKeyError. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionKeyError);
    return (error as Error).message;
  }
  throw new Error('expected a SessionKeyError');
}

describe('generateSessionKey', () => {
  it('is base64 of 32 random bytes, different each time', () => {
    const a = generateSessionKey();
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(Buffer.from(a, 'base64').toString('base64')).toBe(a);
    expect(generateSessionKey()).not.toBe(a);
  });
});

describe('parseSessionKeys', () => {
  it('builds a ring from the current key, whitespace trimmed', () => {
    const current = generateSessionKey();
    const ring = parseSessionKeys({ current: `  ${current}\n` }, SOURCE);
    expect(ring.keyIds).toHaveLength(1);
    expect(ring.open(ring.seal(route, CONTEXT), CONTEXT)).toEqual(route);
  });

  it('accepts URL-safe base64 and base64 without padding', () => {
    // 0xfb 0xff …: '+' and '/' in base64, '-' and '_' in base64url.
    const bytes = Buffer.concat([Buffer.from('fbff', 'hex'), randomBytes(30)]);
    expect(bytes.toString('base64url')).toMatch(/^-_/);
    const a = parseSessionKeys({ current: bytes.toString('base64url') }, SOURCE);
    const b = parseSessionKeys({ current: bytes.toString('base64') }, SOURCE);
    expect(a.keyIds).toEqual(b.keyIds);
  });

  it('opens ids sealed with any previous key, separated by newlines or commas', () => {
    const [p1, p2, p3] = [generateSessionKey(), generateSessionKey(), generateSessionKey()];
    const ring = parseSessionKeys({ current: generateSessionKey(), previous: `${p1}\n${p2} ,\n${p3},\n` }, SOURCE);
    expect(ring.keyIds).toHaveLength(4);
    for (const p of [p1, p2, p3]) {
      const old = parseSessionKeys({ current: p! }, SOURCE);
      expect(ring.open(old.seal(route, CONTEXT), CONTEXT)).toEqual(route);
    }
  });

  it('treats an empty previous file as no previous key', () => {
    expect(parseSessionKeys({ current: generateSessionKey(), previous: ' \n' }, SOURCE).keyIds).toHaveLength(1);
  });

  it('says which file is missing or empty', () => {
    expect(failure(() => parseSessionKeys({}, SOURCE))).toBe(`${SOURCE}/current: missing (the session key Secret needs a "current" key)`);
    expect(failure(() => parseSessionKeys({ current: ' \n' }, SOURCE))).toBe(`${SOURCE}/current: empty (expected base64 of 32 random bytes)`);
  });

  it('says what is wrong with a key, without quoting it', () => {
    const secretish = 'not*base64*but*secret';
    const notBase64 = failure(() => parseSessionKeys({ current: secretish }, SOURCE));
    expect(notBase64).toBe(`${SOURCE}/current: not base64 (expected base64 of 32 random bytes)`);
    const short = randomBytes(16).toString('base64');
    const wrongLength = failure(() => parseSessionKeys({ current: short }, SOURCE));
    expect(wrongLength).toMatch(new RegExp(`^${SOURCE}/current: decodes to 16 bytes, expected 32`));
    expect(wrongLength).not.toContain(short);
    expect(notBase64).not.toContain(secretish);
  });

  it('names the bad previous key by position when there are several', () => {
    const good = generateSessionKey();
    const bad = randomBytes(31).toString('base64');
    expect(failure(() => parseSessionKeys({ current: good, previous: bad }, SOURCE))).toMatch(new RegExp(`^${SOURCE}/previous: decodes to 31 bytes`));
    expect(failure(() => parseSessionKeys({ current: good, previous: `${good},${bad}` }, SOURCE))).toMatch(
      new RegExp(`^${SOURCE}/previous \\(key 2\\): decodes to 31 bytes`),
    );
  });
});

describe('rotatedSessionKeys', () => {
  it('starts with one key when there is none', () => {
    const first = rotatedSessionKeys(undefined);
    expect(first.previous).toBeUndefined();
    expect(Buffer.from(first.current, 'base64')).toHaveLength(32);
  });

  it('issues with a new key and keeps only the old current as previous', () => {
    const first = rotatedSessionKeys(undefined);
    const second = rotatedSessionKeys(first);
    expect(second.previous).toBe(first.current);
    expect(second.current).not.toBe(first.current);
    const third = rotatedSessionKeys({ current: `${second.current}\n`, previous: second.previous! });
    expect(third.previous).toBe(second.current);
  });

  it('keeps sessions across one rotation but not two', () => {
    const first = rotatedSessionKeys(undefined);
    const token = parseSessionKeys(first, SOURCE).seal(route, CONTEXT);
    const second = rotatedSessionKeys(first);
    expect(parseSessionKeys(second, SOURCE).open(token, CONTEXT)).toEqual(route);
    expect(parseSessionKeys(rotatedSessionKeys(second), SOURCE).open(token, CONTEXT)).toBeUndefined();
  });
});

describe('readSessionKeyDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads current and previous', async () => {
    const keys = rotatedSessionKeys(rotatedSessionKeys(undefined));
    await writeFile(join(dir, SESSION_KEY_FILES.current), keys.current);
    await writeFile(join(dir, SESSION_KEY_FILES.previous), `${keys.previous!}\n`);
    const ring = await readSessionKeyDir(dir);
    expect(ring.keyIds).toEqual(parseSessionKeys(keys, SOURCE).keyIds);
    expect(ring.keyIds).toHaveLength(2);
  });

  it('reads a Secret volume laid out with ..data symlinks, previous optional', async () => {
    const current = generateSessionKey();
    await mkdir(join(dir, '..2026_11_27'));
    await writeFile(join(dir, '..2026_11_27', 'current'), current);
    await symlink('..2026_11_27', join(dir, '..data'));
    await symlink('..data/current', join(dir, 'current'));
    const ring = await readSessionKeyDir(dir);
    expect(ring.keyIds).toEqual(parseSessionKeys({ current }, SOURCE).keyIds);
  });

  it('says the current key file is missing, with no errno', async () => {
    const error = await readSessionKeyDir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionKeyError);
    expect((error as Error).message).toBe(`${dir}/current: missing (mount the session key Secret at ${dir}; it needs a "current" key)`);
    const noDir = await readSessionKeyDir(join(dir, 'absent')).catch((e: unknown) => e);
    expect((noDir as Error).message).toMatch(/absent\/current: missing/);
    expect((noDir as Error).message).not.toMatch(/ENOENT/);
  });

  it('says a key file is a directory', async () => {
    await mkdir(join(dir, 'current'));
    await expect(readSessionKeyDir(dir)).rejects.toThrow(`${dir}/current: is a directory, expected a file`);
  });

  it('names the directory in errors about the content', async () => {
    await writeFile(join(dir, 'current'), 'c2hvcnQ=');
    await expect(readSessionKeyDir(dir)).rejects.toThrow(`${dir}/current: decodes to 5 bytes, expected 32`);
  });
});

describe('SessionKeyRing from parsed keys', () => {
  it('matches a ring built from the raw bytes', () => {
    const bytes = randomBytes(32);
    expect(parseSessionKeys({ current: bytes.toString('base64') }, SOURCE).keyIds).toEqual(new SessionKeyRing(bytes).keyIds);
  });
});
