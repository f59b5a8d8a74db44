import { describe, expect, it } from '@jest/globals';
import { pathRewrite, type PathRewrite } from '../../../charts-ts/server/index.js';

describe('pathRewrite: ingressPath → containerPath', () => {
  const cases: [string, string, PathRewrite][] = [
    // 1. equal → nothing
    ['/mcp', '/mcp', { kind: 'none' }],
    ['/mcp/', '/mcp', { kind: 'none' }],
    ['/', '/', { kind: 'none' }],
    // 2. ingressPath ends with containerPath → strip the leading part
    ['/weather/mcp', '/mcp', { kind: 'strip', prefix: '/weather' }],
    ['/weather/mcp/', '/mcp', { kind: 'strip', prefix: '/weather' }],
    ['/a/b/mcp', '/mcp', { kind: 'strip', prefix: '/a/b' }],
    ['/team/weather/v1', '/weather/v1', { kind: 'strip', prefix: '/team' }],
    // a container serving / gets the whole public prefix stripped
    ['/weather/mcp', '/', { kind: 'strip', prefix: '/weather/mcp' }],
    // 3. otherwise → replace the prefix
    ['/tools/weather', '/mcp', { kind: 'replace', regex: '^/tools/weather(.*)', replacement: '/mcp$1' }],
    ['/weather/mcpx', '/mcp', { kind: 'replace', regex: '^/weather/mcpx(.*)', replacement: '/mcp$1' }],
    ['/', '/mcp', { kind: 'replace', regex: '^(.*)', replacement: '/mcp$1' }],
    // regex metacharacters in the public path match literally; `$` in the target stays literal
    ['/v1.0/a+b', '/mcp', { kind: 'replace', regex: '^/v1\\.0/a\\+b(.*)', replacement: '/mcp$1' }],
    ['/x', '/a$b', { kind: 'replace', regex: '^/x(.*)', replacement: '/a$$b$1' }],
  ];
  it.each(cases)('%s served at %s', (ingressPath, containerPath, expected) => {
    expect(pathRewrite(ingressPath, containerPath)).toEqual(expected);
  });

  it('the replace regex maps request paths as Traefik would (JS regex as a stand-in for RE2)', () => {
    const rule = pathRewrite('/tools/weather', '/mcp');
    if (rule.kind !== 'replace') throw new Error('expected replace');
    const apply = (path: string) => path.replace(new RegExp(rule.regex), rule.replacement);
    expect(apply('/tools/weather')).toBe('/mcp');
    expect(apply('/tools/weather/sub')).toBe('/mcp/sub');
  });
});
