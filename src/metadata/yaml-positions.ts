/** Maps a path inside a parsed YAML document to the line and column a person should look at. */
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

function child(node: Node, key: string | number): { value?: Node; key?: Node } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    if (pair === undefined) return undefined;
    return {
      key: isNode(pair.key) ? pair.key : undefined,
      value: isNode(pair.value) ? pair.value : undefined,
    };
  }
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    return isNode(item) ? { value: item } : undefined;
  }
  return undefined;
}

/**
 * The node at `path`, or the deepest existing ancestor when the path ends at a missing field
 * (a missing required field is reported where its parent is). `preferKey` points at the key of
 * the last step instead of its value (for unknown fields).
 */
export function positionOf(
  doc: Document,
  counter: LineCounter,
  path: readonly (string | number)[],
  preferKey = false,
): Position {
  let node: Node | undefined = isNode(doc.contents) ? doc.contents : undefined;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length && node !== undefined; i++) {
    const step = child(node, path[i] as string | number);
    if (step === undefined) break;
    const isLast = i === path.length - 1;
    const target = isLast && preferKey && step.key !== undefined ? step.key : (step.value ?? step.key);
    if (target?.range !== undefined && target.range !== null) offset = target.range[0];
    node = step.value;
  }
  const { line, col } = counter.linePos(offset);
  return { line, col };
}
