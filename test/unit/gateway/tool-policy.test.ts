import { describe, expect, it } from '@jest/globals';
import { defaultSpec } from '../../../src/api/v1alpha1/index.js';
import { filterToolsListBody, isOpenPolicy, policyFor, toolAllowed } from '../../../src/gateway/tool-policy.js';

const list = (id: number, names: string[]) => ({ jsonrpc: '2.0', id, result: { tools: names.map((name) => ({ name, inputSchema: { type: 'object' } })), nextCursor: 'c' } });
const names = (message: unknown) => (message as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);

describe('spec.tools', () => {
  it('allows what no deny pattern matches and, with an allow list, what an allow pattern matches', () => {
    const policy = { allow: ['get_*', 'convert_temperature'], deny: ['get_secret'] };
    expect(toolAllowed(policy, 'get_forecast')).toBe(true);
    expect(toolAllowed(policy, 'convert_temperature')).toBe(true);
    expect(toolAllowed(policy, 'get_secret')).toBe(false);
    expect(toolAllowed(policy, 'delete_all')).toBe(false);
    expect(toolAllowed(policy, undefined)).toBe(false);
    expect(toolAllowed({ deny: ['*'] }, 'x')).toBe(false);
    expect(toolAllowed({ deny: ['rm_*'] }, 'rm_rf')).toBe(false);
    expect(toolAllowed({ deny: ['rm_*'] }, 'ls')).toBe(true);
    expect(toolAllowed(undefined, 'anything')).toBe(true);
    expect(isOpenPolicy({ deny: [] })).toBe(true);
    expect(isOpenPolicy({ allow: [] })).toBe(false);
  });

  it('is validated by the API: names or prefixes ending in *', () => {
    expect(() => defaultSpec({ image: 'a', tools: { deny: ['get forecast'] } })).toThrow(/tool name/);
    expect(() => defaultSpec({ image: 'a', tools: { deny: ['*x'] } })).toThrow(/tool name/);
    expect(defaultSpec({ image: 'a', tools: { allow: ['ns/tool.v2', 'get_*', '*'] } }).tools?.allow).toHaveLength(3);
  });

  it('filters a JSON answer, a batch and an SSE stream, leaving everything else as it was', () => {
    const policy = { deny: ['b'] };
    expect(names(JSON.parse(filterToolsListBody('application/json', JSON.stringify(list(1, ['a', 'b', 'c'])), policy)!))).toEqual(['a', 'c']);
    const batch = JSON.parse(filterToolsListBody('application/json', JSON.stringify([list(1, ['b']), { jsonrpc: '2.0', id: 2, result: {} }]), policy)!) as unknown[];
    expect(names(batch[0])).toEqual([]);
    expect(batch[1]).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    const sse = `event: message\nid: 7\ndata: ${JSON.stringify(list(3, ['a', 'b']))}\n\n`;
    const filtered = filterToolsListBody('text/event-stream', sse, policy)!;
    expect(filtered).toContain('event: message\nid: 7\ndata: ');
    expect(names(JSON.parse(/data: (.*)/.exec(filtered)![1]!))).toEqual(['a']);
    expect(JSON.parse(/data: (.*)/.exec(filtered)![1]!).result.nextCursor).toBe('c');
    expect(filterToolsListBody('application/json', '{not json', policy)).toBeUndefined();
  });
});

describe('spec.tools.callers', () => {
  const policy = {
    deny: ['admin_*'],
    callers: [
      { claim: 'groups', values: ['ops'], allow: ['*'] },
      { claim: 'scope', values: ['read-only'], allow: ['get_*'] },
      { claim: 'client_id', values: ['bot'], deny: ['*'] },
    ],
  };

  it('gives the first matching rule its own lists, everyone else the server-wide ones', () => {
    expect(policyFor(policy, { groups: ['dev', 'ops'], client_id: 'bot' })).toEqual({ allow: ['*'] });
    expect(policyFor(policy, { scope: 'mcp:tools read-only' })).toEqual({ allow: ['get_*'] });
    expect(policyFor(policy, { client_id: 'bot' })).toEqual({ deny: ['*'] });
    // A scope word must match whole; an unrelated claim or no token gets the server-wide lists.
    expect(policyFor(policy, { scope: 'read-only-ish' })).toEqual({ deny: ['admin_*'] });
    expect(policyFor(policy, { groups: 'ops-team' })).toEqual({ deny: ['admin_*'] });
    expect(policyFor(policy, undefined)).toEqual({ deny: ['admin_*'] });
  });

  it('decides per caller', () => {
    expect(toolAllowed(policyFor(policy, { groups: ['ops'] }), 'admin_reset')).toBe(true);
    expect(toolAllowed(policyFor(policy, {}), 'admin_reset')).toBe(false);
    expect(toolAllowed(policyFor(policy, { scope: 'read-only' }), 'set_thing')).toBe(false);
    expect(toolAllowed(policyFor(policy, { client_id: 'bot' }), 'get_thing')).toBe(false);
  });

  it('counts as a policy even without server-wide lists, and is validated by the API', () => {
    expect(isOpenPolicy({ callers: [{ claim: 'sub', values: ['a'], deny: ['x'] }] })).toBe(false);
    const spec = (tools: unknown) => () => defaultSpec({ image: 'a:1', tools });
    expect(spec({ callers: [{ claim: 'groups', values: ['ops'], allow: ['get_*'] }] })).not.toThrow();
    expect(spec({ callers: [{ claim: 'has space', values: ['ops'] }] })).toThrow(/claim/);
    expect(spec({ callers: [{ claim: 'groups', values: [] }] })).toThrow();
    expect(spec({ callers: [{ claim: 'groups', values: ['ops'], allow: ['bad name'] }] })).toThrow();
  });
});
