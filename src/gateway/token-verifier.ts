/**
 * Verifies OAuth access tokens (JWT, RFC 9068) for the servers that ask for them. Per issuer: its
 * metadata is discovered once (OpenID discovery, else RFC 8414) and kept for an hour, its signing
 * keys fetched by `jose` and refetched when a token names a key not seen yet (key rotation), with a
 * cool-down so a flood of unknown keys cannot make the gateway hammer the provider.
 *
 * A token is accepted only when its signature verifies with an asymmetric algorithm, `iss` is the
 * configured issuer, `aud` names the server, it has not expired (30 s clock tolerance) and it
 * carries every required scope. Refusals say why in words safe for a client and a log (never the
 * token).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { missingScopes } from './bearer.js';

/** Asymmetric only: `none` and HMAC (a shared secret the gateway does not have) are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface TokenRequirements {
  readonly issuer: string;
  readonly audience: string;
  readonly scopes?: readonly string[];
}

export type Verification =
  | { readonly ok: true; readonly claims: JWTPayload; readonly caller: string }
  /** 401 invalid_token, or 403 insufficient_scope. */
  | { readonly ok: false; readonly error: 'invalid_token' | 'insufficient_scope'; readonly description: string }
  /** The issuer cannot be reached or described itself wrongly: 503, the token may be fine. */
  | { readonly ok: false; readonly error: 'issuer_unavailable'; readonly description: string };

export interface TokenVerifierOptions {
  /** How long discovered metadata is kept (default 1 h). */
  readonly metadataTtlMs?: number;
  /** Least time between two key-set fetches of one issuer (default 30 s; jose's own default). */
  readonly keysCooldownMs?: number;
  /** Allowed clock skew (default 30 s). */
  readonly clockToleranceSeconds?: number;
  /** Per HTTP request to the issuer (default 5 s). */
  readonly timeoutMs?: number;
}

interface IssuerState {
  readonly expires: number;
  readonly keys: Promise<ReturnType<typeof createRemoteJWKSet>>;
}

class IssuerUnavailable extends Error {}

export class TokenVerifier {
  private readonly issuers = new Map<string, IssuerState>();
  private readonly metadataTtlMs: number;
  private readonly keysCooldownMs: number;
  private readonly clockTolerance: number;
  private readonly timeoutMs: number;

  constructor(options: TokenVerifierOptions = {}) {
    this.metadataTtlMs = options.metadataTtlMs ?? 3_600_000;
    this.keysCooldownMs = options.keysCooldownMs ?? 30_000;
    this.clockTolerance = options.clockToleranceSeconds ?? 30;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async verify(token: string, required: TokenRequirements): Promise<Verification> {
    let keys: ReturnType<typeof createRemoteJWKSet>;
    try {
      keys = await this.keysOf(required.issuer);
    } catch (error) {
      return { ok: false, error: 'issuer_unavailable', description: error instanceof IssuerUnavailable ? error.message : 'the authorization server could not be reached' };
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        issuer: required.issuer,
        audience: required.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.clockTolerance,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout) return { ok: false, error: 'issuer_unavailable', description: "the authorization server's keys could not be fetched in time" };
      // Not jose's verdict on the token: the key set could not be fetched or read.
      if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSInvalid) {
        return { ok: false, error: 'issuer_unavailable', description: "the authorization server's keys could not be fetched" };
      }
      return { ok: false, error: 'invalid_token', description: refusal(error) };
    }
    const missing = missingScopes(required.scopes, claims);
    if (missing.length > 0) return { ok: false, error: 'insufficient_scope', description: `the token lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(' ')}` };
    const caller = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : typeof claims.client_id === 'string' ? claims.client_id : 'unknown';
    return { ok: true, claims, caller };
  }

  private keysOf(issuer: string): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const now = Date.now();
    const known = this.issuers.get(issuer);
    if (known !== undefined && known.expires > now) return known.keys;
    const keys = this.discover(issuer);
    this.issuers.set(issuer, { expires: now + this.metadataTtlMs, keys });
    // A failed discovery is retried after a short pause, not kept for the whole TTL.
    keys.catch(() => this.issuers.set(issuer, { expires: Date.now() + 5_000, keys }));
    return keys;
  }

  /** OpenID discovery, else RFC 8414 (path inserted after the well-known prefix). */
  private async discover(issuer: string): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const url = new URL(issuer);
    const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
    const candidates = [`${url.origin}${path}/.well-known/openid-configuration`, `${url.origin}/.well-known/oauth-authorization-server${path}`];
    for (const candidate of candidates) {
      let response: Response;
      try {
        response = await fetch(candidate, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
      } catch {
        throw new IssuerUnavailable(`the authorization server ${issuer} could not be reached`);
      }
      if (response.status === 404) {
        await response.body?.cancel();
        continue;
      }
      if (!response.ok) throw new IssuerUnavailable(`the authorization server ${issuer} answered its metadata request with HTTP ${response.status}`);
      const metadata = (await response.json().catch(() => undefined)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
      // RFC 8414 §3.3: the metadata must name the issuer it was fetched for (mix-up defence).
      if (metadata?.issuer !== issuer) throw new IssuerUnavailable(`the authorization server's metadata names another issuer than ${issuer}`);
      if (typeof metadata.jwks_uri !== 'string') throw new IssuerUnavailable(`the authorization server ${issuer} publishes no jwks_uri`);
      let jwks: URL;
      try {
        jwks = new URL(metadata.jwks_uri);
      } catch {
        throw new IssuerUnavailable(`the authorization server ${issuer} publishes an invalid jwks_uri`);
      }
      if (jwks.protocol !== 'https:' && !(jwks.protocol === 'http:' && url.protocol === 'http:')) throw new IssuerUnavailable(`the jwks_uri of ${issuer} is not https`);
      return createRemoteJWKSet(jwks, { cooldownDuration: this.keysCooldownMs, timeoutDuration: this.timeoutMs });
    }
    throw new IssuerUnavailable(`the authorization server ${issuer} publishes no OpenID or OAuth metadata`);
  }
}

/** Why a token was refused, in words for the client (jose's messages can quote claim values). */
function refusal(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return 'the token was issued by another authorization server';
      case 'aud':
        return 'the token is not meant for this server (audience)';
      case 'nbf':
        return 'the token is not valid yet';
      case 'iat':
        return 'the token was issued in the future';
      case 'exp':
        return 'the token has no expiry';
      default:
        return `the token's ${error.claim} claim is invalid`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm this server does not accept';
  if (error instanceof errors.JWKSNoMatchingKey) return "the token is signed with a key the authorization server does not publish";
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'the token names an ambiguous key';
  return 'the token is not a valid signed JWT';
}
