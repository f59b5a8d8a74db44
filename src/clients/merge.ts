/**
 * Merges one server entry into a client's MCP config file text. Pure. The file is JSON with
 * comments and trailing commas (VS Code's mcp.json is JSONC; Cursor's is read the same way),
 * so it is parsed and edited with jsonc-parser, Microsoft's own JSONC library: the edit
 * touches only the entry's text, and every other entry, unknown key, comment and the file's
 * formatting stay as they were. A file that does not parse is refused, never rewritten.
 */
import { applyEdits, modify, parseTree, printParseErrorCode, type FormattingOptions, type Node, type ParseError } from 'jsonc-parser';
import { ProblemsError, type Problem } from '../metadata/problem.js';

export interface MergeRequest {
  /** The object holding the servers: `servers` (VS Code), `mcpServers` (Cursor). */
  readonly key: string;
  readonly name: string;
  readonly entry: Record<string, unknown>;
  /** VS Code inputs the entry refers to (`${input:id}`), added unless an input with that id exists. */
  readonly inputs?: readonly { id: string }[];
}

export interface MergeResult {
  readonly text: string;
  /** False when the file already had exactly this entry (and inputs): nothing to write. */
  readonly changed: boolean;
  /** True when an entry of that name was there and was replaced. */
  readonly replaced: boolean;
}

/** 1-based line and column of an offset. */
export function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

const PARSE_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name (in double quotes) is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: '":" is expected',
  CommaExpected: '"," is expected',
  CloseBraceExpected: '"}" is expected',
  CloseBracketExpected: '"]" is expected',
  EndOfFileExpected: 'end of file expected (more than one top-level value)',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

function refuse(file: string, text: string, problems: { offset: number; path: (string | number)[]; message: string }[]): never {
  const located: Problem[] = problems.map((p) => ({ file, ...position(text, p.offset), path: p.path, message: p.message }));
  throw new ProblemsError(`${file} is not valid JSON (comments and trailing commas allowed); it was not changed`, located);
}

function child(node: Node, key: string): Node | undefined {
  const property = node.children?.find((p) => p.children?.[0]?.value === key);
  return property?.children?.[1];
}

/** Formatting of inserted text: the file's indentation (2 spaces when it has none) and line ends. */
function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent?.length ?? 2, eol };
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function valueOf(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((p) => [p.children![0]!.value as string, valueOf(p.children![1]!)]));
    case 'array':
      return (node.children ?? []).map(valueOf);
    default:
      return node.value;
  }
}

/** The file text with `request.entry` at `<key>.<name>`; throws ProblemsError (file:line:col) when the text is not a config object. */
export function mergeEntry(file: string, original: string, request: MergeRequest): MergeResult {
  const text = original.trim() === '' ? '{}\n' : original;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0) {
    refuse(file, text, errors.map((e) => ({ offset: e.offset, path: [], message: PARSE_MESSAGES[printParseErrorCode(e.error)] ?? printParseErrorCode(e.error) })));
  }
  if (root === undefined || root.type !== 'object') {
    refuse(file, text, [{ offset: root?.offset ?? 0, path: [], message: `the file must hold a JSON object (with "${request.key}"), not ${root?.type ?? 'nothing'}` }]);
  }
  const servers = child(root, request.key);
  if (servers !== undefined && servers.type !== 'object') {
    refuse(file, text, [{ offset: servers.offset, path: [request.key], message: `must be an object of servers by name, not ${servers.type}` }]);
  }
  const inputs = child(root, 'inputs');
  if (request.inputs !== undefined && request.inputs.length > 0 && inputs !== undefined && inputs.type !== 'array') {
    refuse(file, text, [{ offset: inputs.offset, path: ['inputs'], message: `must be an array of input definitions, not ${inputs.type}` }]);
  }

  const formattingOptions = formattingOf(text);
  const existing = servers === undefined ? undefined : child(servers, request.name);
  let out = text;
  if (existing === undefined || !deepEqual(valueOf(existing), request.entry)) {
    // A new entry goes first: jsonc-parser re-formats the line of the property it is appended
    // after, so inserting at the end would rewrite the user's last entry; inserting first leaves
    // every existing entry's text exactly as it was.
    out = applyEdits(out, modify(out, [request.key, request.name], request.entry, { formattingOptions, getInsertionIndex: () => 0 }));
  }
  const presentIds = new Set(
    (inputs?.type === 'array' ? (inputs.children ?? []) : []).map((n) => (n.type === 'object' ? child(n, 'id')?.value : undefined)).filter((id) => typeof id === 'string'),
  );
  let hasInputs = inputs !== undefined;
  for (const input of request.inputs ?? []) {
    if (presentIds.has(input.id)) continue;
    // First in the list, for the same reason as the entry.
    out = hasInputs
      ? applyEdits(out, modify(out, ['inputs', 0], input, { formattingOptions, isArrayInsertion: true }))
      : applyEdits(out, modify(out, ['inputs'], [input], { formattingOptions }));
    hasInputs = true;
    presentIds.add(input.id);
  }
  // An empty file becomes a whole document; keep a final newline like editors do.
  if (original.trim() === '' && !out.endsWith('\n')) out += '\n';
  return { text: out, changed: out !== original, replaced: existing !== undefined };
}
