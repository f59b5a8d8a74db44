/**
 * How the verifier names a failed handshake (pure): the reasons the real-server tests in
 * test/integration/operator/verify-endpoint.test.ts cannot easily provoke.
 */
import { describe, expect, it } from '@jest/globals';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { classify } from '../../../src/operator/verify/handshake.js';

const URL = 'http://10.0.0.7:8088/mcp';

describe('classify', () => {
  it('a protocol version the client does not speak is VersionMismatch', () => {
    const outcome = classify(new Error("Server's protocol version is not supported: 1999-01-01"), URL, false, 200);
    expect(outcome).toMatchObject({ reason: 'VersionMismatch', reachable: false, message: expect.stringContaining('1999-01-01') });
  });

  it('an MCP error answer to the handshake is ProtocolError', () => {
    const outcome = classify(new McpError(ErrorCode.MethodNotFound, 'initialize is not a method here'), URL, false, 200);
    expect(outcome).toMatchObject({ reason: 'ProtocolError', message: expect.stringContaining('initialize is not a method here') });
  });

  it('a request timeout from the SDK is Timeout, even without the deadline firing', () => {
    expect(classify(new McpError(ErrorCode.RequestTimeout, 'Request timed out'), URL, false, undefined).reason).toBe('Timeout');
  });

  it('a network error code anywhere in the cause chain is Unreachable, naming it', () => {
    const error = new TypeError('fetch failed', { cause: { code: 'EHOSTUNREACH' } });
    expect(classify(error, URL, false, undefined)).toMatchObject({ reason: 'Unreachable', message: expect.stringContaining('EHOSTUNREACH') });
  });

  it('an HTTP error that is not 401/403 is NotMCP with its status; 401/403 is AuthRequired', () => {
    expect(classify(new StreamableHTTPError(405, 'Method Not Allowed'), URL, false, undefined)).toMatchObject({ reason: 'NotMCP', message: expect.stringContaining('HTTP 405') });
    expect(classify(new StreamableHTTPError(403, 'Forbidden'), URL, false, undefined)).toMatchObject({ reason: 'AuthRequired', reachable: true });
  });
});
