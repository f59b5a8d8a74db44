/**
 * Session pinning without a shared store: the session id the client holds is an authenticated
 * encryption of {pod UID, upstream Mcp-Session-Id}. Any gateway replica holding the key can open
 * it and route to the pod, so replicas keep no session map. See "Pinning sessions without a
 * shared store" in the hosting spec.
 *
 * Token = base64url(keyId(1) | iv(12) | ciphertext | tag(16)), AES-256-GCM, AAD binds the token
 * to one MCPServer ("namespace/name") and to the key-id byte. base64url keeps the id within the
 * visible ASCII the protocol requires for session ids.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SealedRoute {
  /** UID of the pod that issued the session. */
  readonly pod: string;
  /** The upstream's own Mcp-Session-Id, restored on the way in. */
  readonly session: string;
}

/** A key that is not 32 bytes, or a ring without one. Never carries key material. */
export class SessionKeyError extends Error {
  override name = 'SessionKeyError';
}

/** The route cannot be sealed (an upstream's id that is not visible ASCII, or too long). */
export class SessionSealError extends Error {
  override name = 'SessionSealError';
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;
/** Longest token accepted or issued: longer input is rejected before decoding (cheap DoS guard). */
export const MAX_TOKEN_CHARS = 1024;
/** Bytes that fit in a MAX_TOKEN_CHARS base64url token. */
const MAX_TOKEN_BYTES = Math.floor((MAX_TOKEN_CHARS * 3) / 4);

// Plaintext: flags byte | pod | session. Pod UIDs are UUIDs, and most SDKs issue UUID session
// ids: 16 raw bytes instead of 36 characters keeps tokens short. Anything else is stored as text
// (the pod length-prefixed, the session as the rest).
const FLAG_POD_UUID = 1;
const FLAG_SESSION_UUID = 2;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const AAD_LABEL = 'mcp-runtime/gateway-session/v1\0';

interface RingKey {
  readonly key: Buffer;
  readonly idByte: number;
  readonly id: string;
}

/** Non-secret fingerprint of a key: domain-separated so it is not a plain hash of the key. */
function fingerprint(key: Buffer): Buffer {
  return createHash('sha256').update('mcp-runtime/gateway-session-key-id\0').update(key).digest();
}

function ringKey(key: Buffer, label: string): RingKey {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new SessionKeyError(`${label} must be exactly ${KEY_BYTES} bytes (got ${Buffer.isBuffer(key) ? key.length : typeof key})`);
  }
  const digest = fingerprint(key);
  return { key: Buffer.from(key), idByte: digest[0]!, id: digest.subarray(0, 4).toString('hex') };
}

function aad(idByte: number, context: string): Buffer {
  return Buffer.concat([Buffer.from(AAD_LABEL), Buffer.of(idByte), Buffer.from(context, 'utf8')]);
}

const uuidBytes = (uuid: string): Buffer => Buffer.from(uuid.replaceAll('-', ''), 'hex');

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function encodeRoute(route: SealedRoute): Buffer {
  if (typeof route.session !== 'string' || !VISIBLE_ASCII.test(route.session)) {
    throw new SessionSealError('the upstream session id is empty or not visible ASCII (0x21-0x7E)');
  }
  const podIsUuid = UUID.test(route.pod);
  const sessionIsUuid = UUID.test(route.session);
  let pod: Buffer;
  if (podIsUuid) {
    pod = uuidBytes(route.pod);
  } else {
    const text = Buffer.from(route.pod, 'utf8');
    if (text.length === 0 || text.length > 255) throw new SessionSealError(`the pod UID must be 1-255 bytes (got ${text.length})`);
    pod = Buffer.concat([Buffer.of(text.length), text]);
  }
  const flags = (podIsUuid ? FLAG_POD_UUID : 0) | (sessionIsUuid ? FLAG_SESSION_UUID : 0);
  return Buffer.concat([Buffer.of(flags), pod, sessionIsUuid ? uuidBytes(route.session) : Buffer.from(route.session, 'ascii')]);
}

/** Inverse of encodeRoute; undefined for anything encodeRoute could not have produced. */
function decodeRoute(plain: Buffer): SealedRoute | undefined {
  const flags = plain[0];
  if (flags === undefined || flags > (FLAG_POD_UUID | FLAG_SESSION_UUID)) return undefined;
  let rest = plain.subarray(1);
  let pod: string;
  if (flags & FLAG_POD_UUID) {
    if (rest.length < 16) return undefined;
    pod = uuidText(rest.subarray(0, 16));
    rest = rest.subarray(16);
  } else {
    const length = rest[0] ?? 0;
    if (length === 0 || rest.length < 1 + length) return undefined;
    pod = rest.subarray(1, 1 + length).toString('utf8');
    rest = rest.subarray(1 + length);
  }
  if (flags & FLAG_SESSION_UUID) return rest.length === 16 ? { pod, session: uuidText(rest) } : undefined;
  const session = rest.toString('latin1');
  return VISIBLE_ASCII.test(session) ? { pod, session } : undefined;
}

/** Strict base64url: the alphabet only, and the canonical encoding (no ignored trailing bits). */
function decodeToken(token: string): Buffer | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || !BASE64URL.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // Node ignores the spare bits of the last character; without this check, two spellings of
  // one token would open, which breaks "every tampered token fails".
  if (bytes.toString('base64url') !== token) return undefined;
  return bytes.length > HEADER_BYTES + TAG_BYTES ? bytes : undefined;
}

export class SessionKeyRing {
  /** Short non-secret key ids (hex of a domain-separated sha256), current first: for logs and metrics. */
  readonly keyIds: readonly string[];
  private readonly keys: readonly RingKey[];

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    const keys = [ringKey(current, 'the current session key'), ...previous.map((k, i) => ringKey(k, `previous session key ${i + 1}`))];
    // A previous key equal to the current one (a rotation applied twice) is harmless: drop it.
    this.keys = keys.filter((k, i) => keys.findIndex((other) => other.key.equals(k.key)) === i);
    this.keyIds = this.keys.map((k) => k.id);
  }

  /** Seals a route for one MCPServer ("namespace/name"). Throws SessionSealError for an unsealable route. */
  seal(route: SealedRoute, context: string): string {
    const { key, idByte } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(idByte, context));
    const sealed = Buffer.concat([Buffer.of(idByte), iv, cipher.update(encodeRoute(route)), cipher.final(), cipher.getAuthTag()]);
    if (sealed.length > MAX_TOKEN_BYTES) throw new SessionSealError(`the upstream session id is too long to seal (${route.session.length} characters)`);
    return sealed.toString('base64url');
  }

  /**
   * Opens a token sealed for `context` by any key of the ring. undefined for tampered, foreign
   * (other server, unknown key), malformed or too long input; never throws on client input.
   */
  open(token: string, context: string): SealedRoute | undefined {
    const bytes = decodeToken(token);
    if (bytes === undefined) return undefined;
    const idByte = bytes[0]!;
    // The id byte picks the key; an 8-bit id can collide, so the other keys are tried after it.
    const ordered = [...this.keys.filter((k) => k.idByte === idByte), ...this.keys.filter((k) => k.idByte !== idByte)];
    for (const { key } of ordered) {
      const plain = decrypt(key, bytes, aad(idByte, context));
      if (plain !== undefined) return decodeRoute(plain);
    }
    return undefined;
  }
}

function decrypt(key: Buffer, bytes: Buffer, additional: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, HEADER_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(additional);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined; // authentication failed: tampered, or another key or context
  }
}
