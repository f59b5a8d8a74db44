import { describe, expect, it } from '@jest/globals';
import { headerValue, inspectPost, protocolEra } from '../../../src/gateway/mcp-message.js';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const OLD = { 'mcp-protocol-version': '2025-06-18' };
const call = (id: unknown, name: unknown, args?: unknown): Buffer =>
  json({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, ...(args !== undefined && { arguments: args }) } });

describe('inspectPost: bodies of the session era', () => {
  it('reads a tools/call request: method, tool, id, arguments', () => {
    const c = inspectPost(OLD, call(7, 'add', { a: 1, b: 2 }));
    expect(c).toMatchObject({ kind: 'request', method: 'tools/call', tool: 'add', id: 7, era: 'sessions' });
    expect(c.arguments).toEqual({ a: 1, b: 2 });
  });

  it('keeps string ids as strings (1 and "1" are different requests)', () => {
    expect(inspectPost(OLD, call('1', 'add')).id).toBe('1');
    expect(inspectPost(OLD, call(1, 'add')).id).toBe(1);
  });

  it('never lets the arguments out through a spread or JSON.stringify', () => {
    const c = inspectPost(OLD, call(1, 'login', { password: 'hunter2' }));
    expect(JSON.stringify(c)).not.toContain('hunter2');
    expect({ ...c }).not.toHaveProperty('arguments');
    expect(c.arguments).toEqual({ password: 'hunter2' });
  });

  it('tells requests, notifications and responses apart', () => {
    expect(inspectPost({}, json({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} }))).toMatchObject({ kind: 'request', method: 'initialize', id: 0 });
    const note = inspectPost({}, json({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    expect(note).toMatchObject({ kind: 'notification', method: 'notifications/initialized' });
    expect(note.id).toBeUndefined();
    const response = inspectPost({}, json({ jsonrpc: '2.0', id: 'srv-1', result: { roots: [] } }));
    expect(response).toMatchObject({ kind: 'response', id: 'srv-1' });
    expect(response.method).toBeUndefined();
    expect(inspectPost({}, json({ jsonrpc: '2.0', id: 3, error: { code: -1, message: 'no' } })).kind).toBe('response');
  });

  it('has no tool or arguments for methods other than tools/call', () => {
    const c = inspectPost({}, json({ jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'greet', arguments: { x: 1 } } }));
    expect(c).toMatchObject({ kind: 'request', method: 'prompts/get' });
    expect(c.tool).toBeUndefined();
    expect(c.arguments).toBeUndefined();
  });

  it('reads a batch: kind batch, the first element’s method and tool', () => {
    const body = json([
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'add' } },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]);
    const c = inspectPost(OLD, body);
    expect(c).toMatchObject({ kind: 'batch', method: 'tools/call', tool: 'add', era: 'sessions' });
    expect(c.id).toBeUndefined();
    expect(inspectPost({}, json([42, { jsonrpc: '2.0', method: 'ping', id: 1 }]))).toEqual({ kind: 'batch', era: 'sessions' });
    expect(inspectPost({}, json([])).kind).toBe('invalid');
  });

  it('calls malformed JSON, non-objects and non-JSON-RPC objects invalid, without throwing', () => {
    const bodies: (Buffer | undefined)[] = [
      undefined,
      Buffer.alloc(0),
      Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/call"'),
      Buffer.from('\u0000\xff\xfe garbage'),
      json(null),
      json(42),
      json('tools/call'),
      json(true),
      json({}),
      json({ id: 1, method: 'tools/call' }), // no jsonrpc
      json({ jsonrpc: '1.0', id: 1, method: 'x' }),
      json({ jsonrpc: '2.0', id: 1 }), // neither method nor result
      json({ jsonrpc: '2.0', id: 1, method: 42 }),
    ];
    for (const body of bodies) expect(inspectPost({}, body)).toEqual({ kind: 'invalid', era: 'sessions' });
  });

  it('calls requests with ids JSON-RPC does not allow invalid, and survives odd params', () => {
    for (const id of [null, { a: 1 }, [1], true]) expect(inspectPost({}, call(id, 'add')).kind).toBe('invalid');
    // params.name that is not a string: a request without a tool.
    for (const name of [42, null, { x: 1 }, ['add']]) {
      const c = inspectPost({}, call(1, name));
      expect(c.kind).toBe('request');
      expect(c.tool).toBeUndefined();
    }
    for (const params of [null, 'x', [1, 2], 7]) {
      expect(inspectPost({}, json({ jsonrpc: '2.0', id: 1, method: 'tools/call', params })).kind).toBe('request');
    }
  });

  it('handles huge and odd values', () => {
    const longName = 'n'.repeat(100_000);
    expect(inspectPost({}, call(1, longName)).tool).toBe(longName);
    expect(inspectPost({}, call(1e308, 'add')).id).toBe(1e308);
    expect(inspectPost({}, call(-0.5, 'add')).id).toBe(-0.5);
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    expect(() => inspectPost({}, Buffer.from(deep))).not.toThrow();
    const big = inspectPost({}, call(1, 'upload', { blob: 'x'.repeat(5_000_000) }));
    expect(big.tool).toBe('upload');
    // A __proto__ key is data, not a prototype.
    const proto = inspectPost({}, Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"__proto__":{"name":"evil"},"name":"ok"}}'));
    expect(proto.tool).toBe('ok');
  });
});

describe('inspectPost: 2026-07-28 routing headers', () => {
  const headers = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'add' };

  it('trusts Mcp-Method and Mcp-Name for method and tool', () => {
    expect(inspectPost(headers, call(5, 'add', { a: 1 }))).toMatchObject({ kind: 'request', method: 'tools/call', tool: 'add', era: 'stateless' });
  });

  it('does not parse the body for method and tool: a garbage body still gives them', () => {
    const c = inspectPost(headers, Buffer.from('not json at all'));
    expect(c).toMatchObject({ kind: 'request', method: 'tools/call', tool: 'add', era: 'stateless' });
    expect(c.id).toBeUndefined();
  });

  it('parses the body lazily, once, when id or arguments are read', () => {
    let reads = 0;
    const body = call(9, 'add', { a: 1 });
    const original = body.toString.bind(body);
    body.toString = ((...args: Parameters<Buffer['toString']>) => {
      reads += 1;
      return original(...args);
    }) as Buffer['toString'];
    const c = inspectPost(headers, body);
    expect(c.method).toBe('tools/call');
    expect(reads).toBe(0);
    expect(c.id).toBe(9);
    expect(c.arguments).toEqual({ a: 1 });
    expect(c.id).toBe(9);
    expect(reads).toBe(1);
  });

  it('takes header names case-insensitively and the first of repeated values', () => {
    const c = inspectPost({ 'Mcp-Method': ['tools/call', 'x'], 'MCP-NAME': 'echo', 'Mcp-Protocol-Version': '2026-07-28' }, undefined);
    expect(c).toMatchObject({ kind: 'request', method: 'tools/call', tool: 'echo', era: 'stateless' });
  });

  it('uses Mcp-Name as the tool only for tools/call', () => {
    const c = inspectPost({ 'mcp-method': 'prompts/get', 'mcp-name': 'greet' }, undefined);
    expect(c).toMatchObject({ kind: 'request', method: 'prompts/get' });
    expect(c.tool).toBeUndefined();
  });

  it('calls notifications/* notifications', () => {
    expect(inspectPost({ 'mcp-method': 'notifications/cancelled' }, undefined).kind).toBe('notification');
  });

  it('ignores an empty Mcp-Method and reads the body instead', () => {
    expect(inspectPost({ 'mcp-method': ' ', 'mcp-name': 'x' }, call(1, 'add'))).toMatchObject({ method: 'tools/call', tool: 'add', era: 'sessions' });
  });
});

describe('protocolEra', () => {
  it('is stateless with Mcp-Method or a version from 2026-07-28 on, else sessions', () => {
    expect(protocolEra({})).toBe('sessions');
    expect(protocolEra({ 'mcp-protocol-version': '2025-11-25' })).toBe('sessions');
    expect(protocolEra({ 'mcp-protocol-version': '2026-07-28' })).toBe('stateless');
    expect(protocolEra({ 'mcp-protocol-version': '2027-01-01' })).toBe('stateless');
    expect(protocolEra({ 'mcp-protocol-version': 'zzzz' })).toBe('sessions');
    expect(protocolEra({ 'mcp-protocol-version': '2026-07-28-draft' })).toBe('sessions');
    expect(protocolEra({ 'mcp-method': 'tools/list', 'mcp-protocol-version': '2025-06-18' })).toBe('stateless');
  });
});

describe('headerValue', () => {
  it('finds a header whatever its case, trims it, and skips empty or absent values', () => {
    expect(headerValue({ 'X-A': ' v ' }, 'x-a')).toBe('v');
    expect(headerValue({ 'x-a': [] }, 'X-A')).toBeUndefined();
    expect(headerValue({ 'x-a': undefined }, 'x-a')).toBeUndefined();
    expect(headerValue({}, 'x-a')).toBeUndefined();
  });
});
