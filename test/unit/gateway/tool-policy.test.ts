import { describe, expect, it } from '@jest/globals';
import { defaultSpec } from '../../../src/api/v1alpha1/index.js';
import { filterToolsListBody, isOpenPolicy, toolAllowed } from '../../../src/gateway/tool-policy.js';

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
