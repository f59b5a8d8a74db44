/**
 * Writes a built image back into the metadata file (`server build`): sets `image` and
 * `imageTag` of one server, touching nothing else.
 *
 * Why text edits rather than `doc.toString()`: the yaml library keeps comments through
 * parseDocument/setIn/toString, but re-renders everything else (comment spacing, flow
 * collections, folded scalars, sequence indentation, blank lines). A team's file should come
 * back byte-identical apart from the two values. So the document is parsed (parseAllDocuments
 * with source ranges) to find the server and the exact spans to replace or the place to
 * insert, the text is spliced, and the result is parsed again and compared with what
 * `setIn(['servers', i, field], value)` on the original document gives. A mismatch (an exotic
 * layout the splice does not handle) aborts the write with an error: the file is never left
 * half right. The file is replaced atomically (temp file in the same folder + rename), keeping
 * its mode.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, stringify, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export interface ImageFields {
  readonly image: string;
  readonly imageTag?: string;
}

export interface ServerLocator {
  /** The server's name (authoritative: indices are only a hint, the file may have changed). */
  readonly name: string;
  readonly document?: number;
  readonly index?: number;
}

export class WriteBackError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'WriteBackError';
  }
}

interface Located {
  readonly document: number;
  readonly index: number;
  readonly map: YAMLMap;
}

function locate(docs: Document.Parsed[], file: string, at: ServerLocator): Located {
  const hits: Located[] = [];
  docs.forEach((doc, d) => {
    const servers = doc.get('servers', true);
    if (!isSeq(servers)) return;
    servers.items.forEach((item, i) => {
      if (isMap(item) && item.get('name') === at.name) hits.push({ document: d, index: i, map: item });
    });
  });
  if (hits.length === 0) throw new WriteBackError(file, `no server named "${at.name}" (was the file changed?)`);
  if (hits.length > 1) {
    const hinted = hits.find((h) => h.document === at.document && h.index === at.index);
    if (hinted !== undefined) return hinted;
    throw new WriteBackError(file, `server "${at.name}" is defined ${hits.length} times`);
  }
  return hits[0]!;
}

/** A YAML scalar for `value` on one line: plain when that reads back as the same string, quoted otherwise. */
function scalarText(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The edit that sets `key` to `value` in `map`, or undefined when this layout is not handled. */
function editFor(source: string, map: YAMLMap, key: string, value: string): Edit | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node | null> | undefined;
  if (pair !== undefined) {
    const node = pair.value;
    // Replace an existing non-empty scalar in place; its comment and everything around stay.
    if (isScalar(node) && node.range !== undefined && node.range !== null && node.range[1] > node.range[0]) {
      // Keep the author's quoting style.
      const text =
        node.type === 'QUOTE_DOUBLE' ? JSON.stringify(value) : node.type === 'QUOTE_SINGLE' ? `'${value.replace(/'/g, "''")}'` : scalarText(value);
      return { start: node.range[0], end: node.range[1], text };
    }
    return undefined;
  }
  const last = map.items.at(-1);
  if (!isPair(last) || map.range === undefined || map.range === null) return undefined;
  const firstKey = (map.items[0] as Pair<Node, unknown>).key;
  if (firstKey?.range === undefined || firstKey.range === null) return undefined;
  const lastNode = (last.value ?? last.key) as Node | null;
  if (lastNode?.range === undefined || lastNode.range === null) return undefined;
  if (map.flow === true) {
    // `{name: a, port: 1}` → `{name: a, port: 1, image: x}`: insert before the closing brace.
    const close = source.lastIndexOf('}', map.range[1]);
    if (close < lastNode.range[1]) return undefined;
    return { start: lastNode.range[1], end: lastNode.range[1], text: `, ${key}: ${scalarText(value)}` };
  }
  // Block map: a new line after the last entry (after its trailing comment), at the keys' indentation.
  const keyOffset = firstKey.range[0];
  const indent = keyOffset - lineStart(source, keyOffset);
  const valueEnd = lastNode.range[1];
  let insertAt: number;
  if (source[valueEnd - 1] === '\n') insertAt = valueEnd;
  else {
    const nl = source.indexOf('\n', valueEnd);
    insertAt = nl < 0 ? source.length : nl + 1;
  }
  const prefix = insertAt === source.length && !source.endsWith('\n') ? '\n' : '';
  return { start: insertAt, end: insertAt, text: `${prefix}${' '.repeat(indent)}${key}: ${scalarText(value)}\n` };
}

/** The new text of a metadata file with the server's image fields set. Pure; throws WriteBackError. */
export function writeBackText(file: string, source: string, at: ServerLocator, fields: ImageFields): string {
  const docs = parseAllDocuments(source, { keepSourceTokens: false });
  if (!Array.isArray(docs)) throw new WriteBackError(file, 'empty file');
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken !== undefined) throw new WriteBackError(file, `YAML error: ${broken.errors[0]!.message.split('\n')[0]}`);
  const target = locate(docs, file, at);

  const wanted: [string, string][] = [['image', fields.image]];
  if (fields.imageTag !== undefined) wanted.push(['imageTag', fields.imageTag]);
  // Apply edits from the end of the file backwards so earlier offsets stay valid.
  const edits: Edit[] = [];
  const pending: [string, string][] = [];
  for (const [key, value] of wanted) {
    const exists = target.map.items.some((p) => isScalar(p.key) && p.key.value === key);
    if (exists) {
      const edit = editFor(source, target.map, key, value);
      if (edit === undefined) throw new WriteBackError(file, `cannot update servers[${target.index}].${key} in place (not a plain value); edit it by hand`);
      edits.push(edit);
    } else pending.push([key, value]);
  }
  if (pending.length > 0) {
    const [first] = pending;
    const edit = editFor(source, target.map, first![0], first![1]);
    if (edit === undefined) throw new WriteBackError(file, `cannot add fields to servers[${target.index}] in this layout; add image/imageTag by hand`);
    // Several new keys go in one insertion, in order.
    const extra = pending.slice(1).map(([k, v]) =>
      target.map.flow === true ? `, ${k}: ${scalarText(v)}` : edit.text.replace(/^(\n?)( *)\S.*\n$/s, `$2${k}: ${scalarText(v)}\n`),
    );
    edits.push({ ...edit, text: edit.text + extra.join('') });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);

  // Prove the splice did exactly what setIn describes, and nothing else.
  const expected = docs.map((d) => d.toJS());
  const reference = parseAllDocuments(source)[target.document] as Document.Parsed;
  for (const [key, value] of wanted) reference.setIn(['servers', target.index, key], value);
  expected[target.document] = reference.toJS();
  const reparsed = parseAllDocuments(out);
  const actual = Array.isArray(reparsed) ? reparsed.map((d) => (d.errors.length > 0 ? { __error: d.errors[0]!.message } : d.toJS())) : [];
  if (!isDeepStrictEqual(actual, expected)) {
    throw new WriteBackError(file, `could not update servers[${target.index}] ("${at.name}") without changing other content; set image: ${fields.image}${fields.imageTag === undefined ? '' : ` and imageTag: ${fields.imageTag}`} by hand`);
  }
  return out;
}

/** Updates the file in place, atomically. Returns false when nothing changed. */
export async function writeBackImage(file: string, at: ServerLocator, fields: ImageFields): Promise<boolean> {
  const source = await readFile(file, 'utf8');
  const updated = writeBackText(file, source, at, fields);
  if (updated === source) return false;
  const mode = (await stat(file)).mode & 0o7777;
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, updated, { mode });
    await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  return true;
}
