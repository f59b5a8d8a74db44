/**
 * How the verifier names a failed handshake (pure): the reasons the real-server tests in
 * test/integration/operator/verify-endpoint.test.ts cannot easily provoke. The errors are the
 * SDK client's own classes (v2, `@modelcontextprotocol/client`), as the handshake meets them.
 */
import { describe, expect, it } from '@jest/globals';
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError, UnsupportedProtocolVersionError } from '@modelcontextprotocol/client';
import { classify } from '../../../src/operator/verify/handshake.js';

const URL = 'http://10.0.0.7:8088/mcp';

describe('classify', () => {
  it('a protocol version the client does not speak is VersionMismatch', () => {
    const error = new UnsupportedProtocolVersionError({ supported: ['1999-01-01'], requested: '2025-11-25' });
    expect(classify(error, URL, false, 400)).toMatchObject({ reason: 'VersionMismatch', reachable: false });
    expect(classify(new Error("Server's protocol version is not supported: 1999-01-01"), URL, false, 200)).toMatchObject({
      reason: 'VersionMismatch',
      message: expect.stringContaining('1999-01-01'),
    });
  });

  it('an MCP error answer to the handshake is ProtocolError', () => {
    const outcome = classify(new ProtocolError(-32601, 'initialize is not a method here'), URL, false, 200);
    expect(outcome).toMatchObject({ reason: 'ProtocolError', message: expect.stringContaining('initialize is not a method here') });
  });

  it('a request timeout from the SDK is Timeout, even without the deadline firing', () => {
    expect(classify(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), URL, false, undefined).reason).toBe('Timeout');
  });

  it('a network error code anywhere in the cause chain, or in the negotiation probe\'s message, is Unreachable', () => {
    const error = new TypeError('fetch failed', { cause: { code: 'EHOSTUNREACH' } });
    expect(classify(error, URL, false, undefined)).toMatchObject({ reason: 'Unreachable', message: expect.stringContaining('EHOSTUNREACH') });
    const probe = new SdkError(SdkErrorCode.EraNegotiationFailed, 'Version negotiation probe failed: fetch failed ECONNREFUSED');
    expect(classify(probe, URL, false, undefined)).toMatchObject({ reason: 'Unreachable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('an HTTP error that is not 401/403 is NotMCP with its status; 401/403 is AuthRequired', () => {
    const notFound = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing to endpoint: not found', { status: 404 });
    expect(classify(notFound, URL, false, undefined)).toMatchObject({ reason: 'NotMCP', message: expect.stringContaining('HTTP 404') });
    const forbidden = new SdkHttpError(SdkErrorCode.ClientHttpForbidden, 'Forbidden', { status: 403 });
    expect(classify(forbidden, URL, false, undefined)).toMatchObject({ reason: 'AuthRequired', reachable: true, message: expect.stringContaining('403') });
  });
});
