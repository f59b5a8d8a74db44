/**
 * What every loader of user YAML needs, in one place: listing a folder's YAML files, parsing
 * every document with positions, and turning YAML syntax errors and zod issues into
 * `file:LINE:COL field.path: message` problems. Used by the metadata loader and by
 * `pipeline deploy`'s manifest loader.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { z } from 'zod';
import { fsReason } from './fs-errors.js';
import { ProblemsError, type Problem } from './problem.js';
import { positionOf } from './yaml-positions.js';

const YAML_FILE = /\.ya?ml$/;

/** The `*.yaml` / `*.yml` files of a folder in name order (a file path is returned as is). */
export async function listYamlFiles(dirOrFile: string, what: string): Promise<string[]> {
  let info;
  try {
    info = await stat(dirOrFile);
  } catch (error) {
    throw new ProblemsError(`${what} ${dirOrFile} ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read: ${fsReason(error)}`}.`, []);
  }
  if (!info.isDirectory()) return [dirOrFile];
  let entries;
  try {
    entries = await readdir(dirOrFile, { withFileTypes: true });
  } catch (error) {
    throw new ProblemsError(`${what} ${dirOrFile} cannot be read: ${fsReason(error)}.`, []);
  }
  // Symbolic links are listed too: reading them reports a dangling link or a loop by name.
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && YAML_FILE.test(e.name) && !e.name.startsWith('.'))
    .map((e) => join(dirOrFile, e.name))
    .sort();
}

export interface ParsedDocument {
  readonly doc: Document;
  /** 0-based index of the document in its file. */
  readonly index: number;
}

/** Parses every document; documents with syntax errors are left out and reported instead. */
export function parseYamlDocuments(file: string, text: string): { counter: LineCounter; documents: ParsedDocument[]; count: number; problems: Problem[] } {
  const counter = new LineCounter();
  const docs = Array.from(parseAllDocuments(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true }));
  const problems: Problem[] = [];
  const documents: ParsedDocument[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length === 0) {
      documents.push({ doc, index });
      return;
    }
    for (const error of doc.errors) {
      const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
      // prettyErrors adds "at line L, column C:" and a code excerpt; the position is reported separately.
      const summary = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      problems.push({ file, line: pos.line, col: pos.col, path: [], message: `YAML syntax error: ${summary}` });
    }
  });
  return { counter, documents, count: docs.length, problems };
}

/** Places a zod issue in the document; an unknown field is reported at its key, one per key. */
export function issueProblems(
  file: string,
  doc: Document,
  counter: LineCounter,
  issue: z.core.$ZodIssue,
  prefix: readonly (string | number)[] = [],
): Problem[] {
  const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ file, ...positionOf(doc, counter, [...path, key], true), path: [...path, key], message: 'unknown field' }));
  }
  return [{ file, ...positionOf(doc, counter, path), path, message: issue.message }];
}
