/**
 * The bearer side of HTTP (RFC 6750) as the gateway speaks it: reading the credential a request
 * presents and writing the `WWW-Authenticate` challenge MCP clients follow (with the RFC 9728
 * `resource_metadata` URL). Pure: no I/O, no token verification.
 */

/** What a request presents. */
export type PresentedCredential =
  | { readonly kind: 'none' }
  /** Another scheme (Basic, …): treated like no credential (RFC 6750 §3.1), never forwarded as ours. */
  | { readonly kind: 'other-scheme' }
  | { readonly kind: 'bearer'; readonly token: string }
  /** Malformed: 400 invalid_request. `reason` is safe to show (never contains the credential). */
  | { readonly kind: 'malformed'; readonly reason: string };

/** RFC 6750 §2.1 b64token (token68). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Far above any real JWT; refuses header abuse before any parsing. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * The credential in `rawHeaders` (every Authorization header, as received: a second one is
 * refused rather than silently ignored) and the request's query (tokens in URLs are refused:
 * MCP forbids them, they end up in logs).
 */
export function presentedCredential(rawHeaders: readonly string[], url: string | undefined): PresentedCredential {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'authorization') values.push(rawHeaders[i + 1]!);
  if (url !== undefined && /[?&]access_token=/.test(url)) return { kind: 'malformed', reason: 'access tokens are not accepted in the URL query; send Authorization: Bearer' };
  if (values.length === 0) return { kind: 'none' };
  if (values.length > 1) return { kind: 'malformed', reason: 'more than one Authorization header' };
  const value = values[0]!.trim();
  const space = value.indexOf(' ');
  const scheme = space < 0 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') return value === '' ? { kind: 'malformed', reason: 'empty Authorization header' } : { kind: 'other-scheme' };
  const token = space < 0 ? '' : value.slice(space + 1).trim();
  if (token === '') return { kind: 'malformed', reason: 'Bearer without a token' };
  if (token.length > MAX_TOKEN_LENGTH) return { kind: 'malformed', reason: `bearer token longer than ${MAX_TOKEN_LENGTH} characters` };
  if (!TOKEN68.test(token)) return { kind: 'malformed', reason: 'bearer token with characters outside RFC 6750 b64token (one token, no spaces)' };
  return { kind: 'bearer', token };
}

export interface Challenge {
  /** RFC 9728 metadata URL of the resource. */
  readonly resourceMetadata: string;
  /** Scopes the resource needs (space-separated in the header). */
  readonly scopes?: readonly string[];
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  readonly description?: string;
}

/** A quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped, control characters dropped. */
function quoted(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\x00-\x1f\x7f]/g, '').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The WWW-Authenticate value of a 401 or 403. */
export function wwwAuthenticate(challenge: Challenge): string {
  const params = [`resource_metadata=${quoted(challenge.resourceMetadata)}`];
  if (challenge.scopes !== undefined && challenge.scopes.length > 0) params.push(`scope=${quoted(challenge.scopes.join(' '))}`);
  if (challenge.error !== undefined) params.push(`error=${quoted(challenge.error)}`);
  if (challenge.description !== undefined) params.push(`error_description=${quoted(challenge.description)}`);
  return `Bearer ${params.join(', ')}`;
}

/** The scopes a JWT access token grants: `scope` (RFC 9068, space-separated) or `scp` (an array, as some providers write it). */
export function grantedScopes(claims: Readonly<Record<string, unknown>>): Set<string> {
  const out = new Set<string>();
  if (typeof claims.scope === 'string') for (const s of claims.scope.split(' ')) if (s !== '') out.add(s);
  if (Array.isArray(claims.scp)) {
    for (const s of claims.scp) if (typeof s === 'string' && s !== '') out.add(s);
  } else if (typeof claims.scp === 'string') {
    for (const s of claims.scp.split(' ')) if (s !== '') out.add(s);
  }
  return out;
}

/** The required scopes the token lacks (empty: enough). */
export function missingScopes(required: readonly string[] | undefined, claims: Readonly<Record<string, unknown>>): string[] {
  if (required === undefined || required.length === 0) return [];
  const granted = grantedScopes(claims);
  return required.filter((s) => !granted.has(s));
}
