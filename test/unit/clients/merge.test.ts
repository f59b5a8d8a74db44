// Merging a server into a client's config text: other entries, unknown keys and comments stay;
// text that is not a config object is refused with file:line:col.
import { describe, expect, it } from '@jest/globals';
import { parse } from 'jsonc-parser';
import { mergeEntry, position } from '../../../src/clients/merge.js';
import { ProblemsError } from '../../../src/metadata/problem.js';

const entry = { type: 'http', url: 'http://h/weather/mcp' };
const req = { key: 'servers', name: 'weather', entry };

function problemsOf(fn: () => unknown): ProblemsError['problems'] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemsError);
    return (error as ProblemsError).problems;
  }
  throw new Error('expected a ProblemsError');
}

describe('mergeEntry', () => {
  it('an empty (or missing) file becomes a document with just the entry', () => {
    const out = mergeEntry('mcp.json', '', req);
    expect(JSON.parse(out.text)).toEqual({ servers: { weather: entry } });
    expect(out).toMatchObject({ changed: true, replaced: false });
    expect(out.text.endsWith('\n')).toBe(true);
  });

  it('keeps other servers, unknown keys, comments and trailing commas', () => {
    const original = [
      '{',
      '  // team servers',
      '  "servers": {',
      '    "notes": { "type": "http", "url": "http://h/notes/mcp" }, // keep me',
      '  },',
      '  "x-custom": [1, 2,],',
      '}',
      '',
    ].join('\n');
    const out = mergeEntry('.vscode/mcp.json', original, req);
    expect(out.text).toContain('// team servers');
    expect(out.text).toContain('// keep me');
    expect(parse(out.text, [], { allowTrailingComma: true })).toEqual({
      servers: { notes: { type: 'http', url: 'http://h/notes/mcp' }, weather: entry },
      'x-custom': [1, 2],
    });
    // The new entry goes first; every line of the original is still there, byte for byte.
    expect(out.text).toBe(
      ['{', '  // team servers', '  "servers": {', '    "weather": {', '      "type": "http",', '      "url": "http://h/weather/mcp"', '    },', ...original.split('\n').slice(3)].join('\n'),
    );
  });

  it('replaces an entry of the same name, and reports nothing to do when it is already there', () => {
    const original = '{\n  "servers": {\n    "weather": { "type": "http", "url": "http://old/mcp" }\n  }\n}\n';
    const out = mergeEntry('f', original, req);
    expect(out).toMatchObject({ changed: true, replaced: true });
    expect(JSON.parse(out.text)).toEqual({ servers: { weather: entry } });
    const again = mergeEntry('f', out.text, req);
    expect(again).toEqual({ text: out.text, changed: false, replaced: true });
  });

  it("uses the file's indentation for what it inserts", () => {
    const out = mergeEntry('f', '{\n    "mcpServers": {}\n}\n', { key: 'mcpServers', name: 'weather', entry: { url: 'http://h' } });
    expect(out.text).toContain('\n        "weather": {\n            "url": "http://h"\n        }');
  });

  it('adds an input once, next to existing inputs', () => {
    const input = { type: 'promptString', id: 'weather-token', description: 'd', password: true };
    const first = mergeEntry('f', '{ "inputs": [ { "id": "other" } ] }', { ...req, inputs: [input] });
    expect(JSON.parse(first.text).inputs).toEqual([input, { id: 'other' }]);
    const second = mergeEntry('f', first.text, { ...req, inputs: [input] });
    expect(second.changed).toBe(false);
    expect(JSON.parse(mergeEntry('f', '{}', { ...req, inputs: [input] }).text).inputs).toEqual([input]);
  });

  it('refuses text that does not parse, naming the line and column', () => {
    const broken = '{\n  "servers": {\n    "notes": { "url": "http://h" }\n    "other": {}\n  }\n}\n';
    const problems = problemsOf(() => mergeEntry('/w/.vscode/mcp.json', broken, req));
    expect(problems[0]).toEqual({ file: '/w/.vscode/mcp.json', line: 4, col: 5, path: [], message: '"," is expected' });
  });

  it('refuses a document that is not an object, or whose servers are not an object', () => {
    expect(problemsOf(() => mergeEntry('f', '[]', req))[0]).toMatchObject({ line: 1, col: 1, message: expect.stringContaining('must hold a JSON object') });
    expect(problemsOf(() => mergeEntry('f', '{\n  "servers": []\n}', req))[0]).toMatchObject({ line: 2, col: 14, path: ['servers'] });
    expect(problemsOf(() => mergeEntry('f', '{ "inputs": {} }', { ...req, inputs: [{ id: 'x' }] }))[0]).toMatchObject({ path: ['inputs'] });
  });
});

describe('position', () => {
  it('is 1-based line and column', () => {
    expect(position('ab\ncd', 0)).toEqual({ line: 1, col: 1 });
    expect(position('ab\ncd', 4)).toEqual({ line: 2, col: 2 });
  });
});
