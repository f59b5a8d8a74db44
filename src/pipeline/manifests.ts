/**
 * Reads a folder of MCPServer manifests (every `*.yaml|*.yml`, multi-document) and validates
 * every document before anything touches a cluster. Problems are reported like the metadata
 * loader's: `file:LINE:COL field.path: message`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, isScalar, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_SERVER_NAMESPACE, MCPServerManifestSchema } from '../api/v1alpha1/index.js';
import { friendlyIssueMessage } from '../metadata/issue-messages.js';
import { ProblemsError, type Problem } from '../metadata/problem.js';
import { positionOf } from '../metadata/yaml-positions.js';
import type { KubeObject } from '../kube/rest.js';

export interface LoadedManifest {
  file: string;
  /** 0-based index of the document in its file. */
  document: number;
  line: number;
  /** The object as written (status dropped, namespace filled in): what gets applied. */
  object: KubeObject & { metadata: { name: string; namespace: string } };
}

const YAML_FILE = /\.ya?ml$/;

async function listFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) throw new ProblemsError(`Manifest folder ${dir} does not exist.`, []);
  if (!info.isDirectory()) return [dir];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && YAML_FILE.test(e.name) && !e.name.startsWith('.'))
    .map((e) => join(dir, e.name))
    .sort();
}

/** Validates the text of one manifest file; never throws on bad input. */
export function parseManifestText(file: string, text: string): { manifests: LoadedManifest[]; problems: Problem[] } {
  const counter = new LineCounter();
  const docs = Array.from(parseAllDocuments(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true }));
  const manifests: LoadedManifest[] = [];
  const problems: Problem[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
        const summary = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        problems.push({ file, line: pos.line, col: pos.col, path: [], message: `YAML syntax error: ${summary}` });
      }
      return;
    }
    // An empty document (e.g. after a trailing `---`) is not a manifest.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    const raw = doc.toJS() as unknown;
    const parsed = MCPServerManifestSchema.safeParse(raw, { error: friendlyIssueMessage });
    if (!parsed.success) {
      for (const issue of parsed.error.issues as z.core.$ZodIssue[]) {
        const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            problems.push({ file, ...positionOf(doc, counter, [...path, key], true), path: [...path, key], message: 'unknown field' });
          }
        } else {
          problems.push({ file, ...positionOf(doc, counter, path), path, message: issue.message });
        }
      }
      return;
    }
    const object = structuredClone(raw) as LoadedManifest['object'];
    delete object.status;
    object.metadata.namespace = parsed.data.metadata.namespace ?? DEFAULT_SERVER_NAMESPACE;
    manifests.push({ file, document: index, line: positionOf(doc, counter, []).line, object });
  });
  return { manifests, problems };
}

/**
 * Loads every manifest of `dir`; throws ProblemsError listing every problem in every file
 * (including the same server defined twice).
 */
export async function loadManifests(dir: string, consequence = 'nothing was applied'): Promise<LoadedManifest[]> {
  const files = await listFiles(dir);
  if (files.length === 0) {
    throw new ProblemsError(`No *.yaml or *.yml files in ${dir}: run \`mcp-runtime pipeline generate --output ${dir}\` first.`, []);
  }
  const manifests: LoadedManifest[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const result = parseManifestText(file, await readFile(file, 'utf8'));
    manifests.push(...result.manifests);
    problems.push(...result.problems);
  }
  const seen = new Map<string, LoadedManifest>();
  for (const m of manifests) {
    const key = `${m.object.metadata.namespace}/${m.object.metadata.name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, m);
      continue;
    }
    problems.push({
      file: m.file,
      line: m.line,
      col: 1,
      path: ['metadata', 'name'],
      message: `MCPServer ${key} is also defined at ${first.file}:${first.line}; each server must be defined once`,
    });
  }
  if (problems.length > 0) {
    throw new ProblemsError(
      `Invalid manifests in ${dir} (${problems.length} problem${problems.length === 1 ? '' : 's'}); ${consequence}:`,
      problems,
    );
  }
  if (manifests.length === 0) throw new ProblemsError(`The YAML files in ${dir} contain no MCPServer manifests.`, []);
  return manifests;
}
