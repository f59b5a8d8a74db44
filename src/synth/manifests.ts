/**
 * Reading MCPServer manifests for `synth --servers`: every `*.yaml` / `*.yml` in a folder (not
 * recursive, sorted by name; kustomization files skipped), any number of documents per file.
 * Each document is validated with the same zod schema the CRD is generated from, and every
 * problem is reported with file, line and field — all of them, not just the first.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { DEFAULT_SERVER_NAMESPACE, MCPServerManifestSchema, type MCPServer } from '../api/v1alpha1/index.js';
import { fsReason } from '../metadata/fs-errors.js';
import { documentValue, readInputFile } from '../metadata/input-files.js';
import { fieldPath, ManifestError, type ManifestProblem } from './problems.js';

export interface LoadedServer {
  /** File the manifest came from, as given (dir joined with the file name). */
  readonly file: string;
  readonly server: MCPServer;
  /** Line of a field of this document (or of its closest existing parent), for later errors. */
  readonly lineOf: (path: readonly PropertyKey[]) => number | undefined;
}

const MANIFEST_FILE = /\.ya?ml$/i;
const SKIPPED = new Set(['kustomization.yaml', 'kustomization.yml']);

function locator(doc: Document, lines: LineCounter): (path: readonly PropertyKey[]) => number | undefined {
  return (path) => {
    // A missing field has no node: report its closest existing parent instead.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range !== undefined) return lines.linePos(range[0]).line;
    }
    return undefined;
  };
}

/** Parses one file's text. Pure. */
export function parseServerManifests(file: string, text: string): { servers: LoadedServer[]; problems: ManifestProblem[] } {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  const servers: LoadedServer[] = [];
  const problems: ManifestProblem[] = [];
  if (!Array.isArray(docs)) return { servers, problems }; // an empty stream
  docs.forEach((doc) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        problems.push({ file, line: error.linePos?.[0].line, field: '', message: `invalid YAML: ${error.message.split('\n')[0]}` });
      }
      return;
    }
    const converted = documentValue(file, doc);
    if ('problem' in converted) {
      problems.push({ file, line: converted.problem.line, field: '', message: converted.problem.message });
      return;
    }
    const value: unknown = converted.value;
    if (value === null || value === undefined) return; // an empty document (e.g. a trailing '---')
    const lineOf = locator(doc, lines);
    const parsed = MCPServerManifestSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ file, line: lineOf(issue.path), field: fieldPath(issue.path), message: issue.message });
      }
      return;
    }
    servers.push({ file, server: parsed.data as MCPServer, lineOf });
  });
  return { servers, problems };
}

/**
 * Reads and validates every manifest in `dir`: the valid servers and the problems of the rest,
 * so a caller can report render errors of the valid ones in the same run.
 */
export async function loadServerManifests(dir: string): Promise<{ servers: LoadedServer[]; problems: ManifestProblem[] }> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && MANIFEST_FILE.test(e.name) && !SKIPPED.has(e.name.toLowerCase()))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    return { servers: [], problems: [{ file: dir, field: '', message: `cannot read the folder: ${fsReason(error)}` }] };
  }
  if (names.length === 0) return { servers: [], problems: [{ file: dir, field: '', message: 'no *.yaml or *.yml files' }] };

  const servers: LoadedServer[] = [];
  const problems: ManifestProblem[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const input = await readInputFile(file);
    if ('problem' in input) {
      problems.push({ file, field: '', message: input.problem.message });
      continue;
    }
    const result = parseServerManifests(file, input.text);
    problems.push(...result.problems);
    for (const loaded of result.servers) {
      const key = `${loaded.server.metadata.namespace ?? DEFAULT_SERVER_NAMESPACE}/${loaded.server.metadata.name}`;
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({ file, line: loaded.lineOf(['metadata', 'name']), field: 'metadata.name', message: `MCPServer ${key} is also defined in ${first}` });
        continue;
      }
      seen.set(key, file);
      servers.push(loaded);
    }
  }
  if (servers.length === 0 && problems.length === 0) problems.push({ file: dir, field: '', message: 'no MCPServer manifests found' });
  return { servers, problems };
}

/** loadServerManifests, throwing ManifestError (listing every problem) unless all are valid. */
export async function readServerManifests(dir: string): Promise<LoadedServer[]> {
  const { servers, problems } = await loadServerManifests(dir);
  if (problems.length > 0) throw new ManifestError(problems);
  return servers;
}
