import { describe, expect, it } from '@jest/globals';
import { grantedScopes, MAX_TOKEN_LENGTH, missingScopes, presentedCredential, wwwAuthenticate } from '../../../src/gateway/bearer.js';

const raw = (...values: string[]) => values.flatMap((v) => ['Authorization', v]);

describe('presentedCredential', () => {
  it.each([
    ['no header', [], '/mcp', { kind: 'none' }],
    ['a bearer token', raw('Bearer abc.def-ghi_jkl~+/='), '/mcp', { kind: 'bearer', token: 'abc.def-ghi_jkl~+/=' }],
    ['a lower-case scheme', raw('bearer abc'), '/mcp', { kind: 'bearer', token: 'abc' }],
    ['Basic credentials', raw('Basic dXNlcjpwYXNz'), '/mcp', { kind: 'other-scheme' }],
    ['a lone word', raw('abc'), '/mcp', { kind: 'other-scheme' }],
  ] as const)('%s', (_, headers, url, expected) => {
    expect(presentedCredential(headers, url)).toEqual(expected);
  });

  it.each([
    ['an empty header', raw(''), '/mcp', 'empty Authorization header'],
    ['Bearer without a token', raw('Bearer'), '/mcp', 'Bearer without a token'],
    ['Bearer and spaces', raw('Bearer    '), '/mcp', 'Bearer without a token'],
    ['two tokens', raw('Bearer a b'), '/mcp', 'b64token'],
    ['a quote in the token', raw('Bearer a"b'), '/mcp', 'b64token'],
    ['a comma in the token', raw('Bearer a,b'), '/mcp', 'b64token'],
    ['two Authorization headers', raw('Bearer a', 'Bearer b'), '/mcp', 'more than one'],
    ['a token in the query', raw('Bearer a'), '/mcp?access_token=x', 'URL query'],
    ['a token only in the query', [], '/mcp?x=1&access_token=x', 'URL query'],
    ['a huge token', raw(`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`), '/mcp', 'longer than'],
  ] as const)('refuses %s', (_, headers, url, reason) => {
    const c = presentedCredential(headers, url);
    expect(c.kind).toBe('malformed');
    expect(c.kind === 'malformed' && c.reason).toContain(reason);
    // The reason never repeats the credential.
    expect(JSON.stringify(c)).not.toMatch(/aaaaaaaa|"b"/);
  });
});

describe('wwwAuthenticate', () => {
  it('points to the metadata and names the scopes', () => {
    expect(wwwAuthenticate({ resourceMetadata: 'https://h/.well-known/oauth-protected-resource/w/mcp', scopes: ['mcp:read', 'mcp:write'] })).toBe(
      'Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/w/mcp", scope="mcp:read mcp:write"',
    );
  });
  it('adds the error and escapes quotes and control characters', () => {
    expect(wwwAuthenticate({ resourceMetadata: 'https://h/x', error: 'invalid_token', description: 'say "no"\\\n' })).toBe(
      'Bearer resource_metadata="https://h/x", error="invalid_token", error_description="say \\"no\\"\\\\"',
    );
  });
});

describe('scopes', () => {
  it('reads scope (a string) and scp (an array or a string)', () => {
    expect([...grantedScopes({ scope: 'a  b' })]).toEqual(['a', 'b']);
    expect([...grantedScopes({ scp: ['a', 'c', 3] })]).toEqual(['a', 'c']);
    expect([...grantedScopes({ scp: 'd e' })]).toEqual(['d', 'e']);
    expect([...grantedScopes({})]).toEqual([]);
  });
  it('lists the required scopes a token lacks', () => {
    expect(missingScopes(['a', 'b'], { scope: 'b c' })).toEqual(['a']);
    expect(missingScopes(['a'], { scope: 'a' })).toEqual([]);
    expect(missingScopes(undefined, {})).toEqual([]);
  });
});
